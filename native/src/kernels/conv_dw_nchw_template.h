/* Depthwise convolution (one input channel per group, any channel multiplier) on NCHW tensors, width in
 * lanes: a tile is TILE_R output rows x up to TILE_W vectors of output pixels of one channel. Per tap it
 * broadcasts one weight and loads one input vector per accumulator; the reduction order per output is s, r.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines TILE_R, TILE_W,
 * KERNEL_SYMBOL, KERNEL_NAME and KERNEL_ISA. Weights stay [channel][r][s]. Rows whose kernel window
 * crosses the top or bottom padding run one at a time with clipped kernel rows (so every row keeps
 * the same summation order whichever tile it falls in); columns are handled as in the NCHW kernel.
 *
 * A kernel file that defines DW_PLANE_TILES sends stride-1 convolutions whose output rows are as wide as
 * the input's ("same" padding) through whole planes as one long row instead, as the dense plane kernel
 * does: a tile is TILE_R x TILE_W vectors of consecutive pixels, crossing rows freely, and its tap masks
 * (plane_masks.h) are built once for a chunk of channels. Such tiles sum r, s with every tap (a masked tap
 * adds 0 * w). With AVX2's vector masks, 2-row tiles of a 28x28 plane spent about 800 instructions a tile
 * on masks, borders and stores for 56 outputs (callgrind); plane tiles run 1.35x (28x28) to 1.5x (14x14)
 * faster. AVX-512 (bitmasks, and 4-row tiles that reuse each input row for 3 kernel rows) takes plane tiles
 * only on planes up to DW_PLANE_MAX_WIDTH wide; NEON keeps the row tiles until measured. No scratch memory
 * beyond the stack (the mask table: PLANE_MAX_TAPS x PLANE_VECTORS masks, 6.25 KiB at AVX2). */
#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

#if defined(DW_PLANE_TILES)
#define PLANE_VECTORS (TILE_R * TILE_W)
#define PLANE_MAX_TAPS 25
#include "plane_masks.h"
/* Channels that share a pass over the pixel tiles, and so each tile's masks: building them costs about as
 * much as a tile, and 4 channels a pass ran at 0.65x the speed of 16, 16 at 0.9x that of 64, and 256 no
 * faster than 64 (AVX2, 3x3 over 14x14 to 56x56). */
#define PLANE_CHANNELS 64
#ifndef DW_PLANE_MAX_WIDTH
#define DW_PLANE_MAX_WIDTH INT64_MAX
#endif
#endif

typedef struct dw_tile {
    const float *plane;   /* the input channel plane */
    const float *weights; /* [r][s] of the output channel */
    float *out;           /* output plane at the tile's first row and pixel */
    const float *bias;    /* bias of the output channel, or NULL */
    int64_t ih0;          /* input row of the first output row at r = 0 */
    int64_t r_begin, r_end;
    int64_t iw0, pixels;
} dw_tile;

/* COL3 tiles have a 3-tall kernel at unit row stride and dilation, all of whose rows every tile row uses:
 * output row i at kernel row r reads input row i + r, so each of the ROWS + 2 input rows is loaded once
 * per kernel column for up to 3 output rows. The order per output stays s, r. */
NCI_INLINE void dw_nchw_tile_run(const int ROWS, const int NVEC, const int MODE, const bool CHECKED, const bool COL3,
                                 const nci_conv_params *p, const dw_tile *t)
{
    const int64_t vector_step = NCI_V * p->stride_width;
    const int64_t row_step = p->stride_height * p->in_width;
    nci_vf acc[TILE_R][TILE_W];
    NCI_UNROLL
    for (int i = 0; i < ROWS; i++) {
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            acc[i][v] = v_zero();
        }
    }
    /* s outermost so each kernel column's masks are computed once per tile. */
    for (int64_t s = 0; s < p->kernel_width; s++) {
        const int64_t start = t->iw0 + s * p->dilation_width;
        nci_row_masks masks[TILE_W]; /* only checked tiles read them */
        NCI_UNROLL
        for (int v = 0; v < TILE_W; v++) {
            masks[v] = CHECKED ? v_row_masks(start + v * vector_step, p->in_width, p->stride_width, MODE)
                               : v_row_masks(0, NCI_V, 1, NCI_ROW_UNIT);
        }
        if (COL3) {
            const float *rows = t->plane + t->ih0 * p->in_width;
            nci_vf wv[3];
            NCI_UNROLL
            for (int r = 0; r < 3; r++) {
                wv[r] = v_set1(t->weights[r * p->kernel_width + s]);
            }
            NCI_UNROLL
            for (int j = 0; j < ROWS + 2; j++) {
                NCI_UNROLL
                for (int v = 0; v < NVEC; v++) {
                    const nci_vf xv = v_load_row(rows + j * p->in_width, start + v * vector_step, p->stride_width,
                                                 MODE, CHECKED, masks[v]);
                    NCI_UNROLL
                    for (int r = 2; r >= 0; r--) {
                        if (j - r >= 0 && j - r < ROWS) {
                            acc[j - r][v] = v_fma(xv, wv[r], acc[j - r][v]);
                        }
                    }
                }
            }
            continue;
        }
        for (int64_t r = t->r_begin; r < t->r_end; r++) {
            const float *row = t->plane + (t->ih0 + r * p->dilation_height) * p->in_width;
            const nci_vf wv = v_set1(t->weights[r * p->kernel_width + s]);
            NCI_UNROLL
            for (int i = 0; i < ROWS; i++) {
                NCI_UNROLL
                for (int v = 0; v < NVEC; v++) {
                    const nci_vf xv =
                        v_load_row(row + i * row_step, start + v * vector_step, p->stride_width, MODE, CHECKED, masks[v]);
                    acc[i][v] = v_fma(xv, wv, acc[i][v]);
                }
            }
        }
    }
    nci_vf flat[TILE_R * TILE_W];
    NCI_COPY_TILE(flat, acc, ROWS, NVEC);
    if (ROWS == TILE_R && NVEC == TILE_W) {
        v_store_lines(p, flat, TILE_W, 1, TILE_R, TILE_W, t->pixels, t->bias, 0, t->out, p->out_width);
    } else {
        nci_store_lines(p, flat, TILE_W, 1, ROWS, NVEC, t->pixels, t->bias, 0, t->out, p->out_width);
    }
}

NCI_INLINE void dw_nchw_tile_mode(const int ROWS, const int NVEC, const bool COL3, int mode, bool checked,
                                  const nci_conv_params *p, const dw_tile *t)
{
    if (mode == NCI_ROW_UNIT) {
        if (checked) {
            dw_nchw_tile_run(ROWS, NVEC, NCI_ROW_UNIT, true, COL3, p, t);
        } else {
            dw_nchw_tile_run(ROWS, NVEC, NCI_ROW_UNIT, false, COL3, p, t);
        }
    } else if (mode == NCI_ROW_PAIRS) {
        if (checked) {
            dw_nchw_tile_run(ROWS, NVEC, NCI_ROW_PAIRS, true, COL3, p, t);
        } else {
            dw_nchw_tile_run(ROWS, NVEC, NCI_ROW_PAIRS, false, COL3, p, t);
        }
    } else {
        /* A gather costs the same with a mask, and strides above 2 are rare: one copy serves all tiles. */
        dw_nchw_tile_run(ROWS, NVEC, NCI_ROW_GATHER, true, COL3, p, t);
    }
}

NCI_INLINE void dw_nchw_tile_vectors(const int NVEC, bool all_rows, bool col3, int mode, bool checked,
                                     const nci_conv_params *p, const dw_tile *t)
{
    if (all_rows && col3) {
        dw_nchw_tile_mode(TILE_R, NVEC, true, mode, checked, p, t);
    } else if (all_rows) {
        dw_nchw_tile_mode(TILE_R, NVEC, false, mode, checked, p, t);
    } else {
        dw_nchw_tile_mode(1, NVEC, false, mode, checked, p, t);
    }
}

/* rows is TILE_R or 1; col3 says whole tiles may take the COL3 path. */
static void dw_nchw_tile_any(int64_t rows, int64_t vectors, bool col3, int mode, bool checked,
                             const nci_conv_params *p, const dw_tile *t)
{
    switch (vectors) {
#if TILE_W >= 4
    case 4: dw_nchw_tile_vectors(4, rows == TILE_R, col3, mode, checked, p, t); break;
#endif
#if TILE_W >= 3
    case 3: dw_nchw_tile_vectors(3, rows == TILE_R, col3, mode, checked, p, t); break;
#endif
#if TILE_W >= 2
    case 2: dw_nchw_tile_vectors(2, rows == TILE_R, col3, mode, checked, p, t); break;
#endif
    default: dw_nchw_tile_vectors(1, rows == TILE_R, col3, mode, checked, p, t); break;
    }
}

#if defined(DW_PLANE_TILES)
/* NVEC vectors of a plane tile of one channel, from the tile's vector whose masks are at masks[tap *
 * PLANE_VECTORS]; lanes past pixels are masked off and not stored. */
NCI_INLINE void dw_plane_tile_run(const int NVEC, const bool CHECKED, const nci_conv_params *p, const float *x,
                                  const float *w, const int64_t *tap_offset, const nci_vmask *masks, float *y,
                                  const float *bias, int64_t pixels)
{
    const int64_t taps = p->kernel_height * p->kernel_width;
    nci_vf acc[PLANE_VECTORS];
    NCI_UNROLL
    for (int v = 0; v < NVEC; v++) {
        acc[v] = v_zero();
    }
    for (int64_t tap = 0; tap < taps; tap++) {
        const float *xt = x + tap_offset[tap];
        const nci_vf wv = v_set1(w[tap]);
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            const nci_vf xv =
                CHECKED ? v_load_mask(xt + v * NCI_V, masks[tap * PLANE_VECTORS + v]) : v_load(xt + v * NCI_V);
            acc[v] = v_fma(xv, wv, acc[v]);
        }
    }
    nci_vf flat[PLANE_VECTORS];
    NCI_COPY_TILE(flat, &acc, 1, NVEC);
    nci_store_lines(p, flat, 0, 1, 1, NVEC, pixels, bias, 0, y, 0);
}

/* A task's last tile is often short: a 14x14 plane leaves 4 pixels after three tiles of 64, a 28x28 plane
 * 16. Tails of one or two vectors run as such (14x14 1.29x, 28x28 1.07x); longer ones as a whole tile.
 * Pieces of 4, 2 and 1 vectors made a 7x7 plane's 7 vectors three passes over the taps, 0.82x. */
static void dw_plane_tail(const nci_conv_params *p, const float *x, const float *w, const int64_t *tap_offset,
                          const nci_vmask *masks, float *y, const float *bias, int64_t pixels)
{
    const int64_t vectors = (pixels + NCI_V - 1) / NCI_V;
    if (vectors == 1) {
        dw_plane_tile_run(1, true, p, x, w, tap_offset, masks, y, bias, pixels);
    } else if (vectors == 2) {
        dw_plane_tile_run(2, true, p, x, w, tap_offset, masks, y, bias, pixels);
    } else {
        dw_plane_tile_run(PLANE_VECTORS, true, p, x, w, tap_offset, masks, y, bias, pixels);
    }
}

static bool plane_path(const nci_conv_params *p)
{
    return p->stride_height == 1 && p->stride_width == 1 && p->out_width == p->in_width &&
           p->out_width <= DW_PLANE_MAX_WIDTH && p->kernel_height * p->kernel_width <= PLANE_MAX_TAPS;
}

static void run_planes(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                       float *output, const nci_task_range *range)
{
    const int64_t width = p->in_width, taps = p->kernel_height * p->kernel_width;
    const int64_t in_plane = p->in_height * width, out_plane = p->out_height * p->out_width;
    int64_t tap_offset[PLANE_MAX_TAPS];
    plane_tap_offsets(p, tap_offset);
    nci_vmask masks[PLANE_MAX_TAPS * PLANE_VECTORS];
    const int64_t q_begin = range->row_begin * width, q_end = range->row_end * width;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k0 = range->channel_begin; k0 < range->channel_end; k0 += PLANE_CHANNELS) {
            const int64_t k_end = range->channel_end - k0 < PLANE_CHANNELS ? range->channel_end : k0 + PLANE_CHANNELS;
            for (int64_t q0 = q_begin; q0 < q_end; q0 += PLANE_VECTORS * NCI_V) {
                const int64_t pixels = q_end - q0 < PLANE_VECTORS * NCI_V ? q_end - q0 : PLANE_VECTORS * NCI_V;
                const bool checked = plane_tile_masks(p, q0, pixels, PLANE_VECTORS, masks);
                for (int64_t k = k0; k < k_end; k++) {
                    const int64_t group = k / p->group_out_channels;
                    const float *x = input + (n * p->in_channels + group) * in_plane + q0;
                    float *y = output + (n * p->out_channels + k) * out_plane + q0;
                    const float *b = bias != NULL ? bias + k : NULL;
                    if (pixels < PLANE_VECTORS * NCI_V) {
                        dw_plane_tail(p, x, filter + k * taps, tap_offset, masks, y, b, pixels);
                    } else if (checked) {
                        dw_plane_tile_run(PLANE_VECTORS, true, p, x, filter + k * taps, tap_offset, masks, y, b,
                                          pixels);
                    } else {
                        dw_plane_tile_run(PLANE_VECTORS, false, p, x, filter + k * taps, tap_offset, masks, y, b,
                                          pixels);
                    }
                }
            }
        }
    }
}
#endif

/* Gathers use int32 column indices. */
static bool can_handle(const nci_conv_params *p)
{
    return p->layout == NC_LAYOUT_NCHW && p->group_in_channels == 1 && p->in_width <= INT32_MAX / 4 &&
           p->out_width * p->stride_width <= INT32_MAX / 4;
}

static int64_t packed_count(const nci_conv_params *p)
{
    return p->out_channels * p->kernel_height * p->kernel_width;
}

/* [channel][r][s]: one-channel blocks, which is OIHW itself. */
static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, 1, 1, NCI_ORDER_CHANNELS_OUTER);
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
#if defined(DW_PLANE_TILES)
    if (plane_path(p)) {
        run_planes(p, filter, bias, input, output, range);
        return;
    }
#endif
    const int64_t taps = p->kernel_height * p->kernel_width;
    const int mode = nci_row_mode(p->stride_width);
    const int64_t reach = nci_row_reach(mode, p->stride_width) + (p->kernel_width - 1) * p->dilation_width;
    const int64_t row_vectors = (p->out_width + NCI_V - 1) / NCI_V;
    const int64_t row_tiles = (row_vectors + TILE_W - 1) / TILE_W;
    const int64_t tile_vectors = row_vectors / row_tiles, longer_tiles = row_vectors % row_tiles;
    /* With 2-row tiles the COL3 path saves a third of the loads, which measured no faster (AVX2); with
     * 4 rows it saves half (AVX-512 28x28 3x3: about 1.25x). */
    const bool col3 = TILE_R >= 4 && p->kernel_height == 3 && p->stride_height == 1 && p->dilation_height == 1;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k = range->channel_begin; k < range->channel_end; k++) {
            const int64_t group = k / p->group_out_channels;
            dw_tile t = {
                .plane = input + (n * p->in_channels + group) * p->in_height * p->in_width,
                .weights = filter + k * taps,
                .bias = bias != NULL ? bias + k : NULL,
            };
            float *out_plane = output + (n * p->out_channels + k) * p->out_height * p->out_width;
            for (int64_t oh = range->row_begin; oh < range->row_end;) {
                t.ih0 = oh * p->stride_height - p->pad_top;
                nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
                /* TILE_R rows together only when all of them use every kernel row. */
                const int64_t last_ih = t.ih0 + (TILE_R - 1) * p->stride_height +
                                        (p->kernel_height - 1) * p->dilation_height;
                const int64_t rows = t.ih0 >= 0 && last_ih < p->in_height && range->row_end - oh >= TILE_R ? TILE_R : 1;
                int64_t ow = 0;
                for (int64_t tile = 0; tile < row_tiles; tile++) {
                    const int64_t vectors = tile_vectors + (tile < longer_tiles ? 1 : 0);
                    const int64_t rest = p->out_width - ow;
                    t.pixels = vectors * NCI_V < rest ? vectors * NCI_V : rest;
                    t.iw0 = ow * p->stride_width - p->pad_left;
                    t.out = out_plane + oh * p->out_width + ow;
                    const int64_t last = t.iw0 + (vectors - 1) * NCI_V * p->stride_width + reach;
                    const bool checked = t.iw0 < 0 || last >= p->in_width;
                    dw_nchw_tile_any(rows, vectors, col3, mode, checked, p, &t);
                    ow += t.pixels;
                }
                oh += rows;
            }
        }
    }
}

const nci_conv_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .channel_block = 1,
    .planes_first = true,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
