/* Output-size and padding arithmetic shared by validation and the public padding helper. */
#ifndef NATIVECONV_SHAPE_H
#define NATIVECONV_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "nativeconv.h"

/* Arguments are already range-checked (sizes >= 1, pads >= 0). These return NC_STATUS_OVERFLOW when
 * an intermediate does not fit in int64_t and NC_STATUS_INVALID_ARGUMENT when the output would be empty. */

/* PyTorch conv2d: floor((in + pads - dilation * (kernel - 1) - 1) / stride) + 1. */
nc_status nci_conv_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                            int64_t dilation, int64_t *out);

/* PyTorch pooling, including the ceil-mode rule that drops a window starting in the end padding. */
nc_status nci_pool_out_size(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t stride,
                            int64_t dilation, bool ceil_mode, int64_t *out);

/* Total padding SAME needs so that out = ceil(in / stride). */
nc_status nci_same_padding_total(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t *total);

#endif
