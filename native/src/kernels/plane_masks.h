/* Tap masks for tiles of pixels over whole NCHW planes, where a same-width stride-1 convolution treats a
 * plane as one long row (conv_nchw_plane_template.h, conv_dw_nchw_template.h): output pixel q reads input
 * q + (r * dilation - pad_top) * W + s * dilation - pad_left at tap (r, s), and a lane must read zero where
 * that tap falls into padding, which depends only on the pixel. So a tile's masks are built once and serve
 * every channel.
 *
 * Included by a template after its ISA header, with PLANE_VECTORS (vectors per tile) and PLANE_MAX_TAPS
 * (bound on kernel_height and kernel_width) defined. */
#ifndef NATIVECONV_PLANE_MASKS_H
#define NATIVECONV_PLANE_MASKS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

/* offsets[r * kernel_width + s]: where tap (r, s) of output pixel q reads, relative to input pixel q. */
static void plane_tap_offsets(const nci_conv_params *p, int64_t *offsets)
{
    for (int64_t r = 0; r < p->kernel_height; r++) {
        for (int64_t s = 0; s < p->kernel_width; s++) {
            offsets[r * p->kernel_width + s] =
                (r * p->dilation_height - p->pad_top) * p->in_width + s * p->dilation_width - p->pad_left;
        }
    }
}

/* Sets bits [lo, hi) of the lane bitmap spread over bits[0..PLANE_VECTORS). */
static void set_lanes(uint32_t bits[PLANE_VECTORS], int64_t lo, int64_t hi)
{
    while (lo < hi) {
        const int64_t v = lo / NCI_V, first = lo % NCI_V;
        const int64_t last = hi - v * NCI_V < NCI_V ? hi - v * NCI_V : NCI_V;
        bits[v] |= (uint32_t)(((1u << last) - 1u) & ~((1u << first) - 1u));
        lo = v * NCI_V + last;
    }
}

/* Fills masks[tap * PLANE_VECTORS + v], v < vectors, for the tile's pixels [q0, q0 + pixels) (lanes past
 * them are off) and says whether any lane of those vectors is off (then the tile must run checked). Walks
 * the tile one output-row segment at a time: within a segment each kernel row is valid for all lanes or
 * none and each kernel column for one lane range. */
static bool plane_tile_masks(const nci_conv_params *p, int64_t q0, int64_t pixels, int64_t vectors,
                             nci_vmask *masks)
{
    const int64_t width = p->in_width;
    uint32_t row_bits[PLANE_MAX_TAPS][PLANE_VECTORS] = {{0}};
    uint32_t column_bits[PLANE_MAX_TAPS][PLANE_VECTORS] = {{0}};
    int64_t oh = q0 / width, ow = q0 % width;
    for (int64_t lane = 0; lane < pixels;) {
        const int64_t length = width - ow < pixels - lane ? width - ow : pixels - lane;
        for (int64_t r = 0; r < p->kernel_height; r++) {
            const int64_t ih = oh + r * p->dilation_height - p->pad_top;
            if (ih >= 0 && ih < p->in_height) {
                set_lanes(row_bits[r], lane, lane + length);
            }
        }
        for (int64_t s = 0; s < p->kernel_width; s++) {
            /* columns ow' of the segment with 0 <= ow' + shift < width */
            const int64_t shift = s * p->dilation_width - p->pad_left;
            const int64_t lo = -shift > ow ? -shift : ow;
            const int64_t hi = width - shift < ow + length ? width - shift : ow + length;
            if (lo < hi) {
                set_lanes(column_bits[s], lane + lo - ow, lane + hi - ow);
            }
        }
        lane += length;
        ow = 0;
        oh++;
    }
    const uint32_t full = (1u << NCI_V) - 1u;
    bool checked = false;
    for (int64_t r = 0; r < p->kernel_height; r++) {
        for (int64_t s = 0; s < p->kernel_width; s++) {
            for (int64_t v = 0; v < vectors; v++) {
                const uint32_t bits = row_bits[r][v] & column_bits[s][v];
                checked = checked || bits != full;
                masks[(r * p->kernel_width + s) * PLANE_VECTORS + v] = v_mask_bits(bits);
            }
        }
    }
    return checked;
}

#endif
