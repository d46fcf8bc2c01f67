#include "desc_check.h"

#include <inttypes.h>
#include <stdarg.h>
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
