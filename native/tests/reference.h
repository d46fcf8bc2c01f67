/* Plain-loop reference for the tests, written from the PyTorch definitions and independent of the
 * library's internals. Tensors are NCHW and filters OIHW; sums are accumulated in double. */
#ifndef NATIVECONV_TEST_REFERENCE_H
#define NATIVECONV_TEST_REFERENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "nativeconv.h"

/* out = floor((in + pads - dilation * (kernel - 1) - 1) / stride) + 1, or 0 when the kernel does not fit. */
int64_t ref_conv_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                          int64_t dilation);

/* PyTorch pooling_output_shape with the ceil-mode drop rule; may return values < 1 for invalid shapes. */
int64_t ref_pool_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                          int64_t dilation, bool ceil_mode);

/* y = activation(conv(x, w) + b + previous). b and previous may be NULL. scale[i] receives
 * sum |x * w| + |b| + |previous| of element i, the yardstick for float rounding error. */
void ref_conv2d(const nc_conv2d_desc *desc, int64_t out_height, int64_t out_width, const float *x,
                const float *w, const float *b, const float *previous, double *y, double *scale);

/* y and scale as above; for average pooling scale is sum |x| / divisor. */
void ref_pool2d(const nc_pool2d_desc *desc, int64_t out_height, int64_t out_width, const float *x, float *y,
                double *scale);

/* Layout conversions of a [d0][d1][d2][d3] array: moves d1 to the end ([d0][d2][d3][d1]) or back. */
void ref_nchw_to_nhwc(const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w);
void ref_nhwc_to_nchw(const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w);
/* Index of element (i, j, y, x) of an [n][c][h][w] activation stored in layout. */
int64_t ref_layout_index(int32_t layout, int64_t c, int64_t h, int64_t w, int64_t i, int64_t j, int64_t y, int64_t x);
/* Element count of an [n][c][h][w] activation stored in layout (NCHW16c pads c to whole blocks of 16). */
int64_t ref_layout_count(int32_t layout, int64_t n, int64_t c, int64_t h, int64_t w);
/* NCHW -> layout; NCHW16c padding lanes get pad_value (NaN shows that a consumer reads them). */
void ref_from_nchw(int32_t layout, const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w,
                   float pad_value);
/* layout -> NCHW. */
void ref_to_nchw(int32_t layout, const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w);
/* Number of NCHW16c padding lanes that are not +0.0 (0 for the other layouts). */
int64_t ref_nonzero_padding_lanes(int32_t layout, const float *t, int64_t n, int64_t c, int64_t h, int64_t w);
/* OIHW [k][c][r][s] -> HWIO [r][s][c][k]. */
void ref_oihw_to_hwio(const float *src, float *dst, int64_t k, int64_t c, int64_t r, int64_t s);

#endif
