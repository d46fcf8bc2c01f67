#include "shape.h"

#include "checked_math.h"

/* Rounds toward negative infinity; divisor > 0. */
static int64_t floor_div(int64_t numerator, int64_t divisor)
{
    int64_t quotient = numerator / divisor;
    return (numerator % divisor != 0 && numerator < 0) ? quotient - 1 : quotient;
}

/* padded input extent minus the dilated kernel extent; negative when the kernel does not fit. */
static nc_status slack(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t dilation,
                       int64_t *result)
{
    int64_t padded, span;
    if (nci_add_overflow(in, pad_begin, &padded) || nci_add_overflow(padded, pad_end, &padded) ||
        nci_mul_overflow(dilation, kernel - 1, &span) || nci_add_overflow(span, 1, &span)) {
        return NC_STATUS_OVERFLOW;
    }
    *result = padded - span;
    return NC_STATUS_OK;
}

nc_status nci_conv_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                            int64_t dilation, int64_t *out)
{
    int64_t numerator;
    nc_status status = slack(in, pad_begin, pad_end, kernel, dilation, &numerator);
    if (status != NC_STATUS_OK) {
        return status;
    }
    if (numerator < 0) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    *out = numerator / stride + 1;
    return NC_STATUS_OK;
}

nc_status nci_pool_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                            int64_t dilation, bool ceil_mode, int64_t *out)
{
    int64_t numerator;
    nc_status status = slack(in, pad_begin, pad_end, kernel, dilation, &numerator);
    if (status != NC_STATUS_OK) {
        return status;
    }
    if (ceil_mode && nci_add_overflow(numerator, stride - 1, &numerator)) {
        return NC_STATUS_OVERFLOW;
    }
    int64_t size = floor_div(numerator, stride) + 1;
    if (ceil_mode && (size - 1) * stride >= in + pad_begin) {
        size--;
    }
    if (size < 1) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    *out = size;
    return NC_STATUS_OK;
}

nc_status nci_same_padding_total(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t *total)
{
    int64_t out = in / stride + (in % stride != 0);
    int64_t needed;
    /* (out - 1) * stride < in, so only the kernel span can overflow. */
    if (nci_mul_overflow(dilation, kernel - 1, &needed) || nci_add_overflow(needed, 1, &needed) ||
        nci_add_overflow(needed, (out - 1) * stride, &needed)) {
        return NC_STATUS_OVERFLOW;
    }
    needed -= in;
    *total = needed > 0 ? needed : 0;
    return NC_STATUS_OK;
}
