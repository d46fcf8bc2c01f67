/* Max and average pooling on NCHW tensors, one output element at a time. Taps are visited in row-major
 * order; an average is summed in float and divided once at the end, as PyTorch does. */
#include <math.h>

#include "kernel.h"

static bool can_handle(const nci_pool_params *p)
{
    return p->layout == NC_LAYOUT_NCHW;
}

static void run(const nci_pool_params *p, const float *input, float *output, const nci_task_range *range)
{
    const int64_t in_plane = p->in_height * p->in_width;
    const int64_t out_plane = p->out_height * p->out_width;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end; c++) {
            const float *x = input + (n * p->channels + c) * in_plane;
            float *y = output + (n * p->channels + c) * out_plane;
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                const int64_t ih0 = oh * p->stride_height - p->pad_top;
                int64_t r_begin, r_end;
                nci_valid_taps(ih0, p->dilation_height, p->kernel_height, p->in_height, &r_begin, &r_end);
                for (int64_t ow = 0; ow < p->out_width; ow++) {
                    const int64_t iw0 = ow * p->stride_width - p->pad_left;
                    int64_t s_begin, s_end;
                    nci_valid_taps(iw0, p->dilation_width, p->kernel_width, p->in_width, &s_begin, &s_end);
                    float result;
                    if (p->kind == NC_POOL_MAX) {
                        /* PyTorch's rule: a NaN replaces the running maximum and nothing beats it afterwards. */
                        result = -INFINITY;
                        for (int64_t r = r_begin; r < r_end; r++) {
                            const float *x_row = x + (ih0 + r * p->dilation_height) * p->in_width + iw0;
                            for (int64_t s = s_begin; s < s_end; s++) {
                                const float v = x_row[s * p->dilation_width];
                                if (v > result || isnan(v)) {
                                    result = v;
                                }
                            }
                        }
                    } else if (r_begin == r_end || s_begin == s_end) {
                        result = 0.0f;
                    } else {
                        float sum = 0.0f;
                        for (int64_t r = r_begin; r < r_end; r++) {
                            const float *x_row = x + (ih0 + r) * p->in_width + iw0;
                            for (int64_t s = s_begin; s < s_end; s++) {
                                sum += x_row[s];
                            }
                        }
                        result = sum / (float)nci_average_divisor(p, ih0, iw0, r_end - r_begin, s_end - s_begin);
                    }
                    y[oh * p->out_width + ow] = result;
                }
            }
        }
    }
}

const nci_pool_kernel nci_pool_nchw__scalar = {
    .name = "pool_nchw__scalar",
    .isa = NC_ISA_SCALAR,
    .can_handle = can_handle,
    .run = run,
};
