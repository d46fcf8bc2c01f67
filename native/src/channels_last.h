/* Addressing of the layouts that keep channels innermost: NHWC and NCHW16c. Both put the channels of a
 * pixel in runs of at most 16 contiguous floats, so one formula serves both: channel c lives at
 * (c / 16) * block_stride + c % 16 from its pixel. NHWC is the case block_stride = 16 (c itself), NCHW16c
 * the case block_stride = one block's plane. Kernels written against this view run on either layout. */
#ifndef NATIVECONV_CHANNELS_LAST_H
#define NATIVECONV_CHANNELS_LAST_H

#include <stdbool.h>
#include <stdint.h>

#include "nativeconv.h"

typedef struct nci_channels_last {
    int64_t image_stride; /* floats per image */
    int64_t pixel_stride; /* floats between horizontally neighbouring pixels */
    int64_t block_stride; /* floats between channel c and channel c + 16 of the same pixel */
    bool blocked;         /* NCHW16c: channels are contiguous only within a block, whatever the strides */
} nci_channels_last;

static inline int64_t nci_padded_channels(int64_t channels)
{
    return (channels + NC_CHANNEL_BLOCK - 1) / NC_CHANNEL_BLOCK * NC_CHANNEL_BLOCK;
}

/* layout is NC_LAYOUT_NHWC or NC_LAYOUT_NCHW16C. */
static inline nci_channels_last nci_channels_last_of(int32_t layout, int64_t channels, int64_t height,
                                                     int64_t width)
{
    const int64_t plane = height * width;
    if (layout == NC_LAYOUT_NCHW16C) {
        return (nci_channels_last){nci_padded_channels(channels) * plane, NC_CHANNEL_BLOCK, NC_CHANNEL_BLOCK * plane,
                                   true};
    }
    return (nci_channels_last){channels * plane, channels, NC_CHANNEL_BLOCK, false};
}

static inline int64_t nci_channel_offset(const nci_channels_last *view, int64_t channel)
{
    return channel / NC_CHANNEL_BLOCK * view->block_stride + channel % NC_CHANNEL_BLOCK;
}

/* End of the run of contiguous channels that starts at channel, cut at limit: loops over a channel range
 * take one run at a time, the whole range in NHWC and at most a block in NCHW16c (NHWC/NCHW16c pooling
 * groups neighbouring blocks itself). A one-pixel NCHW16c image is contiguous too, but the other tensor of
 * the operation (its input or output) need not be, so runs are cut by layout, never by the strides. */
static inline int64_t nci_run_end(const nci_channels_last *view, int64_t channel, int64_t limit)
{
    const int64_t block_end = (channel / NC_CHANNEL_BLOCK + 1) * NC_CHANNEL_BLOCK;
    return !view->blocked || block_end > limit ? limit : block_end;
}

/* Writes zeros to the padding lanes of the last channel block of images [batch_begin, batch_end), rows
 * [row_begin, row_end) of an NCHW16c tensor; nothing when channels fill their blocks. */
static inline void nci_zero_padding_lanes(float *tensor, int64_t channels, int64_t height, int64_t width,
                                          int64_t batch_begin, int64_t batch_end, int64_t row_begin, int64_t row_end)
{
    const int64_t used = channels % NC_CHANNEL_BLOCK;
    if (used == 0) {
        return;
    }
    const int64_t blocks = nci_padded_channels(channels) / NC_CHANNEL_BLOCK, plane = height * width;
    for (int64_t n = batch_begin; n < batch_end; n++) {
        float *block = tensor + ((n * blocks + blocks - 1) * plane + row_begin * width) * NC_CHANNEL_BLOCK;
        for (int64_t pixel = 0; pixel < (row_end - row_begin) * width; pixel++) {
            for (int64_t lane = used; lane < NC_CHANNEL_BLOCK; lane++) {
                block[pixel * NC_CHANNEL_BLOCK + lane] = 0.0f;
            }
        }
    }
}

static inline bool nci_is_channels_last(int32_t layout)
{
    return layout == NC_LAYOUT_NHWC || layout == NC_LAYOUT_NCHW16C;
}

#endif
