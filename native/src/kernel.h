/* The contract between plans and kernels. A kernel sees only resolved sizes, packed weights, raw
 * pointers and the slice of the output it must write; every check has been done before it runs. */
#ifndef NATIVECONV_KERNEL_H
#define NATIVECONV_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "nativeconv.h"

/* Half-open slice of the output one task writes: images, channels and output rows. The reduction
 * (input channels and taps) is never split, so each output element is summed by exactly one task in
 * a fixed order whatever the split. */
typedef struct nci_task_range {
    int64_t batch_begin, batch_end;
    int64_t channel_begin, channel_end;
    int64_t row_begin, row_end;
} nci_task_range;

typedef struct nci_conv_params {
    int64_t batch, in_channels, in_height, in_width;
    int64_t out_channels, out_height, out_width;
    int64_t kernel_height, kernel_width;
    int64_t stride_height, stride_width;
    int64_t pad_top, pad_left; /* bottom/right padding only shapes out_height/out_width */
    int64_t dilation_height, dilation_width;
    int64_t groups, group_in_channels, group_out_channels;
    int32_t layout;     /* nc_layout of input and output */
    int32_t activation; /* nc_activation */
    float activation_min, activation_max;
    bool accumulate;
} nci_conv_params;

/* bias is NULL when the convolution has none. */
typedef void (*nci_conv_fn)(const nci_conv_params *params, const float *filter, const float *bias,
                            const float *input, float *output, const nci_task_range *range);

typedef struct nci_conv_kernel {
    const char *name; /* equals the kernel's file stem */
    nc_isa isa;
    /* Output channels of one group that the kernel computes together. Tasks split a group's channels
     * only at multiples of this, so the kernel always sees whole blocks (and its packed weights line up). */
    int64_t channel_block;
    /* Tasks take whole output planes before rows. Depthwise NCHW row tiles want it: cut into rows, every task
     * touched every plane, and two threads ran slower than one (64 x 56x56 3x3, Zen 4). */
    bool planes_first;
    bool (*can_handle)(const nci_conv_params *params);
    /* Floats the packed filter occupies, padding included; -1 when more than NCI_MAX_FLOAT_COUNT. */
    int64_t (*packed_count)(const nci_conv_params *params);
    /* filter is in nc_filter_layout filter_layout; packed receives packed_count floats. */
    void (*pack)(const nci_conv_params *params, int32_t filter_layout, const float *filter, float *packed);
    nci_conv_fn run;
} nci_conv_kernel;

typedef struct nci_pool_params {
    int64_t batch, channels, in_height, in_width;
    int64_t out_height, out_width;
    /* The window as the kernels run it: cut to the taps that can reach the padded input, which a ceil-mode
     * window with one output along an axis may outgrow (pool_desc.c), so a pad may exceed half of it. */
    int64_t kernel_height, kernel_width;
    int64_t stride_height, stride_width;
    int64_t pad_top, pad_bottom, pad_left, pad_right;
    int64_t dilation_height, dilation_width; /* 1 on an axis of one tap */
    int32_t kind;   /* nc_pool_kind */
    int32_t layout; /* nc_layout */
    bool count_include_pad;
    /* Applied by the plan to each task's output after the kernel, while it is still in cache; kernels ignore it. */
    int32_t activation;
    float activation_min, activation_max;
} nci_pool_params;

/* In NCHW16c the range's channels start a block and end at one or at the last channel: a kernel may write a
 * whole block, padding lanes included (the plan zeroes those lanes after it). */
typedef void (*nci_pool_fn)(const nci_pool_params *params, const float *input, float *output,
                            const nci_task_range *range);

typedef struct nci_pool_kernel {
    const char *name;
    nc_isa isa;
    bool (*can_handle)(const nci_pool_params *params);
    nci_pool_fn run;
} nci_pool_kernel;

/* Writes the transpose of the part [row_begin, row_end) x [col_begin, col_end) of the row-major
 * rows x cols matrix src into dst, a row-major cols x rows matrix. */
typedef void (*nci_transpose_fn)(const float *src, int64_t rows, int64_t cols, int64_t row_begin, int64_t row_end,
                                 int64_t col_begin, int64_t col_end, float *dst);

typedef struct nci_transpose_kernel {
    const char *name;
    nc_isa isa;
    int64_t block; /* rows and columns of one register tile; task splits fall on multiples of it */
    nci_transpose_fn run;
} nci_transpose_kernel;

/* Taps t in [*begin, *end) of a window starting at input coordinate start (may be negative) whose
 * coordinates start + t * dilation fall inside [0, size). */
void nci_valid_taps(int64_t start, int64_t dilation, int64_t kernel, int64_t size, int64_t *begin, int64_t *end);

/* [*begin, *end): the outputs along one axis whose every tap lies inside the input. */
void nci_inside_span(int64_t pad, int64_t stride, int64_t kernel, int64_t dilation, int64_t in_size, int64_t out_size,
                     int64_t *begin, int64_t *end);

/* conv + bias + previous output, then the activation; NaN passes through both activations as in PyTorch. */
static inline float nci_conv_finish(const nci_conv_params *params, float sum, const float *bias,
                                    int64_t channel, float previous)
{
    float value = sum;
    if (bias != NULL) {
        value += bias[channel];
    }
    if (params->accumulate) {
        value += previous;
    }
    if (params->activation == NC_ACTIVATION_RELU) {
        return value < 0.0f ? 0.0f : value;
    }
    if (params->activation == NC_ACTIVATION_CLAMP) {
        if (value < params->activation_min) {
            return params->activation_min;
        }
        if (value > params->activation_max) {
            return params->activation_max;
        }
    }
    return value;
}

/* Average-pooling divisor of the window at (start_h, start_w) whose real taps are rows x cols
 * (PyTorch avg_pool2d: the padded window is clipped to input + end padding before counting). */
static inline int64_t nci_average_divisor(const nci_pool_params *params, int64_t start_h,
                                          int64_t start_w, int64_t rows, int64_t cols)
{
    if (!params->count_include_pad) {
        return rows * cols;
    }
    int64_t end_h = start_h + params->kernel_height;
    int64_t end_w = start_w + params->kernel_width;
    int64_t limit_h = params->in_height + params->pad_bottom;
    int64_t limit_w = params->in_width + params->pad_right;
    return ((end_h < limit_h ? end_h : limit_h) - start_h) * ((end_w < limit_w ? end_w : limit_w) - start_w);
}

#endif
