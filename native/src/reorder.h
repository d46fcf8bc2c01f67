/* Layout conversion of activations and filters; arguments have been validated by the caller. */
#ifndef NATIVECONV_REORDER_H
#define NATIVECONV_REORDER_H

#include <stdint.h>

#include "nativeconv.h"

void nci_reorder_run(int32_t src_layout, int32_t dst_layout, int64_t batch, int64_t channels, int64_t height,
                     int64_t width, const float *src, float *dst, const nc_executor *executor);

void nci_convert_filter_run(int32_t src_layout, int32_t dst_layout, int64_t out_channels,
                            int64_t in_channels_per_group, int64_t kernel_height, int64_t kernel_width,
                            const float *src, float *dst);

#endif
