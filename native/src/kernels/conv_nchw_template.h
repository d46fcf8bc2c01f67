/* Direct convolution on NCHW tensors, vectorised over output width: a tile is up to TILE_W vectors
 * of consecutive output pixels of one row x TILE_K output channels of one group. Per (c, r, s) it loads
 * the input vectors and broadcasts TILE_K packed weights. At stride 1 a vector is one load. At stride 2
 * the input rows are first staged on the stack split into even and odd columns (stage_layout), so a vector
 * is again one load; rows too big to stage, and other strides, gather (or, where the kernel file defines
 * UNSTAGED_PAIRS, load stride 2 as two vectors and a permute).
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines TILE_W, TILE_K,
 * KERNEL_SYMBOL, KERNEL_NAME and KERNEL_ISA. Weights are packed per group into blocks of TILE_K output
 * channels, [c][r][s][TILE_K], zero-padded. Top and bottom padding clip the kernel rows per output row;
 * tiles whose columns reach into the left/right padding or past the row use masked loads that read zero
 * there, and tails are stored masked. Stack: STAGE_BYTES of staged rows. */
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

/* acc[v][j] += xv[v] * w[j]: NVEC input vectors times TILE_K broadcast weights. */
NCI_INLINE void nchw_fma(const int NVEC, const nci_vf xv[TILE_W], const float *w, nci_vf acc[TILE_W][TILE_K])
{
    NCI_UNROLL
    for (int j = 0; j < TILE_K; j++) {
        const nci_vf wv = v_set1(w[j]);
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            acc[v][j] = v_fma(xv[v], wv, acc[v][j]);
        }
    }
}

NCI_INLINE void nchw_zero(const int NVEC, nci_vf acc[TILE_W][TILE_K])
{
    NCI_UNROLL
    for (int v = 0; v < NVEC; v++) {
        NCI_UNROLL
        for (int j = 0; j < TILE_K; j++) {
            acc[v][j] = v_zero();
        }
    }
}

/* One (c, r, s) step from the input row itself. */
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
    nchw_fma(NVEC, xv, w, acc);
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
    nchw_zero(NVEC, acc);
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
#if defined(UNSTAGED_PAIRS)
    } else if (mode == NCI_ROW_PAIRS) {
        if (checked) {
            nchw_tile_run(NVEC, NCI_ROW_PAIRS, true, p, t);
        } else {
            nchw_tile_run(NVEC, NCI_ROW_PAIRS, false, p, t);
        }
#endif
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

/* Staged rows at stride 2: an output row's input rows (every channel of the group, every kernel row that lies
 * inside the input) are copied once per chunk of output columns onto the stack, split into even and odd
 * columns, with the padding as zeros. Every tile of the chunk, of every channel block, then reads a vector
 * with one plain load: no permute per tap and vector, and no masks at the borders, so border tiles need not
 * be short (the unstaged row spent a third of its time in one-vector border tiles at two thirds of the FMA
 * rate). Each output sums c, r, s, as unchecked tiles do. Zen 4, 3->64 7x7 stride 2
 * 224x224 (resnet-conv1): AVX-512 1.13-1.17x, AVX2 1.27-1.33x. Staged at stride 1 (padding without masks),
 * 3->32 5x5 measured 0.94-0.95x; the tiles store through the outlined store, as inlining its full-tile case
 * measured 0.85x at AVX2. */
#define STAGE_BYTES (32 * 1024)
#define STAGE_FLOATS ((int64_t)(STAGE_BYTES / sizeof(float)))
#define STAGE_MAX_COLUMNS 16

typedef struct nchw_stage {
    int64_t phase_floats;  /* floats per phase of a staged row, a multiple of V */
    int64_t chunk_vectors; /* output vectors per chunk of a row */
    int64_t tap_offset[STAGE_MAX_COLUMNS]; /* per kernel column: where its phase and column start in a row */
} nchw_stage;

/* Whether the rows fit: the widest chunk of whole vectors whose rows fit in STAGE_FLOATS, spread evenly. */
static bool stage_layout(const nci_conv_params *p, nchw_stage *st)
{
    const int64_t stride = p->stride_width;
    const int64_t rows = p->group_in_channels * p->kernel_height;
    if (stride != 2 || p->kernel_width > STAGE_MAX_COLUMNS || rows > STAGE_FLOATS ||
        p->dilation_width > STAGE_FLOATS) {
        return false;
    }
    const int64_t halo = (p->kernel_width - 1) * p->dilation_width / stride;
    const int64_t row_vectors = (p->out_width + NCI_V - 1) / NCI_V;
    int64_t chunk = STAGE_FLOATS / (rows * stride) - halo;
    chunk = chunk < 0 ? 0 : chunk / NCI_V;
    while (chunk > 0 && rows * stride * nci_round_up(chunk * NCI_V + halo, NCI_V) > STAGE_FLOATS) {
        chunk--;
    }
    if (chunk < (row_vectors < TILE_W ? row_vectors : TILE_W)) {
        return false;
    }
    const int64_t chunks = (row_vectors + chunk - 1) / chunk;
    st->chunk_vectors = (row_vectors + chunks - 1) / chunks;
    st->phase_floats = nci_round_up(st->chunk_vectors * NCI_V + halo, NCI_V);
    for (int64_t s = 0; s < p->kernel_width; s++) {
        const int64_t tap = s * p->dilation_width;
        st->tap_offset[s] = tap % stride * st->phase_floats + tap / stride;
    }
    return true;
}

/* Stages the group's input rows of output row t->ih0 for the chunk whose first output column is ow0. */
static void stage_rows(const nci_conv_params *p, const nchw_tile *t, const nchw_stage *st, int64_t ow0, float *stage)
{
    const int64_t stride = p->stride_width, mode = nci_row_mode(stride);
    for (int64_t c = 0; c < p->group_in_channels; c++) {
        for (int64_t r = t->r_begin; r < t->r_end; r++) {
            const float *row = t->planes + (c * p->in_height + t->ih0 + r * p->dilation_height) * p->in_width;
            float *dst = stage + (c * p->kernel_height + r) * stride * st->phase_floats;
            for (int64_t phase = 0; phase < stride; phase++) {
                const int64_t first = ow0 * stride - p->pad_left + phase;
                for (int64_t j = 0; j < st->phase_floats; j += NCI_V) {
                    const int64_t start = first + j * stride;
                    v_store(dst, v_load_row_masked(row, start, stride, (int)mode,
                                                   v_row_masks(start, p->in_width, stride, (int)mode)));
                    dst += NCI_V;
                }
            }
        }
    }
}

/* A tile whose first vector starts `lane` floats into each staged phase. */
NCI_INLINE void nchw_staged_tile_run(const int NVEC, const nci_conv_params *p, const nchw_tile *t,
                                     const nchw_stage *st, const float *stage, int64_t lane)
{
    const int64_t taps = p->kernel_height * p->kernel_width;
    const int64_t row_floats = p->stride_width * st->phase_floats;
    nci_vf acc[TILE_W][TILE_K];
    nchw_zero(NVEC, acc);
    for (int64_t c = 0; c < p->group_in_channels; c++) {
        for (int64_t r = t->r_begin; r < t->r_end; r++) {
            const float *row = stage + (c * p->kernel_height + r) * row_floats + lane;
            const float *w = t->weights + (c * taps + r * p->kernel_width) * TILE_K;
            for (int64_t s = 0; s < p->kernel_width; s++, w += TILE_K) {
                const float *x = row + st->tap_offset[s];
                nci_vf xv[TILE_W];
                NCI_UNROLL
                for (int v = 0; v < NVEC; v++) {
                    xv[v] = v_load(x + v * NCI_V);
                }
                nchw_fma(NVEC, xv, w, acc);
            }
        }
    }
    nci_vf flat[TILE_W * TILE_K];
    NCI_COPY_TILE(flat, acc, NVEC, TILE_K);
    const int64_t out_plane = p->out_height * p->out_width;
    nci_store_lines(p, flat, 1, TILE_K, t->channels, NVEC, t->pixels, t->bias, 1, t->out, out_plane);
}

static void nchw_staged_tile_any(int64_t vectors, const nci_conv_params *p, const nchw_tile *t,
                                 const nchw_stage *st, const float *stage, int64_t lane)
{
    switch (vectors) {
#if TILE_W >= 4
    case 4: nchw_staged_tile_run(4, p, t, st, stage, lane); break;
#endif
#if TILE_W >= 3
    case 3: nchw_staged_tile_run(3, p, t, st, stage, lane); break;
#endif
#if TILE_W >= 2
    case 2: nchw_staged_tile_run(2, p, t, st, stage, lane); break;
#endif
    default: nchw_staged_tile_run(1, p, t, st, stage, lane); break;
    }
}

/* The task's rows chunk by chunk, staging each chunk's input rows once for all the task's channel blocks. */
static void run_staged(const nci_conv_params *p, const nchw_stage *st, const float *filter, const float *bias,
                       const float *input, float *output, const nci_task_range *range)
{
    nci_vf stage_vectors[STAGE_FLOATS / NCI_V]; /* vector-aligned */
    float *stage = (float *)stage_vectors;
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t block_stride = cg * p->kernel_height * p->kernel_width;
    const int64_t kg_padded = nci_round_up(kg, TILE_K);
    const int64_t row_vectors = (p->out_width + NCI_V - 1) / NCI_V;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
            nchw_tile t = {.ih0 = oh * p->stride_height - p->pad_top};
            nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
            for (int64_t chunk = 0; chunk < row_vectors; chunk += st->chunk_vectors) {
                const int64_t chunk_vectors = row_vectors - chunk < st->chunk_vectors ? row_vectors - chunk
                                                                                      : st->chunk_vectors;
                const int64_t tiles = (chunk_vectors + TILE_W - 1) / TILE_W;
                int64_t staged_group = -1;
                for (int64_t k = range->channel_begin; k < range->channel_end; k += t.channels) {
                    const int64_t group = k / kg;
                    const int64_t first = k - group * kg;
                    t.planes = input + (n * p->in_channels + group * cg) * p->in_height * p->in_width;
                    t.weights = filter + (group * kg_padded + first) * block_stride;
                    t.bias = bias != NULL ? bias + k : NULL;
                    t.channels = kg - first < TILE_K ? kg - first : TILE_K;
                    if (group != staged_group) {
                        stage_rows(p, &t, st, chunk * NCI_V, stage);
                        staged_group = group;
                    }
                    float *out_row = output + ((n * p->out_channels + k) * p->out_height + oh) * p->out_width;
                    for (int64_t tile = 0, v = 0; tile < tiles; tile++) {
                        const int64_t vectors = chunk_vectors / tiles + (tile < chunk_vectors % tiles ? 1 : 0);
                        const int64_t ow = (chunk + v) * NCI_V;
                        const int64_t rest = p->out_width - ow;
                        t.pixels = vectors * NCI_V < rest ? vectors * NCI_V : rest;
                        t.out = out_row + ow;
                        nchw_staged_tile_any(vectors, p, &t, st, stage, v * NCI_V);
                        v += vectors;
                    }
                }
            }
        }
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
    nchw_stage st;
    if (stage_layout(p, &st)) {
        run_staged(p, &st, filter, bias, input, output, range);
        return;
    }
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t block_stride = cg * p->kernel_height * p->kernel_width; /* floats per packed lane */
    const int64_t kg_padded = nci_round_up(kg, TILE_K);
#if defined(UNSTAGED_PAIRS)
    const int mode = nci_row_mode(p->stride_width);
#else
    const int mode = p->stride_width == 1 ? NCI_ROW_UNIT : NCI_ROW_GATHER;
#endif
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
