/* Direct convolution on NHWC and NCHW16c tensors (channels_last.h). For each output pixel a block of output channels is accumulated
 * together, so the innermost loop runs over contiguous weights; reduction order r, s, c. */
#include "channels_last.h"
#include "kernel.h"
#include "pack.h"

/* Accumulators kept on the stack per pixel; the block split does not change any element's sum order. */
#define CHANNEL_BLOCK 64

static bool can_handle(const nci_conv_params *p)
{
    return nci_is_channels_last(p->layout);
}

static int64_t packed_count(const nci_conv_params *p)
{
    return nci_blocked_filter_count(p, 1);
}

/* [groups][kernel_height][kernel_width][Cg][Kg] */
static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, p->group_out_channels, 1, NCI_ORDER_TAPS_OUTER);
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t tap_stride = cg * kg; /* floats of packed weights per (group, r, s) */
    const nci_channels_last in = nci_channels_last_of(p->layout, p->in_channels, p->in_height, p->in_width);
    const nci_channels_last out = nci_channels_last_of(p->layout, p->out_channels, p->out_height, p->out_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        const float *x_image = input + n * in.image_stride;
        for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
            const int64_t ih0 = oh * p->stride_height - p->pad_top;
            int64_t r_begin, r_end;
            nci_valid_taps(ih0, p->dilation_height, p->kernel_height, p->in_height, &r_begin, &r_end);
            for (int64_t ow = 0; ow < p->out_width; ow++) {
                const int64_t iw0 = ow * p->stride_width - p->pad_left;
                int64_t s_begin, s_end;
                nci_valid_taps(iw0, p->dilation_width, p->kernel_width, p->in_width, &s_begin, &s_end);
                float *y = output + n * out.image_stride + (oh * p->out_width + ow) * out.pixel_stride;
                int64_t k = range->channel_begin;
                while (k < range->channel_end) {
                    const int64_t group = k / kg;
                    const int64_t first = k - group * kg; /* index of k within its group */
                    int64_t block_end = (group + 1) * kg;
                    if (block_end > range->channel_end) {
                        block_end = range->channel_end;
                    }
                    if (block_end > k + CHANNEL_BLOCK) {
                        block_end = k + CHANNEL_BLOCK;
                    }
                    const int64_t count = block_end - k;
                    float sum[CHANNEL_BLOCK] = {0};
                    for (int64_t r = r_begin; r < r_end; r++) {
                        const int64_t ih = ih0 + r * p->dilation_height;
                        for (int64_t s = s_begin; s < s_end; s++) {
                            const int64_t iw = iw0 + s * p->dilation_width;
                            const float *x = x_image + (ih * p->in_width + iw) * in.pixel_stride;
                            const float *w = filter + ((group * p->kernel_height + r) * p->kernel_width + s) * tap_stride;
                            for (int64_t c = 0; c < cg; c++) {
                                const float xv = x[nci_channel_offset(&in, group * cg + c)];
                                const float *w_c = w + c * kg + first;
                                for (int64_t j = 0; j < count; j++) {
                                    sum[j] += xv * w_c[j];
                                }
                            }
                        }
                    }
                    for (int64_t j = 0; j < count; j++) {
                        float *yj = y + nci_channel_offset(&out, k + j);
                        *yj = nci_conv_finish(p, sum[j], bias, k + j, *yj);
                    }
                    k = block_end;
                }
            }
        }
    }
}

const nci_conv_kernel nci_conv_direct_nhwc__scalar = {
    .name = "conv_direct_nhwc__scalar",
    .isa = NC_ISA_SCALAR,
    .channel_block = 1,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
