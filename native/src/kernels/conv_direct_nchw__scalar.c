/* Direct convolution on NCHW tensors, one output element at a time; reduction order c, r, s. */
#include "kernel.h"
#include "pack.h"

static bool can_handle(const nci_conv_params *p)
{
    return p->layout == NC_LAYOUT_NCHW;
}

static int64_t packed_count(const nci_conv_params *p)
{
    return nci_blocked_filter_count(p, 1);
}

/* [out_channels][Cg][kernel_height][kernel_width] */
static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, 1, 1, NCI_ORDER_CHANNELS_OUTER);
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t in_plane = p->in_height * p->in_width;
    const int64_t out_plane = p->out_height * p->out_width;
    const int64_t taps = p->kernel_height * p->kernel_width;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k = range->channel_begin; k < range->channel_end; k++) {
            const int64_t group = k / p->group_out_channels;
            const float *x = input + (n * p->in_channels + group * p->group_in_channels) * in_plane;
            const float *w = filter + k * p->group_in_channels * taps;
            float *y = output + (n * p->out_channels + k) * out_plane;
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                const int64_t ih0 = oh * p->stride_height - p->pad_top;
                int64_t r_begin, r_end;
                nci_valid_taps(ih0, p->dilation_height, p->kernel_height, p->in_height, &r_begin, &r_end);
                for (int64_t ow = 0; ow < p->out_width; ow++) {
                    const int64_t iw0 = ow * p->stride_width - p->pad_left;
                    int64_t s_begin, s_end;
                    nci_valid_taps(iw0, p->dilation_width, p->kernel_width, p->in_width, &s_begin, &s_end);
                    float sum = 0.0f;
                    for (int64_t c = 0; c < p->group_in_channels; c++) {
                        const float *x_c = x + c * in_plane;
                        const float *w_c = w + c * taps;
                        for (int64_t r = r_begin; r < r_end; r++) {
                            const float *x_row = x_c + (ih0 + r * p->dilation_height) * p->in_width + iw0;
                            const float *w_row = w_c + r * p->kernel_width;
                            for (int64_t s = s_begin; s < s_end; s++) {
                                sum += x_row[s * p->dilation_width] * w_row[s];
                            }
                        }
                    }
                    float *out = y + oh * p->out_width + ow;
                    *out = nci_conv_finish(p, sum, bias, k, *out);
                }
            }
        }
    }
}

const nci_conv_kernel nci_conv_direct_nchw__scalar = {
    .name = "conv_direct_nchw__scalar",
    .isa = NC_ISA_SCALAR,
    .channel_block = 1,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
