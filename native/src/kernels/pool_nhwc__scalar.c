/* Max and average pooling on NHWC and NCHW16c tensors (channels_last.h), one run of contiguous channels
 * at a time. The output pixel's channel run is the accumulator, so the inner loop is contiguous; every
 * element still sees its taps in row-major order and is summed in float, bitwise the same as
 * pool_nchw__scalar. */
#include <math.h>

#include "channels_last.h"
#include "kernel.h"

static bool can_handle(const nci_pool_params *p)
{
    return nci_is_channels_last(p->layout);
}

/* Channels [0, count) of one image whose pixels lie pixel_stride floats apart, for the task's rows. */
static void pool_channel_run(const nci_pool_params *p, const float *x_image, float *y_image, int64_t pixel_stride,
                             int64_t count, const nci_task_range *range)
{
    const bool is_max = p->kind == NC_POOL_MAX;
    for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
        const int64_t ih0 = oh * p->stride_height - p->pad_top;
        int64_t r_begin, r_end;
        nci_valid_taps(ih0, p->dilation_height, p->kernel_height, p->in_height, &r_begin, &r_end);
        for (int64_t ow = 0; ow < p->out_width; ow++) {
            const int64_t iw0 = ow * p->stride_width - p->pad_left;
            int64_t s_begin, s_end;
            nci_valid_taps(iw0, p->dilation_width, p->kernel_width, p->in_width, &s_begin, &s_end);
            float *y = y_image + (oh * p->out_width + ow) * pixel_stride;
            for (int64_t c = 0; c < count; c++) {
                y[c] = is_max ? -INFINITY : 0.0f;
            }
            for (int64_t r = r_begin; r < r_end; r++) {
                const int64_t ih = ih0 + r * p->dilation_height;
                for (int64_t s = s_begin; s < s_end; s++) {
                    const int64_t iw = iw0 + s * p->dilation_width;
                    const float *x = x_image + (ih * p->in_width + iw) * pixel_stride;
                    if (is_max) {
                        /* PyTorch's rule: a NaN replaces the running maximum and nothing beats it afterwards. */
                        for (int64_t c = 0; c < count; c++) {
                            if (x[c] > y[c] || isnan(x[c])) {
                                y[c] = x[c];
                            }
                        }
                    } else {
                        for (int64_t c = 0; c < count; c++) {
                            y[c] += x[c];
                        }
                    }
                }
            }
            if (!is_max && r_begin < r_end && s_begin < s_end) {
                const float divisor = (float)nci_average_divisor(p, ih0, iw0, r_end - r_begin, s_end - s_begin);
                for (int64_t c = 0; c < count; c++) {
                    y[c] /= divisor;
                }
            }
        }
    }
}

static void run(const nci_pool_params *p, const float *input, float *output, const nci_task_range *range)
{
    const nci_channels_last in = nci_channels_last_of(p->layout, p->channels, p->in_height, p->in_width);
    const nci_channels_last out = nci_channels_last_of(p->layout, p->channels, p->out_height, p->out_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end;) {
            const int64_t stop = nci_run_end(&in, c, range->channel_end);
            pool_channel_run(p, input + n * in.image_stride + nci_channel_offset(&in, c),
                             output + n * out.image_stride + nci_channel_offset(&out, c), in.pixel_stride, stop - c,
                             range);
            c = stop;
        }
    }
}

const nci_pool_kernel nci_pool_nhwc__scalar = {
    .name = "pool_nhwc__scalar",
    .isa = NC_ISA_SCALAR,
    .can_handle = can_handle,
    .run = run,
};
