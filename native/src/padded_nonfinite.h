/* Zero padding times a non-finite weight. PyTorch pads with real zeros, so a padded tap whose weight is
 * Inf or NaN contributes 0 * Inf = NaN. Kernels skip padded taps for speed (or multiply a loaded zero:
 * either is right for finite weights), so the plan records which taps of each output channel carry a
 * non-finite weight and, after the kernel, marks NaN every output whose window puts such a tap on the
 * padding. Plans with finite weights (nearly all) record nothing and pay nothing. */
#ifndef NATIVECONV_PADDED_NONFINITE_H
#define NATIVECONV_PADDED_NONFINITE_H

#include <stdint.h>

#include "kernel.h"

/* For each output channel and tap (out_channels x kernel_height x kernel_width), 1 if any input channel's
 * weight there is non-finite. *taps is NULL when no padding exists or every weight is finite.
 * Returns NC_STATUS_OUT_OF_MEMORY if the table cannot be allocated. */
nc_status nci_find_padded_nonfinite(const nci_conv_params *params, int32_t filter_layout,
                                    const float *filter, uint8_t **taps);

/* Sets to NaN the outputs of the task's range whose windows put a marked tap on the padding. */
void nci_mark_padded_nonfinite(const nci_conv_params *params, const uint8_t *taps, float *output,
                               const nci_task_range *range);

#endif
