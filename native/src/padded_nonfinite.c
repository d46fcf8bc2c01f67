#include "padded_nonfinite.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "tensor_index.h"

/* Weights are almost always finite: one branch-free pass in memory order settles that before the
 * per-tap walk, which strides through HWIO filters. x * 0 is NaN exactly when x is infinite or NaN, and
 * sixteen independent lanes let the compiler vectorise the sums without reassociating them. */
static bool all_finite(const float *values, int64_t count)
{
    float lanes[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= count; i += 16) {
        for (int j = 0; j < 16; j++) {
            lanes[j] += values[i + j] * 0.0f;
        }
    }
    for (; i < count; i++) {
        lanes[0] += values[i] * 0.0f;
    }
    bool finite = true;
    for (int j = 0; j < 16; j++) {
        finite = finite && lanes[j] == lanes[j];
    }
    return finite;
}

nc_status nci_find_padded_nonfinite(const nci_conv_params *params, int32_t filter_layout,
                                    const float *filter, uint8_t **taps)
{
    *taps = NULL;
    const nci_conv_params *p = params;
    /* Bottom and right padding only shape the output size: a window reaches past the input there exactly
     * when its tap coordinate is >= the input size, which the marking below checks directly. */
    const int64_t out_bottom = (p->out_height - 1) * p->stride_height - p->pad_top +
                               (p->kernel_height - 1) * p->dilation_height;
    const int64_t out_right = (p->out_width - 1) * p->stride_width - p->pad_left +
                              (p->kernel_width - 1) * p->dilation_width;
    if (p->pad_top == 0 && p->pad_left == 0 && out_bottom < p->in_height && out_right < p->in_width) {
        return NC_STATUS_OK;
    }
    const int64_t k_count = p->out_channels, c_count = p->group_in_channels;
    const int64_t taps_per_channel = p->kernel_height * p->kernel_width;
    if (all_finite(filter, k_count * c_count * taps_per_channel)) {
        return NC_STATUS_OK;
    }
    uint8_t *table = NULL;
    for (int64_t k = 0; k < k_count; k++) {
        for (int64_t c = 0; c < c_count; c++) {
            for (int64_t t = 0; t < taps_per_channel; t++) {
                const int64_t index = filter_layout == NC_FILTER_OIHW ? (k * c_count + c) * taps_per_channel + t
                                                                      : (t * c_count + c) * k_count + k;
                if (isfinite(filter[index])) {
                    continue;
                }
                if (table == NULL) {
                    table = calloc((size_t)(k_count * taps_per_channel), 1);
                    if (table == NULL) {
                        return NC_STATUS_OUT_OF_MEMORY;
                    }
                }
                table[k * taps_per_channel + t] = 1;
            }
        }
    }
    *taps = table;
    return NC_STATUS_OK;
}

static int window_hits_padding(const nci_conv_params *p, const uint8_t *channel_taps, int64_t row, int64_t col)
{
    for (int64_t r = 0; r < p->kernel_height; r++) {
        const int64_t h = row * p->stride_height - p->pad_top + r * p->dilation_height;
        const int row_outside = h < 0 || h >= p->in_height;
        for (int64_t s = 0; s < p->kernel_width; s++) {
            if (!channel_taps[r * p->kernel_width + s]) {
                continue;
            }
            const int64_t w = col * p->stride_width - p->pad_left + s * p->dilation_width;
            if (row_outside || w < 0 || w >= p->in_width) {
                return 1;
            }
        }
    }
    return 0;
}

void nci_mark_padded_nonfinite(const nci_conv_params *params, const uint8_t *taps, float *output,
                               const nci_task_range *range)
{
    const nci_conv_params *p = params;
    const int64_t taps_per_channel = p->kernel_height * p->kernel_width;
    const int64_t plane = p->out_height * p->out_width;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k = range->channel_begin; k < range->channel_end; k++) {
            const uint8_t *channel_taps = taps + k * taps_per_channel;
            for (int64_t row = range->row_begin; row < range->row_end; row++) {
                for (int64_t col = 0; col < p->out_width; col++) {
                    if (!window_hits_padding(p, channel_taps, row, col)) {
                        continue;
                    }
                    const int64_t pixel = row * p->out_width + col;
                    output[nci_element_index(p->layout, p->out_channels, plane, n, k, pixel)] = NAN;
                }
            }
        }
    }
}
