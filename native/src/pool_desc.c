#include <inttypes.h>

#include "desc_check.h"
#include "shape.h"

#define KNOWN_POOL_FLAGS ((uint32_t)(NC_POOL2D_CEIL_MODE | NC_POOL2D_COUNT_INCLUDE_PAD | NC_POOL2D_GLOBAL))

/* The window geometry after NC_POOL2D_GLOBAL is resolved. */
typedef struct geometry {
    int64_t kernel_height, kernel_width, stride_height, stride_width;
    int64_t pad_top, pad_bottom, pad_left, pad_right;
    int64_t dilation_height, dilation_width;
    bool ceil_mode;
} geometry;

static nc_status check_pad(const char *pad_name, int64_t pad, const char *kernel_name, int64_t kernel,
                           char *message, size_t capacity)
{
    if (pad > kernel / 2) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "%s (%" PRId64 ") must be at most %s / 2 (%" PRId64 ")", pad_name, pad, kernel_name,
                        kernel / 2);
    }
    return NC_STATUS_OK;
}

static nc_status check_window(const nc_pool2d_desc *d, char *message, size_t capacity)
{
    const nci_min_rule minimums[] = {
        {"kernel_height", d->kernel_height, 1},
        {"kernel_width", d->kernel_width, 1},
        {"stride_height", d->stride_height, 1},
        {"stride_width", d->stride_width, 1},
        {"pad_top", d->pad_top, 0},
        {"pad_bottom", d->pad_bottom, 0},
        {"pad_left", d->pad_left, 0},
        {"pad_right", d->pad_right, 0},
        {"dilation_height", d->dilation_height, 1},
        {"dilation_width", d->dilation_width, 1},
    };
    nc_status status = nci_check_minimums(minimums, sizeof minimums / sizeof minimums[0], message, capacity);
    if (status == NC_STATUS_OK) {
        status = check_pad("pad_top", d->pad_top, "kernel_height", d->kernel_height, message, capacity);
    }
    if (status == NC_STATUS_OK) {
        status = check_pad("pad_bottom", d->pad_bottom, "kernel_height", d->kernel_height, message, capacity);
    }
    if (status == NC_STATUS_OK) {
        status = check_pad("pad_left", d->pad_left, "kernel_width", d->kernel_width, message, capacity);
    }
    if (status == NC_STATUS_OK) {
        status = check_pad("pad_right", d->pad_right, "kernel_width", d->kernel_width, message, capacity);
    }
    if (status == NC_STATUS_OK && d->kind == NC_POOL_AVERAGE &&
        (d->dilation_height != 1 || d->dilation_width != 1)) {
        status = nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                          "dilation is only supported for max pooling (dilation_height %" PRId64
                          ", dilation_width %" PRId64 ")", d->dilation_height, d->dilation_width);
    }
    return status;
}

static nc_status out_size(const char *axis, int64_t in, int64_t kernel, int64_t stride, int64_t pad_begin,
                          int64_t pad_end, int64_t dilation, bool ceil_mode, int64_t *out, char *message,
                          size_t capacity)
{
    nc_status status = nci_pool_out_size(in, pad_begin, pad_end, kernel, stride, dilation, ceil_mode, out);
    if (status == NC_STATUS_OVERFLOW) {
        return nci_fail(message, capacity, status, "the padded in_%s or the dilated kernel_%s overflows int64_t",
                        axis, axis);
    }
    if (status != NC_STATUS_OK) {
        return nci_fail(message, capacity, status,
                        "output %s would be empty: kernel_%s (%" PRId64 ") with dilation_%s (%" PRId64
                        ") does not fit the padded in_%s (%" PRId64 ")",
                        axis, axis, kernel, axis, dilation, axis, in);
    }
    return NC_STATUS_OK;
}

/* Taps of a window along one axis that can reach the padded input. A window wider than the padded input
 * happens only in ceil mode with one output along the axis; its taps past in + pad_end read nothing and
 * count for nothing (the average divisor clips the window there too), so the kernels get the window cut
 * there and every tap offset stays within the padded input. */
static int64_t reaching_taps(int64_t kernel, int64_t dilation, int64_t padded)
{
    const int64_t taps = (padded - 1) / dilation + 1;
    return kernel < taps ? kernel : taps;
}

nc_status nci_pool2d_check(const nc_pool2d_desc *d, nc_tensor_sizes *sizes, nci_pool_params *params,
                           char *message, size_t capacity)
{
    const nci_min_rule minimums[] = {
        {"batch", d->batch, 0},
        {"channels", d->channels, 1},
        {"in_height", d->in_height, 1},
        {"in_width", d->in_width, 1},
    };
    nc_status status = nci_check_minimums(minimums, sizeof minimums / sizeof minimums[0], message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }
    if (d->kind != NC_POOL_MAX && d->kind != NC_POOL_AVERAGE) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "kind (%" PRId32 ") must be NC_POOL_MAX (0) or NC_POOL_AVERAGE (1)", d->kind);
    }
    status = nci_check_layout(d->layout, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }
    if ((d->flags & ~KNOWN_POOL_FLAGS) != 0) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "flags (0x%" PRIx32 ") has unknown bits 0x%" PRIx32, d->flags, d->flags & ~KNOWN_POOL_FLAGS);
    }
    status = nci_check_activation(d->activation, d->activation_min, d->activation_max, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }

    geometry g;
    if ((d->flags & NC_POOL2D_GLOBAL) != 0) {
        g = (geometry){
            .kernel_height = d->in_height,
            .kernel_width = d->in_width,
            .stride_height = 1,
            .stride_width = 1,
            .dilation_height = 1,
            .dilation_width = 1,
        };
    } else {
        status = check_window(d, message, capacity);
        if (status != NC_STATUS_OK) {
            return status;
        }
        g = (geometry){
            .kernel_height = d->kernel_height,
            .kernel_width = d->kernel_width,
            .stride_height = d->stride_height,
            .stride_width = d->stride_width,
            .pad_top = d->pad_top,
            .pad_bottom = d->pad_bottom,
            .pad_left = d->pad_left,
            .pad_right = d->pad_right,
            .dilation_height = d->dilation_height,
            .dilation_width = d->dilation_width,
            .ceil_mode = (d->flags & NC_POOL2D_CEIL_MODE) != 0,
        };
    }

    nc_tensor_sizes s = {0};
    status = out_size("height", d->in_height, g.kernel_height, g.stride_height, g.pad_top, g.pad_bottom,
                      g.dilation_height, g.ceil_mode, &s.out_height, message, capacity);
    if (status == NC_STATUS_OK) {
        status = out_size("width", d->in_width, g.kernel_width, g.stride_width, g.pad_left, g.pad_right,
                          g.dilation_width, g.ceil_mode, &s.out_width, message, capacity);
    }
    if (status == NC_STATUS_OK) {
        status = nci_activation_count("input_count", d->layout, "channels", "in_height", "in_width", d->batch,
                                      d->channels, d->in_height, d->in_width, &s.input_count, message, capacity);
    }
    if (status == NC_STATUS_OK) {
        status = nci_activation_count("output_count", d->layout, "channels", "out_height", "out_width", d->batch,
                                      d->channels, s.out_height, s.out_width, &s.output_count, message, capacity);
    }
    if (status != NC_STATUS_OK) {
        return status;
    }
    /* Both sums fit: out_size checked them. */
    const int64_t padded_height = d->in_height + g.pad_top + g.pad_bottom;
    const int64_t padded_width = d->in_width + g.pad_left + g.pad_right;
    status = nci_check_padded_input(d->layout, "channels", d->channels, padded_height, padded_width, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }

    *sizes = s;
    if (params != NULL) {
        const int64_t kernel_height = reaching_taps(g.kernel_height, g.dilation_height, padded_height);
        const int64_t kernel_width = reaching_taps(g.kernel_width, g.dilation_width, padded_width);
        *params = (nci_pool_params){
            .batch = d->batch,
            .channels = d->channels,
            .in_height = d->in_height,
            .in_width = d->in_width,
            .out_height = s.out_height,
            .out_width = s.out_width,
            .kernel_height = kernel_height,
            .kernel_width = kernel_width,
            /* With one output along an axis its stride is never used; 1 keeps kernels' stride products
             * (e.g. stride * channels) far from overflow whatever the caller passed. */
            .stride_height = s.out_height > 1 ? g.stride_height : 1,
            .stride_width = s.out_width > 1 ? g.stride_width : 1,
            .pad_top = g.pad_top,
            .pad_bottom = g.pad_bottom,
            .pad_left = g.pad_left,
            .pad_right = g.pad_right,
            /* A one-tap axis never uses its dilation, which the checks leave unbounded there; 1 keeps
             * kernels' dilation arithmetic (e.g. rounding a tap index up) inside int64_t. */
            .dilation_height = kernel_height > 1 ? g.dilation_height : 1,
            .dilation_width = kernel_width > 1 ? g.dilation_width : 1,
            .kind = d->kind,
            .layout = d->layout,
            .count_include_pad = (d->flags & NC_POOL2D_COUNT_INCLUDE_PAD) != 0,
            .activation = d->activation,
            .activation_min = d->activation_min,
            .activation_max = d->activation_max,
        };
    }
    return nci_fail(message, capacity, NC_STATUS_OK, "%s", "");
}
