/* Where element (n, c, pixel) of an activation tensor lives in each nc_layout; for the plain loops
 * (fix-ups, padding lanes, reference checks) that visit elements one by one. */
#ifndef NATIVECONV_TENSOR_INDEX_H
#define NATIVECONV_TENSOR_INDEX_H

#include <stdint.h>

#include "channels_last.h"

/* pixel = row * width + column; plane = height * width. */
static inline int64_t nci_element_index(int32_t layout, int64_t channels, int64_t plane, int64_t n, int64_t c,
                                        int64_t pixel)
{
    if (layout == NC_LAYOUT_NCHW) {
        return (n * channels + c) * plane + pixel;
    }
    if (layout == NC_LAYOUT_NHWC) {
        return (n * plane + pixel) * channels + c;
    }
    return ((n * (nci_padded_channels(channels) / NC_CHANNEL_BLOCK) + c / NC_CHANNEL_BLOCK) * plane + pixel) *
               NC_CHANNEL_BLOCK +
           c % NC_CHANNEL_BLOCK;
}

#endif
