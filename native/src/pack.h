/* Reordering of caller weights into the blocked memory orders kernels read. */
#ifndef NATIVECONV_PACK_H
#define NATIVECONV_PACK_H

#include <stdint.h>

#include "kernel.h"

/* Each group's output channels are cut into blocks of `block` channels. A block holds its channels
 * innermost as "lanes"; the group's last block is rounded up to a multiple of `round` lanes with
 * zero weights, so vector code can load whole lanes. These orders say what sits outside the lanes. */
typedef enum nci_block_order {
    NCI_ORDER_TAPS_OUTER,    /* per block [kernel_height][kernel_width][Cg][lanes] */
    NCI_ORDER_CHANNELS_OUTER /* per block [Cg][kernel_height][kernel_width][lanes] */
} nci_block_order;

static inline int64_t nci_round_up(int64_t value, int64_t multiple)
{
    return (value + multiple - 1) / multiple * multiple;
}

/* Floats of a blocked filter: groups * round_up(Kg, round) * Cg * kernel_height * kernel_width, or -1 when
 * that exceeds NCI_MAX_FLOAT_COUNT (the rounding multiplies a valid filter count by up to round when Kg is
 * small). */
int64_t nci_blocked_filter_count(const nci_conv_params *params, int64_t round);

/* Block b of group g starts at float (g * round_up(Kg, round) + b * block) * Cg * kernel_height *
 * kernel_width and has min(block, round_up(Kg - b * block, round)) lanes. block is a multiple of round. */
void nci_pack_blocked(const nci_conv_params *params, int32_t filter_layout, const float *filter,
                      float *packed, int64_t block, int64_t round, nci_block_order order);

/* A depthwise filter with one output channel per group as [kernel_height][kernel_width][channel]: each tap's
 * weights for neighbouring channels side by side, out_channels floats apart from tap to tap. */
void nci_pack_depthwise_taps_outer(const nci_conv_params *params, int32_t filter_layout, const float *filter,
                                   float *packed);

#endif
