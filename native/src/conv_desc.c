#include <inttypes.h>
#include <math.h>

#include "desc_check.h"
#include "shape.h"

#define KNOWN_CONV_FLAGS ((uint32_t)NC_CONV2D_ACCUMULATE)

/* One spatial axis; names are used in messages. */
static nc_status out_size(const char *axis, int64_t in, const char *pad_begin_name, int64_t pad_begin,
                          const char *pad_end_name, int64_t pad_end, int64_t kernel, int64_t stride,
                          int64_t dilation, int64_t *out, char *message, size_t capacity)
{
    nc_status status = nci_conv_out_size(in, pad_begin, pad_end, kernel, stride, dilation, out);
    if (status == NC_STATUS_OVERFLOW) {
        return nci_fail(message, capacity, status,
                        "in_%s + %s + %s or the dilated kernel_%s overflows int64_t", axis, pad_begin_name,
                        pad_end_name, axis);
    }
    if (status != NC_STATUS_OK) {
        return nci_fail(message, capacity, status,
                        "kernel larger than padded input: kernel_%s (%" PRId64 ") with dilation_%s (%" PRId64
                        ") spans more than in_%s (%" PRId64 ") + %s (%" PRId64 ") + %s (%" PRId64 ")",
                        axis, kernel, axis, dilation, axis, in, pad_begin_name, pad_begin, pad_end_name, pad_end);
    }
    return NC_STATUS_OK;
}

static nc_status check_enums(const nc_conv2d_desc *d, char *message, size_t capacity)
{
    nc_status status = nci_check_layout(d->layout, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }
    if (d->filter_layout != NC_FILTER_OIHW && d->filter_layout != NC_FILTER_HWIO) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "filter_layout (%" PRId32 ") must be NC_FILTER_OIHW (0) or NC_FILTER_HWIO (1)",
                        d->filter_layout);
    }
    status = nci_check_activation(d->activation, d->activation_min, d->activation_max, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }
    if ((d->flags & ~KNOWN_CONV_FLAGS) != 0) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "flags (0x%" PRIx32 ") has unknown bits 0x%" PRIx32, d->flags, d->flags & ~KNOWN_CONV_FLAGS);
    }
    return NC_STATUS_OK;
}

nc_status nci_conv2d_check(const nc_conv2d_desc *d, nc_tensor_sizes *sizes, nci_conv_params *params,
                           char *message, size_t capacity)
{
    const nci_min_rule minimums[] = {
        {"batch", d->batch, 0},
        {"in_channels", d->in_channels, 1},
        {"in_height", d->in_height, 1},
        {"in_width", d->in_width, 1},
        {"out_channels", d->out_channels, 1},
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
        {"groups", d->groups, 1},
    };
    nc_status status = nci_check_minimums(minimums, sizeof minimums / sizeof minimums[0], message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }
    if (d->in_channels % d->groups != 0) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "groups (%" PRId64 ") must divide in_channels (%" PRId64 ")", d->groups, d->in_channels);
    }
    if (d->out_channels % d->groups != 0) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "groups (%" PRId64 ") must divide out_channels (%" PRId64 ")", d->groups, d->out_channels);
    }
    status = check_enums(d, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }

    nc_tensor_sizes s = {0};
    status = out_size("height", d->in_height, "pad_top", d->pad_top, "pad_bottom", d->pad_bottom,
                      d->kernel_height, d->stride_height, d->dilation_height, &s.out_height, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }
    status = out_size("width", d->in_width, "pad_left", d->pad_left, "pad_right", d->pad_right, d->kernel_width,
                      d->stride_width, d->dilation_width, &s.out_width, message, capacity);
    if (status != NC_STATUS_OK) {
        return status;
    }

    const int64_t group_in = d->in_channels / d->groups;
    const int64_t filter_dims[] = {d->out_channels, group_in, d->kernel_height, d->kernel_width};
    status = nci_activation_count("input_count", d->layout, "in_channels", "in_height", "in_width", d->batch,
                                  d->in_channels, d->in_height, d->in_width, &s.input_count, message, capacity);
    if (status == NC_STATUS_OK) {
        status = nci_buffer_count("filter_count", "out_channels * in_channels / groups * kernel_height * kernel_width",
                                  filter_dims, 4, &s.filter_count, message, capacity);
    }
    if (status == NC_STATUS_OK) {
        status = nci_activation_count("output_count", d->layout, "out_channels", "out_height", "out_width", d->batch,
                                      d->out_channels, s.out_height, s.out_width, &s.output_count, message, capacity);
    }
    if (status == NC_STATUS_OK) {
        /* Both sums fit: out_size checked them. */
        status = nci_check_padded_input(d->layout, "in_channels", d->in_channels,
                                        d->in_height + d->pad_top + d->pad_bottom,
                                        d->in_width + d->pad_left + d->pad_right, message, capacity);
    }
    if (status != NC_STATUS_OK) {
        return status;
    }
    s.bias_count = d->out_channels;

    *sizes = s;
    if (params != NULL) {
        *params = (nci_conv_params){
            .batch = d->batch,
            .in_channels = d->in_channels,
            .in_height = d->in_height,
            .in_width = d->in_width,
            .out_channels = d->out_channels,
            .out_height = s.out_height,
            .out_width = s.out_width,
            .kernel_height = d->kernel_height,
            .kernel_width = d->kernel_width,
            /* With one output along an axis its stride is never used; 1 keeps kernels' stride products
             * (e.g. stride * channels) far from overflow whatever the caller passed. */
            .stride_height = s.out_height > 1 ? d->stride_height : 1,
            .stride_width = s.out_width > 1 ? d->stride_width : 1,
            .pad_top = d->pad_top,
            .pad_left = d->pad_left,
            /* A one-tap axis never uses its dilation, which the checks leave unbounded there; 1 keeps
             * kernels' dilation arithmetic (e.g. rounding a tap index up) inside int64_t. */
            .dilation_height = d->kernel_height > 1 ? d->dilation_height : 1,
            .dilation_width = d->kernel_width > 1 ? d->dilation_width : 1,
            .groups = d->groups,
            .group_in_channels = group_in,
            .group_out_channels = d->out_channels / d->groups,
            .layout = d->layout,
            .activation = d->activation,
            .activation_min = d->activation_min,
            .activation_max = d->activation_max,
            .accumulate = (d->flags & NC_CONV2D_ACCUMULATE) != 0,
        };
    }
    return nci_fail(message, capacity, NC_STATUS_OK, "%s", "");
}
