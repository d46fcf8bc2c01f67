#include "reference.h"

#include <math.h>

int64_t ref_conv_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                          int64_t dilation)
{
    int64_t numerator = in + pad_begin + pad_end - dilation * (kernel - 1) - 1;
    return numerator < 0 ? 0 : numerator / stride + 1;
}

int64_t ref_pool_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                          int64_t dilation, bool ceil_mode)
{
    /* Integer division rounded the way PyTorch rounds; doubles would lose exactness past 2^53. */
    const int64_t numerator = in + pad_begin + pad_end - dilation * (kernel - 1) - 1;
    int64_t quotient = numerator / stride; /* C truncates toward zero */
    const int64_t remainder = numerator % stride;
    if (remainder > 0 && ceil_mode) {
        quotient++;
    }
    if (remainder < 0 && !ceil_mode) {
        quotient--;
    }
    int64_t out = quotient + 1;
    if (ceil_mode && (out - 1) * stride >= in + pad_begin) {
        out--;
    }
    return out;
}

static double activate(const nc_conv2d_desc *d, double v)
{
    if (d->activation == NC_ACTIVATION_RELU) {
        return v < 0 ? 0 : v;
    }
    if (d->activation == NC_ACTIVATION_CLAMP) {
        return v < d->activation_min ? d->activation_min : v > d->activation_max ? d->activation_max : v;
    }
    return v;
}

void ref_conv2d(const nc_conv2d_desc *d, int64_t out_height, int64_t out_width, const float *x,
                const float *w, const float *b, const float *previous, double *y, double *scale)
{
    const int64_t cg = d->in_channels / d->groups, kg = d->out_channels / d->groups;
    for (int64_t n = 0; n < d->batch; n++) {
        for (int64_t k = 0; k < d->out_channels; k++) {
            const int64_t g = k / kg;
            for (int64_t oh = 0; oh < out_height; oh++) {
                for (int64_t ow = 0; ow < out_width; ow++) {
                    double sum = 0, magnitude = 0;
                    for (int64_t c = 0; c < cg; c++) {
                        for (int64_t r = 0; r < d->kernel_height; r++) {
                            for (int64_t s = 0; s < d->kernel_width; s++) {
                                int64_t ih = oh * d->stride_height - d->pad_top + r * d->dilation_height;
                                int64_t iw = ow * d->stride_width - d->pad_left + s * d->dilation_width;
                                if (ih < 0 || ih >= d->in_height || iw < 0 || iw >= d->in_width) {
                                    continue;
                                }
                                double xv = x[((n * d->in_channels + g * cg + c) * d->in_height + ih) * d->in_width + iw];
                                double wv = w[((k * cg + c) * d->kernel_height + r) * d->kernel_width + s];
                                sum += xv * wv;
                                magnitude += fabs(xv * wv);
                            }
                        }
                    }
                    int64_t i = ((n * d->out_channels + k) * out_height + oh) * out_width + ow;
                    if (b != NULL) {
                        sum += b[k];
                        magnitude += fabs(b[k]);
                    }
                    if (previous != NULL) {
                        sum += previous[i];
                        magnitude += fabs(previous[i]);
                    }
                    y[i] = activate(d, sum);
                    scale[i] = magnitude;
                }
            }
        }
    }
}

void ref_pool2d(const nc_pool2d_desc *d, int64_t out_height, int64_t out_width, const float *x, float *y,
                double *scale)
{
    const bool global = (d->flags & NC_POOL2D_GLOBAL) != 0;
    const int64_t kh = global ? d->in_height : d->kernel_height, kw = global ? d->in_width : d->kernel_width;
    const int64_t sh = global ? 1 : d->stride_height, sw = global ? 1 : d->stride_width;
    const int64_t pt = global ? 0 : d->pad_top, pb = global ? 0 : d->pad_bottom;
    const int64_t pl = global ? 0 : d->pad_left, pr = global ? 0 : d->pad_right;
    const int64_t dh = global ? 1 : d->dilation_height, dw = global ? 1 : d->dilation_width;
    for (int64_t nc = 0; nc < d->batch * d->channels; nc++) {
        const float *plane = x + nc * d->in_height * d->in_width;
        for (int64_t oh = 0; oh < out_height; oh++) {
            for (int64_t ow = 0; ow < out_width; ow++) {
                int64_t i = (nc * out_height + oh) * out_width + ow;
                if (d->kind == NC_POOL_MAX) {
                    float best = -INFINITY;
                    for (int64_t r = 0; r < kh; r++) {
                        for (int64_t s = 0; s < kw; s++) {
                            int64_t ih = oh * sh - pt + r * dh, iw = ow * sw - pl + s * dw;
                            if (ih >= 0 && ih < d->in_height && iw >= 0 && iw < d->in_width) {
                                float v = plane[ih * d->in_width + iw];
                                if (v > best || isnan(v)) {
                                    best = v;
                                }
                            }
                        }
                    }
                    y[i] = best;
                    scale[i] = 0;
                    continue;
                }
                /* avg_pool2d: the window is clipped to input + padding for the include-pad divisor,
                 * then to the input for the sum and the exclude-pad divisor. */
                int64_t h0 = oh * sh - pt, w0 = ow * sw - pl;
                int64_t h1 = h0 + kh < d->in_height + pb ? h0 + kh : d->in_height + pb;
                int64_t w1 = w0 + kw < d->in_width + pr ? w0 + kw : d->in_width + pr;
                int64_t padded_size = (h1 - h0) * (w1 - w0);
                h0 = h0 > 0 ? h0 : 0;
                w0 = w0 > 0 ? w0 : 0;
                h1 = h1 < d->in_height ? h1 : d->in_height;
                w1 = w1 < d->in_width ? w1 : d->in_width;
                if (h0 >= h1 || w0 >= w1) {
                    y[i] = 0;
                    scale[i] = 0;
                    continue;
                }
                double sum = 0, magnitude = 0;
                for (int64_t ih = h0; ih < h1; ih++) {
                    for (int64_t iw = w0; iw < w1; iw++) {
                        sum += plane[ih * d->in_width + iw];
                        magnitude += fabs(plane[ih * d->in_width + iw]);
                    }
                }
                double divisor = (d->flags & NC_POOL2D_COUNT_INCLUDE_PAD) ? (double)padded_size
                                                                          : (double)((h1 - h0) * (w1 - w0));
                y[i] = (float)(sum / divisor);
                scale[i] = magnitude / divisor;
            }
        }
    }
    /* Pool, then activate; NaN passes through both activations. */
    for (int64_t i = 0; i < d->batch * d->channels * out_height * out_width; i++) {
        if (d->activation == NC_ACTIVATION_RELU && y[i] < 0) {
            y[i] = 0;
        } else if (d->activation == NC_ACTIVATION_CLAMP) {
            y[i] = y[i] < d->activation_min ? d->activation_min : y[i] > d->activation_max ? d->activation_max : y[i];
        }
    }
}

void ref_nchw_to_nhwc(const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w)
{
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < c; j++)
            for (int64_t y = 0; y < h; y++)
                for (int64_t x = 0; x < w; x++)
                    dst[((i * h + y) * w + x) * c + j] = src[((i * c + j) * h + y) * w + x];
}

void ref_nhwc_to_nchw(const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w)
{
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < c; j++)
            for (int64_t y = 0; y < h; y++)
                for (int64_t x = 0; x < w; x++)
                    dst[((i * c + j) * h + y) * w + x] = src[((i * h + y) * w + x) * c + j];
}

/* Index of element (i, j, pixel) in layout; pixel = y * w + x. */
static int64_t layout_index(int32_t layout, int64_t c, int64_t plane, int64_t i, int64_t j, int64_t pixel)
{
    switch (layout) {
    case NC_LAYOUT_NHWC: return (i * plane + pixel) * c + j;
    case NC_LAYOUT_NCHW16C: return ((i * ((c + 15) / 16) + j / 16) * plane + pixel) * 16 + j % 16;
    default: return (i * c + j) * plane + pixel;
    }
}

int64_t ref_layout_index(int32_t layout, int64_t c, int64_t h, int64_t w, int64_t i, int64_t j, int64_t y, int64_t x)
{
    return layout_index(layout, c, h * w, i, j, y * w + x);
}

int64_t ref_layout_count(int32_t layout, int64_t n, int64_t c, int64_t h, int64_t w)
{
    return n * (layout == NC_LAYOUT_NCHW16C ? (c + 15) / 16 * 16 : c) * h * w;
}

void ref_from_nchw(int32_t layout, const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w,
                   float pad_value)
{
    const int64_t count = ref_layout_count(layout, n, c, h, w);
    for (int64_t i = 0; i < count; i++)
        dst[i] = pad_value;
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < c; j++)
            for (int64_t pixel = 0; pixel < h * w; pixel++)
                dst[layout_index(layout, c, h * w, i, j, pixel)] = src[(i * c + j) * h * w + pixel];
}

void ref_to_nchw(int32_t layout, const float *src, float *dst, int64_t n, int64_t c, int64_t h, int64_t w)
{
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < c; j++)
            for (int64_t pixel = 0; pixel < h * w; pixel++)
                dst[(i * c + j) * h * w + pixel] = src[layout_index(layout, c, h * w, i, j, pixel)];
}

int64_t ref_nonzero_padding_lanes(int32_t layout, const float *t, int64_t n, int64_t c, int64_t h, int64_t w)
{
    if (layout != NC_LAYOUT_NCHW16C) {
        return 0;
    }
    const int64_t blocks = (c + 15) / 16;
    int64_t bad = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t pixel = 0; pixel < h * w; pixel++)
            for (int64_t lane = c % 16 == 0 ? 16 : c % 16; lane < 16; lane++) {
                const float v = t[((i * blocks + blocks - 1) * h * w + pixel) * 16 + lane];
                bad += !(v == 0.0f && !signbit(v));
            }
    return bad;
}

void ref_oihw_to_hwio(const float *src, float *dst, int64_t k, int64_t c, int64_t r, int64_t s)
{
    for (int64_t o = 0; o < k; o++)
        for (int64_t i = 0; i < c; i++)
            for (int64_t y = 0; y < r; y++)
                for (int64_t x = 0; x < s; x++)
                    dst[((y * s + x) * c + i) * k + o] = src[((o * c + i) * r + y) * s + x];
}
