/* Descriptor validation: every rule on user-supplied shapes lives behind these functions, and each
 * failure names the field and the rule in the caller's message buffer. */
#ifndef NATIVECONV_DESC_CHECK_H
#define NATIVECONV_DESC_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "nativeconv.h"

/* On NC_STATUS_OK fills sizes and, when params is not NULL, the kernel parameters; message gets "". */
nc_status nci_conv2d_check(const nc_conv2d_desc *desc, nc_tensor_sizes *sizes, nci_conv_params *params,
                           char *message, size_t capacity);
nc_status nci_pool2d_check(const nc_pool2d_desc *desc, nc_tensor_sizes *sizes, nci_pool_params *params,
                           char *message, size_t capacity);

/* Helpers shared by the descriptor checks. */

#if defined(__GNUC__) || defined(__clang__)
#define NCI_PRINTF_LIKE(format_index, first_arg) __attribute__((format(printf, format_index, first_arg)))
#else
#define NCI_PRINTF_LIKE(format_index, first_arg)
#endif

/* Writes the formatted sentence (truncated, NUL-terminated) if there is room and returns status. */
nc_status nci_fail(char *message, size_t capacity, nc_status status, const char *format, ...)
    NCI_PRINTF_LIKE(4, 5);

typedef struct nci_min_rule {
    const char *field;
    int64_t value;
    int64_t min;
} nci_min_rule;

/* Fails with NC_STATUS_INVALID_ARGUMENT at the first rule whose value is below its minimum. */
nc_status nci_check_minimums(const nci_min_rule *rules, size_t count, char *message, size_t capacity);

/* Element count of a float buffer of the given dimensions; NC_STATUS_OVERFLOW when it or its byte size
 * does not fit in int64_t and size_t. name and formula make up the message. */
nc_status nci_buffer_count(const char *name, const char *formula, const int64_t *dims, size_t dim_count,
                           int64_t *count, char *message, size_t capacity);

/* Fails with NC_STATUS_INVALID_ARGUMENT unless activation is an nc_activation value and, for a clamp,
 * the bounds are not NaN and min <= max. */
nc_status nci_check_activation(int32_t activation, float min, float max, char *message, size_t capacity);

/* Fails with NC_STATUS_INVALID_ARGUMENT unless layout is an nc_layout value. */
nc_status nci_check_layout(int32_t layout, char *message, size_t capacity);

/* nci_buffer_count for an activation tensor: batch * channels * height * width floats, with channels
 * rounded up to whole blocks in NC_LAYOUT_NCHW16C. The names are the descriptor fields, for the message. */
nc_status nci_activation_count(const char *name, int32_t layout, const char *channels_name, const char *height_name,
                               const char *width_name, int64_t batch, int64_t channels, int64_t height,
                               int64_t width, int64_t *count, char *message, size_t capacity);

/* The zero-padded input image, channels * padded_height * padded_width floats (channels rounded up to whole
 * blocks in NC_LAYOUT_NCHW16C), must be countable like a tensor (nci_buffer_count). Kernels address taps
 * relative to it: a tap's row offset times the row length, a stride times the pixel stride, a window's reach
 * past its first column. Each such product is at most this count, which therefore keeps them all inside
 * int64_t whatever padding, stride and dilation the caller passed. padded_* are in + pad_begin + pad_end. */
nc_status nci_check_padded_input(int32_t layout, const char *channels_name, int64_t channels, int64_t padded_height,
                                 int64_t padded_width, char *message, size_t capacity);

#endif
