#include "desc_check.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "checked_math.h"

nc_status nci_fail(char *message, size_t capacity, nc_status status, const char *format, ...)
{
    if (message != NULL && capacity > 0) {
        va_list args;
        va_start(args, format);
        vsnprintf(message, capacity, format, args);
        va_end(args);
    }
    return status;
}

nc_status nci_check_minimums(const nci_min_rule *rules, size_t count, char *message, size_t capacity)
{
    for (size_t i = 0; i < count; i++) {
        if (rules[i].value < rules[i].min) {
            return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT, "%s (%" PRId64 ") must be >= %" PRId64,
                            rules[i].field, rules[i].value, rules[i].min);
        }
    }
    return NC_STATUS_OK;
}

nc_status nci_buffer_count(const char *name, const char *formula, const int64_t *dims, size_t dim_count,
                           int64_t *count, char *message, size_t capacity)
{
    int64_t product = 1;
    for (size_t i = 0; i < dim_count; i++) {
        if (nci_mul_overflow(product, dims[i], &product) || product > NCI_MAX_FLOAT_COUNT) {
            return nci_fail(message, capacity, NC_STATUS_OVERFLOW,
                            "%s (%s) is too large: its byte size does not fit in int64_t and size_t", name, formula);
        }
    }
    *count = product;
    return NC_STATUS_OK;
}

nc_status nci_check_layout(int32_t layout, char *message, size_t capacity)
{
    if (layout != NC_LAYOUT_NCHW && layout != NC_LAYOUT_NHWC && layout != NC_LAYOUT_NCHW16C) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "layout (%" PRId32 ") must be NC_LAYOUT_NCHW (0), NC_LAYOUT_NHWC (1) or NC_LAYOUT_NCHW16C (2)",
                        layout);
    }
    return NC_STATUS_OK;
}

nc_status nci_activation_count(const char *name, int32_t layout, const char *channels_name, const char *height_name,
                               const char *width_name, int64_t batch, int64_t channels, int64_t height,
                               int64_t width, int64_t *count, char *message, size_t capacity)
{
    const bool blocked = layout == NC_LAYOUT_NCHW16C;
    /* Per-image factors come first so an oversized image is caught even when batch is 0. */
    const int64_t blocks = channels / NC_CHANNEL_BLOCK + (channels % NC_CHANNEL_BLOCK != 0);
    const int64_t dims[] = {blocked ? blocks : channels, blocked ? NC_CHANNEL_BLOCK : 1, height, width, batch};
    const size_t dim_count = sizeof dims / sizeof dims[0];
    /* The formula only goes into a failure message, so it is written only then: formatted on every call,
     * it cost nc_reorder about half a microsecond. */
    const nc_status status = nci_buffer_count(name, "", dims, dim_count, count, NULL, 0);
    if (status == NC_STATUS_OK || message == NULL || capacity == 0) {
        return status;
    }
    char formula[160];
    if (blocked) {
        snprintf(formula, sizeof formula, "batch * ceil(%s / %d) * %d * %s * %s", channels_name, NC_CHANNEL_BLOCK,
                 NC_CHANNEL_BLOCK, height_name, width_name);
    } else {
        snprintf(formula, sizeof formula, "batch * %s * %s * %s", channels_name, height_name, width_name);
    }
    return nci_buffer_count(name, formula, dims, dim_count, count, message, capacity);
}

nc_status nci_check_padded_input(int32_t layout, const char *channels_name, int64_t channels, int64_t padded_height,
                                 int64_t padded_width, char *message, size_t capacity)
{
    const bool blocked = layout == NC_LAYOUT_NCHW16C;
    /* Fits: the callers checked the input tensor, whose count has the same rounded channel factor. */
    const int64_t rounded = (channels / NC_CHANNEL_BLOCK + (channels % NC_CHANNEL_BLOCK != 0)) * NC_CHANNEL_BLOCK;
    const int64_t dims[] = {blocked ? rounded : channels, padded_height, padded_width};
    const size_t dim_count = sizeof dims / sizeof dims[0];
    const char *name = "the zero-padded input";
    int64_t count;
    /* The formula is written only for a failure message, as in nci_activation_count. */
    const nc_status status = nci_buffer_count(name, "", dims, dim_count, &count, NULL, 0);
    if (status == NC_STATUS_OK || message == NULL || capacity == 0) {
        return status;
    }
    char formula[200];
    if (blocked) {
        snprintf(formula, sizeof formula, "ceil(%s / %d) * %d * (in_height + pads) * (in_width + pads)", channels_name,
                 NC_CHANNEL_BLOCK, NC_CHANNEL_BLOCK);
    } else {
        snprintf(formula, sizeof formula, "%s * (in_height + pads) * (in_width + pads)", channels_name);
    }
    return nci_buffer_count(name, formula, dims, dim_count, &count, message, capacity);
}

nc_status nci_check_activation(int32_t activation, float min, float max, char *message, size_t capacity)
{
    if (activation != NC_ACTIVATION_NONE && activation != NC_ACTIVATION_RELU && activation != NC_ACTIVATION_CLAMP) {
        return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                        "activation (%" PRId32 ") must be NC_ACTIVATION_NONE (0), NC_ACTIVATION_RELU (1) or "
                        "NC_ACTIVATION_CLAMP (2)", activation);
    }
    if (activation == NC_ACTIVATION_CLAMP) {
        if (isnan(min) || isnan(max)) {
            return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                            "activation_min and activation_max must not be NaN");
        }
        if (min > max) {
            return nci_fail(message, capacity, NC_STATUS_INVALID_ARGUMENT,
                            "activation_min (%g) must be <= activation_max (%g)", (double)min, (double)max);
        }
    }
    return NC_STATUS_OK;
}
