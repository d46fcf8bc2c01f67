/* Direct convolution on NCHW tensors, vectorised over output width: a tile is up to TILE_W vectors
 * of consecutive output pixels of one row x TILE_K output channels of one group. Per (c, r, s) it loads
 * the input vectors (one load for stride 1, two and a permute for stride 2, a gather otherwise) and
 * broadcasts TILE_K packed weights.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines TILE_W, TILE_K,
 * KERNEL_SYMBOL, KERNEL_NAME and KERNEL_ISA. Weights are packed per group into blocks of TILE_K output
 * channels, [c][r][s][TILE_K], zero-padded. Top and bottom padding clip the kernel rows per output row;
 * tiles whose columns reach into the left/right padding or past the row use masked loads that read zero
 * there, and tails are stored masked. No scratch memory. */
#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

typedef struct nchw_tile {
    const float *planes;  /* the group's first input channel plane of the image */
    const float *weights; /* the channel block */
    float *out;           /* output plane of the block's first channel, at the tile's first pixel */
    const float *bias;    /* bias of the block's first channel, or NULL */
    int64_t ih0, r_begin, r_end;
    int64_t iw0;      /* input column of the first lane at s = 0 (may be negative) */
    int64_t pixels;   /* valid output pixels of the tile */
    int64_t channels; /* valid output channels of the block */
} nchw_tile;

/* One (c, r, s) step: NVEC input vectors times TILE_K broadcast weights. */
NCI_INLINE void nchw_step(const int NVEC, const int MODE, const bool CHECKED, const nci_conv_params *p,
                          const float *row, int64_t start, const nci_row_masks *masks, const float *w,
                          nci_vf acc[TILE_W][TILE_K])
{
    const int64_t vector_step = NCI_V * p->stride_width; /* input columns between vectors */
    nci_vf xv[TILE_W];
    NCI_UNROLL
    for (int v = 0; v < NVEC; v++) {
        xv[v] = v_load_row(row, start + v * vector_step, p->stride_width, MODE, CHECKED, masks[v]);
    }
    NCI_UNROLL
    for (int j = 0; j < TILE_K; j++) {
        const nci_vf wv = v_set1(w[j]);
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            acc[v][j] = v_fma(xv[v], wv, acc[v][j]);
        }
    }
}

/* A kernel file may define MASKED_COLUMNS: checked tiles of kernels at most that wide keep every kernel
 * column's row masks in a table for the whole tile. That pays where masks are cheap to keep (AVX-512
 * bitmasks: stride 2 3x3 about 1.2x); with vector masks (AVX2) it measured slower. */
#if !defined(MASKED_COLUMNS)
#define MASKED_COLUMNS 0
#endif

/* Tiles sum in the order c, r, s, so each input row is read for all its kernel columns while it is in L1;
 * checked tiles take the per-column masks from the MASKED_COLUMNS table. Checked tiles of kernels wider
 * than that table sum s, c, r instead, computing each column's masks once. A tile's kind depends only on
 * its columns and the kernel, which every task split keeps, so each output still has one fixed order. */
NCI_INLINE void nchw_tile_run(const int NVEC, const int MODE, const bool CHECKED, const nci_conv_params *p,
                              const nchw_tile *t)
{
    const int64_t in_plane = p->in_height * p->in_width;
    const int64_t taps = p->kernel_height * p->kernel_width;
    nci_vf acc[TILE_W][TILE_K];
    NCI_UNROLL
    for (int v = 0; v < NVEC; v++) {
        NCI_UNROLL
        for (int j = 0; j < TILE_K; j++) {
            acc[v][j] = v_zero();
        }
    }
    if (CHECKED && p->kernel_width > MASKED_COLUMNS) {
        nci_row_masks masks[TILE_W];
        for (int64_t s = 0; s < p->kernel_width; s++) {
            const int64_t start = t->iw0 + s * p->dilation_width;
            NCI_UNROLL
            for (int v = 0; v < NVEC; v++) {
                masks[v] = v_row_masks(start + v * NCI_V * p->stride_width, p->in_width, p->stride_width, MODE);
            }
            for (int64_t c = 0; c < p->group_in_channels; c++) {
                const float *plane = t->planes + c * in_plane;
                for (int64_t r = t->r_begin; r < t->r_end; r++) {
                    const float *row = plane + (t->ih0 + r * p->dilation_height) * p->in_width;
                    const float *w = t->weights + (c * taps + r * p->kernel_width + s) * TILE_K;
                    nchw_step(NVEC, MODE, true, p, row, start, masks, w, acc);
                }
            }
        }
    } else {
        /* read only by checked tiles */
        nci_row_masks masks[MASKED_COLUMNS > 0 ? MASKED_COLUMNS : 1][TILE_W];
        for (int64_t s = 0; s < (CHECKED ? p->kernel_width : 0); s++) {
            const int64_t start = t->iw0 + s * p->dilation_width;
            NCI_UNROLL
            for (int v = 0; v < NVEC; v++) {
                masks[s][v] = v_row_masks(start + v * NCI_V * p->stride_width, p->in_width, p->stride_width, MODE);
            }
        }
        for (int64_t c = 0; c < p->group_in_channels; c++) {
            const float *plane = t->planes + c * in_plane;
            for (int64_t r = t->r_begin; r < t->r_end; r++) {
                const float *row = plane + (t->ih0 + r * p->dilation_height) * p->in_width;
                const float *w = t->weights + (c * taps + r * p->kernel_width) * TILE_K;
                for (int64_t s = 0; s < p->kernel_width; s++) {
                    nchw_step(NVEC, MODE, CHECKED, p, row, t->iw0 + s * p->dilation_width, masks[CHECKED ? s : 0],
                              w, acc);
                    w += TILE_K;
                }
            }
        }
    }
    nci_vf flat[TILE_W * TILE_K];
    NCI_COPY_TILE(flat, acc, NVEC, TILE_K);
    const int64_t out_plane = p->out_height * p->out_width;
    if (NVEC == TILE_W && t->channels == TILE_K) {
        v_store_lines(p, flat, 1, TILE_K, TILE_K, TILE_W, t->pixels, t->bias, 1, t->out, out_plane);
    } else {
        nci_store_lines(p, flat, 1, TILE_K, t->channels, NVEC, t->pixels, t->bias, 1, t->out, out_plane);
    }
}

NCI_INLINE void nchw_tile_mode(const int NVEC, int mode, bool checked, const nci_conv_params *p,
                               const nchw_tile *t)
{
    if (mode == NCI_ROW_UNIT) {
        if (checked) {
            nchw_tile_run(NVEC, NCI_ROW_UNIT, true, p, t);
        } else {
            nchw_tile_run(NVEC, NCI_ROW_UNIT, false, p, t);
        }
    } else if (mode == NCI_ROW_PAIRS) {
        if (checked) {
            nchw_tile_run(NVEC, NCI_ROW_PAIRS, true, p, t);
        } else {
            nchw_tile_run(NVEC, NCI_ROW_PAIRS, false, p, t);
        }
    } else {
        /* A gather costs the same with a mask, and strides above 2 are rare: one copy serves all tiles. */
        nchw_tile_run(NVEC, NCI_ROW_GATHER, true, p, t);
    }
}

static void nchw_tile_any(int64_t vectors, int mode, bool checked, const nci_conv_params *p, const nchw_tile *t)
{
    switch (vectors) {
#if TILE_W >= 4
    case 4: nchw_tile_mode(4, mode, checked, p, t); break;
#endif
#if TILE_W >= 3
    case 3: nchw_tile_mode(3, mode, checked, p, t); break;
#endif
#if TILE_W >= 2
    case 2: nchw_tile_mode(2, mode, checked, p, t); break;
#endif
    default: nchw_tile_mode(1, mode, checked, p, t); break;
    }
}

/* Gathers use int32 column indices. */
static bool can_handle(const nci_conv_params *p)
{
    return p->layout == NC_LAYOUT_NCHW && p->in_width <= INT32_MAX / 4 &&
           p->out_width * p->stride_width <= INT32_MAX / 4;
}

static int64_t packed_count(const nci_conv_params *p)
{
    return nci_blocked_filter_count(p, TILE_K);
}

static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, TILE_K, TILE_K, NCI_ORDER_CHANNELS_OUTER);
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t block_stride = cg * p->kernel_height * p->kernel_width; /* floats per packed lane */
    const int64_t kg_padded = nci_round_up(kg, TILE_K);
    const int mode = nci_row_mode(p->stride_width);
    const int64_t reach = nci_row_reach(mode, p->stride_width) + (p->kernel_width - 1) * p->dilation_width;
    /* A row's vectors fall in three runs: those that reach into the left padding, those whose loads all lie
     * inside the row, and those that reach past its end. Each run is spread evenly over its fewest tiles,
     * so that masked loads serve only the border vectors: one tile of three covering a 7x7 stride-2 row's
     * left border spent as much on masks as on its FMAs (callgrind). */
    const int64_t row_vectors = (p->out_width + NCI_V - 1) / NCI_V;
    const int64_t vector_columns = NCI_V * p->stride_width;
    int64_t inside_begin = 0, inside_end = row_vectors;
    while (inside_begin < row_vectors && inside_begin * vector_columns < p->pad_left) {
        inside_begin++;
    }
    while (inside_end > inside_begin && (inside_end - 1) * vector_columns - p->pad_left + reach >= p->in_width) {
        inside_end--;
    }
    const int64_t run_ends[3] = {inside_begin, inside_end, row_vectors};
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k = range->channel_begin; k < range->channel_end;) {
            const int64_t group = k / kg;
            const int64_t first = k - group * kg; /* a multiple of TILE_K: tasks split at blocks */
            nchw_tile t = {
                .planes = input + (n * p->in_channels + group * cg) * p->in_height * p->in_width,
                .weights = filter + (group * kg_padded + first) * block_stride,
                .bias = bias != NULL ? bias + k : NULL,
                .channels = kg - first < TILE_K ? kg - first : TILE_K,
            };
            float *out_plane = output + (n * p->out_channels + k) * p->out_height * p->out_width;
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                t.ih0 = oh * p->stride_height - p->pad_top;
                nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
                int64_t ow = 0;
                for (int64_t run_begin = 0, run = 0; run < 3; run_begin = run_ends[run++]) {
                    const int64_t run_vectors = run_ends[run] - run_begin;
                    const int64_t run_tiles = (run_vectors + TILE_W - 1) / TILE_W;
                    for (int64_t tile = 0; tile < run_tiles; tile++) {
                        const int64_t vectors = run_vectors / run_tiles + (tile < run_vectors % run_tiles ? 1 : 0);
                        const int64_t rest = p->out_width - ow;
                        t.pixels = vectors * NCI_V < rest ? vectors * NCI_V : rest;
                        t.iw0 = ow * p->stride_width - p->pad_left;
                        t.out = out_plane + oh * p->out_width + ow;
                        const int64_t last = t.iw0 + (vectors - 1) * vector_columns + reach;
                        const bool checked = t.iw0 < 0 || last >= p->in_width;
                        nchw_tile_any(vectors, mode, checked, p, &t);
                        ow += t.pixels;
                    }
                }
            }
            k += t.channels;
        }
    }
}

const nci_conv_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .channel_block = TILE_K,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
