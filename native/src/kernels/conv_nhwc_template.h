/* Direct convolution on NHWC and NCHW16c tensors (channels_last.h), vectorised over output channels: a
 * tile is TILE_P output pixels of one row x TILE_Q vectors of output channels of one group (NARROW_P
 * pixels for a block of one vector). Per (r, s, c) it loads the tile's packed weight vectors and
 * broadcasts its input scalars; the reduction order per output is r, s, c.
 *
 * A broadcast reads one scalar wherever it lies, so the same tiles also run on NCHW tensors: a kernel file
 * that defines KERNEL_SYMBOL_NCHW and KERNEL_NAME_NCHW gets a second kernel for NCHW, whose channel runs
 * step by the plane and whose tiles are transposed to the output planes at the store. It serves strided
 * NCHW convolutions, where the NCHW kernels' vectors of output pixels need shuffles or gathers of the input
 * (stride 2, 3x3, 128 channels at 56x56, AVX2: 22 -> 53 GFLOP/s), and small planes of many channels
 * (can_handle_nchw); such a kernel file also defines NCHW_PLANE_LIMIT.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines TILE_P, TILE_Q,
 * KERNEL_SYMBOL, KERNEL_NAME and KERNEL_ISA. Weights are packed per group into blocks of TILE_Q * V
 * output channels, [r][s][c][lanes], the last block of a group padded with zeros to whole vectors.
 * Pixels whose window row crosses the left or right padding run one at a time with the tap range
 * clipped; top and bottom padding clip the kernel rows for the whole output row. No scratch memory. */
#include "channels_last.h"
#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

#define BLOCK (TILE_Q * NCI_V)

/* A block of one vector (the last of a group whose channels are not a whole number of blocks, e.g. 80
 * channels in blocks of 64) runs NARROW_P pixels at a time, so it keeps as many FMAs in flight as a
 * full tile: TILE_P chains of one vector would wait on the FMA latency. A kernel with its own channel
 * run keeps TILE_P: its run is declared before this header, with arrays of TILE_P pixels. */
#if defined(NHWC_CUSTOM_CHANNEL_RUN)
#define NARROW_P TILE_P
#else
#define NARROW_P (2 * TILE_P)
#endif

#if defined(KERNEL_SYMBOL_NCHW)
#define READS_NCHW true
#if defined(NHWC_CUSTOM_CHANNEL_RUN)
#error "an NCHW variant needs the template's channel run, which steps channels by the plane"
#endif
/* nhwc_store_planes puts a channel's pixels of a tile in one vector. */
_Static_assert(NARROW_P <= NCI_V, "NCHW stores need NARROW_P <= NCI_V");
#else
#define READS_NCHW false
#endif

typedef struct nhwc_tile {
    nci_channels_last in, out_view;
    const float *image;   /* input image */
    const float *weights; /* the channel block */
    float *out;           /* output of the first pixel, at its first channel */
    const float *bias;    /* bias of the block's first channel, or NULL */
    int64_t c_first;      /* the group's first input channel */
    int64_t k_first;      /* the block's first output channel */
    int64_t ih0, iw0;     /* input coordinates of the first pixel's window origin */
    int64_t pixel_step;   /* input floats from one pixel of the tile to the next: along a row, or down a column */
    int64_t out_pixel_step; /* output floats from one pixel of the tile to the next */
    int64_t r_begin, r_end, s_begin, s_end;
    int64_t channels;     /* valid output channels of the block */
    int64_t channel_step; /* floats between neighbouring channels of a run: 1, or the plane in NCHW */
    bool nchw;
} nhwc_tile;

#ifndef NHWC_CUSTOM_CHANNEL_RUN
/* acc[i][q] += x[i * pixel_step + c * channel_step] * w[c][q] for count input channels at x; returns the
 * weights of the next channel. A kernel file may define NHWC_CUSTOM_CHANNEL_RUN and its own version (NEON
 * uses lane-indexed FMAs), keeping this order per output. Pixels from HALF_P on are read through a second
 * pointer at the first pixels' offsets: with one pointer, the eleven offsets of AVX-512's 12-pixel tiles
 * outnumbered the free general registers, and four were reloaded from the stack every channel (Zen 4, without
 * those reloads: 3->32 5x5 NHWC / NCHW16c 1.01 / 1.03x, 3->16 and 16->16 on AVX2 1.01-1.03x, full tiles 1.00x). */
#define HALF_P TILE_P
NCI_INLINE const float *nhwc_channel_run(const int P, const int Q, nci_vf acc[NARROW_P][TILE_Q], const float *x,
                                         int64_t pixel_step, int64_t channel_step, const float *w, int64_t count)
{
    const float *x_hi = P > HALF_P ? x + HALF_P * pixel_step : x;
    for (int64_t c = 0; c < count; c++, x += channel_step, x_hi += channel_step) {
        nci_vf wv[TILE_Q];
        NCI_UNROLL
        for (int q = 0; q < Q; q++) {
            wv[q] = v_load(w + q * NCI_V);
        }
        NCI_UNROLL
        for (int i = 0; i < P; i++) {
            const nci_vf xv = v_set1(i < HALF_P ? x[i * pixel_step] : x_hi[(i - HALF_P) * pixel_step]);
            NCI_UNROLL
            for (int q = 0; q < Q; q++) {
                acc[i][q] = v_fma(xv, wv[q], acc[i][q]);
            }
        }
        w += Q * NCI_V;
    }
    return w;
}
#endif

#if defined(KERNEL_SYMBOL_NCHW)
/* NCHW output: each output channel's pixels of a row tile are contiguous in its plane, so the tile is
 * transposed on the stack and stored a channel plane at a time; a column tile's pixels, one at a time. Out of
 * line: it runs once a tile, after cg x taps steps, and one copy serves every tile shape. */
NCI_OUTLINE void nhwc_store_planes(const nci_conv_params *p, const nci_vf *flat, int64_t pixels, const nhwc_tile *t)
{
    const int64_t run = t->out_pixel_step == 1 ? pixels : 1;
    nci_vf planes[BLOCK];
    float *plane = (float *)planes;
    const float *tile = (const float *)flat;
    for (int64_t first = 0; first < pixels; first += run) {
        for (int64_t k = 0; k < t->channels; k++) {
            for (int64_t i = 0; i < run; i++) {
                plane[k * NCI_V + i] = tile[((first + i) * TILE_Q + k / NCI_V) * NCI_V + k % NCI_V];
            }
        }
        nci_store_lines(p, planes, 1, 0, t->channels, 1, run, t->bias, 1, t->out + first * t->out_pixel_step,
                        p->out_height * p->out_width);
    }
}
#endif

NCI_INLINE void nhwc_tile_run(const int P, const int Q, const nci_conv_params *p, const nhwc_tile *t)
{
    const int64_t cg = p->group_in_channels;
    const int64_t pixel_step = t->pixel_step;
    nci_vf acc[NARROW_P][TILE_Q];
    NCI_UNROLL
    for (int i = 0; i < P; i++) {
        NCI_UNROLL
        for (int q = 0; q < Q; q++) {
            acc[i][q] = v_zero();
        }
    }
    /* With one group in NHWC and unit column dilation, a window row's taps (s, c) lie contiguous in the input
     * and in the packed weights ([r][s][c]), so they make one channel run: a 3-channel first layer then takes
     * one loop of kw * 3 steps per kernel row instead of kw loops of 3. The order per output stays r, s, c. */
    const bool row_runs = !t->nchw && !t->in.blocked && t->in.pixel_stride == cg && p->dilation_width == 1;
    const bool whole_blocks = P == TILE_P && Q == TILE_Q && t->in.blocked && cg % NC_CHANNEL_BLOCK == 0;
    /* A group inside one NCHW16c block (a first layer's 3 channels) is one run per tap, found once: finding
     * each tap's run end and offset cost as many instructions as the run's 3 steps. Tiles of fewer vectors too:
     * 3->32 5x5 224x224 (2 vectors at AVX-512) ran 1.19-1.33x faster, 1.10x on AVX2; 3->64 7x7 stride 2,
     * whose tiles were already full, 0.94-0.96x at AVX-512 (code placement) and 1.05-1.09x on AVX2. */
    const bool one_block = P == TILE_P && t->in.blocked &&
                           t->c_first % NC_CHANNEL_BLOCK + cg <= NC_CHANNEL_BLOCK;
    const int64_t block_offset = one_block ? nci_channel_offset(&t->in, t->c_first) : 0;
    for (int64_t r = t->r_begin; r < t->r_end; r++) {
        const int64_t s_stop = row_runs ? t->s_begin + 1 : t->s_end;
        const int64_t run_channels = row_runs ? (t->s_end - t->s_begin) * cg : cg;
        for (int64_t s = t->s_begin; s < s_stop; s++) {
            const float *pixel = t->image + ((t->ih0 + r * p->dilation_height) * p->in_width + t->iw0 +
                                             s * p->dilation_width) * t->in.pixel_stride;
            const float *w = t->weights + (r * p->kernel_width + s) * cg * Q * NCI_V;
            if (whole_blocks) {
                const float *x = pixel + nci_channel_offset(&t->in, t->c_first);
                for (int64_t c = 0; c < cg; c += NC_CHANNEL_BLOCK, x += t->in.block_stride) {
                    w = nhwc_channel_run(P, Q, acc, x, pixel_step, 1, w, NC_CHANNEL_BLOCK);
                }
                continue;
            }
            if (one_block) {
                w = nhwc_channel_run(P, Q, acc, pixel + block_offset, pixel_step, 1, w, cg);
                continue;
            }
            /* One run of input channels at a time: the whole group in NHWC and NCHW, a block's worth in NCHW16c. */
            for (int64_t c = 0; c < run_channels;) {
                const int64_t stop = nci_run_end(&t->in, t->c_first + c, t->c_first + run_channels) - t->c_first;
                const int64_t offset = t->nchw ? (t->c_first + c) * t->channel_step
                                               : nci_channel_offset(&t->in, t->c_first + c);
                w = nhwc_channel_run(P, Q, acc, pixel + offset, pixel_step, t->channel_step, w, stop - c);
                c = stop;
            }
        }
    }
    nci_vf flat[NARROW_P * TILE_Q];
    NCI_COPY_TILE(flat, acc, P, Q);
#if defined(KERNEL_SYMBOL_NCHW)
    if (t->nchw) {
        nhwc_store_planes(p, flat, P, t);
        return;
    }
#endif
    int64_t offset[TILE_Q];
    for (int q = 0; q < Q; q++) {
        offset[q] = nci_channel_offset(&t->out_view, t->k_first + q * NCI_V);
    }
    if (P == TILE_P && Q == TILE_Q) {
        v_store_channel_vectors(p, flat, TILE_Q, TILE_P, TILE_Q, t->channels, t->bias, t->out, t->out_pixel_step,
                                offset);
    } else {
        nci_store_channel_vectors(p, flat, TILE_Q, P, Q, t->channels, t->bias, t->out, t->out_pixel_step, offset);
    }
}

/* Tiles of P pixels x Q vectors along an output row from t, whose group's input channels are one run per tap
 * (NHWC, or an NCHW16c group inside one block): the input and weight pointers step from tile to tile and tap
 * to tap, so a tile costs its runs and its store and nothing else. With one NHWC group and unit column
 * dilation a window row's taps make one run of kernel_width * cg steps. Short runs gain most (Zen 4, against
 * per-tile setup, NHWC / NCHW16c): 3->32 5x5 224x224 1.24/1.26x on AVX2, 1.20/1.13x on AVX-512; 3->64 7x7
 * stride 2 1.16/1.32x and 1.12/1.08x; 4 groups of 8 channels 1.60x and 1.30x (NHWC). */
NCI_INLINE void nhwc_run_tiles(const int P, const int Q, const nci_conv_params *p, const nhwc_tile *t,
                               int64_t tiles)
{
    const int64_t cg = p->group_in_channels;
    const int64_t pixel_stride = t->in.pixel_stride;
    const bool row_run = !t->in.blocked && pixel_stride == cg && p->dilation_width == 1;
    const int64_t run = row_run ? p->kernel_width * cg : cg;
    const int64_t taps = row_run ? 1 : p->kernel_width;
    const int64_t tap_step = p->dilation_width * pixel_stride;
    const int64_t pixel_step = p->stride_width * pixel_stride;
    const int64_t row_step = p->dilation_height * p->in_width * pixel_stride;
    const int64_t out_pixel_stride = t->out_view.pixel_stride;
    const float *first_row = t->image + ((t->ih0 + t->r_begin * p->dilation_height) * p->in_width + t->iw0) *
                                            pixel_stride + nci_channel_offset(&t->in, t->c_first);
    const float *first_weights = t->weights + t->r_begin * p->kernel_width * cg * Q * NCI_V;
    float *out = t->out;
    int64_t offset[TILE_Q];
    for (int q = 0; q < Q; q++) {
        offset[q] = nci_channel_offset(&t->out_view, t->k_first + q * NCI_V);
    }
    for (int64_t tile = 0; tile < tiles; tile++, first_row += P * pixel_step, out += P * out_pixel_stride) {
        nci_vf acc[NARROW_P][TILE_Q];
        NCI_UNROLL
        for (int i = 0; i < P; i++) {
            NCI_UNROLL
            for (int q = 0; q < Q; q++) {
                acc[i][q] = v_zero();
            }
        }
        /* A first layer's output streams past the caches (6.4 MB at 3->32 224x224), and stores waiting for their
         * lines took 12 % of the time on 3->32 5x5 at AVX-512 (perf): the next tile's lines are fetched during
         * this one. Zen 4, NHWC: that row 1.08x at AVX-512, 3->64 7x7 stride 2 1.10-1.16x on AVX2 and 1.00-1.04x
         * at AVX-512; NCHW16c 0.98-1.03x, rows whose output stays in cache 0.99-1.03x. */
        for (int i = 0; i < P; i++) {
            for (int q = 0; q < Q; q++) {
                nci_prefetch_float(out, (P + i) * out_pixel_stride + offset[q]);
            }
        }
        const float *x_row = first_row, *w = first_weights;
        for (int64_t r = t->r_begin; r < t->r_end; r++, x_row += row_step) {
            const float *x = x_row;
            for (int64_t s = 0; s < taps; s++, x += tap_step) {
                w = nhwc_channel_run(P, Q, acc, x, pixel_step, 1, w, run);
            }
        }
        nci_vf flat[NARROW_P * TILE_Q];
        NCI_COPY_TILE(flat, acc, P, Q);
        v_store_channel_vectors(p, flat, TILE_Q, P, Q, t->channels, t->bias, out, out_pixel_stride, offset);
    }
}

/* A block of half the vectors (a first layer's 32 channels at AVX-512) takes twice the pixels, and a block of one
 * vector NARROW_P pixels: as many accumulators as a full tile. The NEON tiles' own channel run holds TILE_P
 * pixels only. */
#define ROW_TILES_NARROW (TILE_Q % 2 == 0 && NARROW_P == 2 * TILE_P)

/* The tiles of nhwc_run_tiles for a block of `vectors` vectors: its pixels per tile, or 0 when the block takes
 * the general tiles. */
static int row_tile_pixels(int64_t vectors)
{
    if (vectors == TILE_Q) {
        return TILE_P;
    }
    return ROW_TILES_NARROW && (vectors == TILE_Q / 2 || vectors == 1) ? NARROW_P : 0;
}

NCI_OUTLINE void nhwc_row_tiles(int64_t vectors, const nci_conv_params *p, const nhwc_tile *t, int64_t tiles)
{
#if ROW_TILES_NARROW
    if (vectors == 1) {
        nhwc_run_tiles(NARROW_P, 1, p, t, tiles);
        return;
    }
    if (vectors == TILE_Q / 2) {
        nhwc_run_tiles(NARROW_P, TILE_Q / 2, p, t, tiles);
        return;
    }
#endif
    (void)vectors;
    nhwc_run_tiles(TILE_P, TILE_Q, p, t, tiles);
}

/* One copy per pixel count, so remainders keep their accumulators in registers too. */
NCI_INLINE void nhwc_tile_pixels(const int Q, int64_t pixels, const nci_conv_params *p, const nhwc_tile *t)
{
    switch (pixels) {
#if TILE_P >= 8
    case 8: nhwc_tile_run(8, Q, p, t); break;
#endif
#if TILE_P >= 7
    case 7: nhwc_tile_run(7, Q, p, t); break;
#endif
#if TILE_P >= 6
    case 6: nhwc_tile_run(6, Q, p, t); break;
#endif
#if TILE_P >= 5
    case 5: nhwc_tile_run(5, Q, p, t); break;
#endif
#if TILE_P >= 4
    case 4: nhwc_tile_run(4, Q, p, t); break;
#endif
#if TILE_P >= 3
    case 3: nhwc_tile_run(3, Q, p, t); break;
#endif
#if TILE_P >= 2
    case 2: nhwc_tile_run(2, Q, p, t); break;
#endif
    default: nhwc_tile_run(1, Q, p, t); break;
    }
}

static void nhwc_tile_any(int64_t pixels, int64_t vectors, const nci_conv_params *p, const nhwc_tile *t)
{
    switch (vectors) {
#if TILE_Q >= 4
    case 4: nhwc_tile_pixels(4, pixels, p, t); break;
#endif
#if TILE_Q >= 3
    case 3: nhwc_tile_pixels(3, pixels, p, t); break;
#endif
#if TILE_Q >= 2
    case 2: nhwc_tile_pixels(2, pixels, p, t); break;
#endif
    default:
        if (NARROW_P > TILE_P && pixels == NARROW_P) {
            nhwc_tile_run(NARROW_P, 1, p, t);
        } else {
            nhwc_tile_pixels(1, pixels, p, t);
        }
        break;
    }
}

/* In NCHW16c a vector of output channels must not straddle two blocks, so every group starts on a block. */
static bool can_handle(const nci_conv_params *p)
{
    return p->layout == NC_LAYOUT_NHWC ||
           (p->layout == NC_LAYOUT_NCHW16C &&
            (p->groups == 1 || p->group_out_channels % NC_CHANNEL_BLOCK == 0));
}

#if defined(KERNEL_SYMBOL_NCHW)
/* Strided NCHW with enough input channels for the channel runs, and stride 1 over planes of at most
 * NCHW_PLANE_LIMIT pixels (set by the kernel file) with at least 64 input channels a group and a kernel wider
 * than one tap. The NCHW kernels keep the rest: other stride-1 rows (whole vectors of output pixels) and first
 * layers, where a run of 3 channels per tap is too short (7x7 stride 2 with 3 input channels: 31 GFLOP/s there,
 * 25 here; stride 2 with 8 channels: 29 there, 38 here). Against the plane kernel on Zen 4, 3x3 stride 1,
 * AVX2 / AVX-512, with the column tiles: 64->64 14x14 1.13/1.15x, 64->64 28x28 1.05/1.12x, 256->256 56x56
 * 0.79/1.05-1.08x, 128->128 56x56 0.87/1.07x, 64->64 56x56 0.96/1.01-1.03x, 32->32 28x28 0.96/0.92x; at
 * AVX-512 112x112 and 224x224 0.95-1.01x. Before them: 256->256 14x14 1.11/1.12x, 512->512 7x7 1.04/1.22x,
 * 1x1 512->128 28x28 0.78/1.01x. */
static bool can_handle_nchw(const nci_conv_params *p)
{
    if (p->layout != NC_LAYOUT_NCHW) {
        return false;
    }
    if (p->stride_width > 1) {
        return p->group_in_channels >= 8;
    }
    return p->group_in_channels >= 64 && p->in_height * p->in_width <= NCHW_PLANE_LIMIT &&
           p->kernel_height * p->kernel_width > 1;
}
#endif

static int64_t packed_count(const nci_conv_params *p)
{
    return nci_blocked_filter_count(p, NCI_V);
}

static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, BLOCK, NCI_V, NCI_ORDER_TAPS_OUTER);
}

/* The columns of a row outside [tiles_begin, tiles_end) (the borders, and interior pixels short of a tile) as
 * tiles of `pixels` pixels down a column, from row oh: rows whose every kernel row lies inside the input, so a
 * column's pixels share their taps. One pixel at a time, those columns ran too few accumulators to hide the FMA
 * latency (AVX2: 4 ymm) and loaded 5 vectors for 4 FMAs. Zen 4, against pixels one at a time, AVX2 / AVX-512:
 * 3x3 256->256 14x14 NHWC 1.08/1.11x, 512->512 14x14 NCHW16c 1.09/1.13x, 4 groups of 8 channels at 28x28
 * 1.20/1.19x, 64->64 56x56 1.03/1.03x, 3->64 7x7 stride 2 1.04/1.04x; 256->256 56x56 0.99-1.02x. */
static void nhwc_column_tiles(const nci_conv_params *p, nhwc_tile t, int64_t oh, int64_t pixels, int64_t vectors,
                              int64_t tiles_begin, int64_t tiles_end, float *out_image)
{
    t.pixel_step = p->stride_height * p->in_width * t.in.pixel_stride;
    t.out_pixel_step = p->out_width * t.out_view.pixel_stride;
    t.ih0 = oh * p->stride_height - p->pad_top;
    t.r_begin = 0;
    t.r_end = p->kernel_height;
    const int64_t spans[2][2] = {{0, tiles_begin}, {tiles_end, p->out_width}};
    for (int span = 0; span < 2; span++) {
        for (int64_t ow = spans[span][0]; ow < spans[span][1]; ow++) {
            t.iw0 = ow * p->stride_width - p->pad_left;
            nci_valid_taps(t.iw0, p->dilation_width, p->kernel_width, p->in_width, &t.s_begin, &t.s_end);
            t.out = out_image + (oh * p->out_width + ow) * t.out_view.pixel_stride;
            nhwc_tile_any(pixels, vectors, p, &t);
        }
    }
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t block_stride = cg * p->kernel_height * p->kernel_width; /* floats per packed lane */
    const int64_t kg_padded = nci_round_up(kg, NCI_V);
    /* Columns [interior_begin, interior_end) have every tap of their window row inside the input; rows
     * [inside_begin, inside_end) every kernel row. */
    int64_t interior_begin, interior_end, inside_begin, inside_end;
    nci_inside_span(p->pad_left, p->stride_width, p->kernel_width, p->dilation_width, p->in_width, p->out_width,
                    &interior_begin, &interior_end);
    nci_inside_span(p->pad_top, p->stride_height, p->kernel_height, p->dilation_height, p->in_height, p->out_height,
                    &inside_begin, &inside_end);
    inside_begin = inside_begin > range->row_begin ? inside_begin : range->row_begin;
    inside_end = inside_end < range->row_end ? inside_end : range->row_end;
    /* NCHW as a channels-last view with one-float pixels: channel offsets and strides come from the tile. */
    const bool nchw = READS_NCHW && p->layout == NC_LAYOUT_NCHW;
    const int64_t in_plane = p->in_height * p->in_width, out_plane = p->out_height * p->out_width;
    const nci_channels_last in = nchw ? (nci_channels_last){p->in_channels * in_plane, 1, 0, false}
                                      : nci_channels_last_of(p->layout, p->in_channels, p->in_height, p->in_width);
    const nci_channels_last out = nchw ? (nci_channels_last){p->out_channels * out_plane, 1, 0, false}
                                       : nci_channels_last_of(p->layout, p->out_channels, p->out_height, p->out_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        const float *image = input + n * in.image_stride;
        for (int64_t k = range->channel_begin; k < range->channel_end;) {
            const int64_t group = k / kg;
            const int64_t first = k - group * kg; /* a multiple of BLOCK: tasks split at blocks */
            const int64_t channels = kg - first < BLOCK ? kg - first : BLOCK;
            const int64_t vectors = (channels + NCI_V - 1) / NCI_V;
            const bool one_run_per_tap =
                !nchw && (!in.blocked || group * cg % NC_CHANNEL_BLOCK + cg <= NC_CHANNEL_BLOCK);
            const int64_t row_pixels = one_run_per_tap ? row_tile_pixels(vectors) : 0;
            /* Whole tiles along a row cover [interior_begin, tiles_end); in the rows of whole column tiles,
             * [inside_begin, columns_end), the columns outside them run down the columns. */
            const int64_t row_step = row_pixels > 0 ? row_pixels : TILE_P;
            const int64_t tiles_end = interior_begin + (interior_end - interior_begin) / row_step * row_step;
            const int64_t column_pixels = vectors == 1 ? NARROW_P : TILE_P;
            const int64_t columns_end =
                inside_end > inside_begin ? inside_begin + (inside_end - inside_begin) / column_pixels * column_pixels
                                          : inside_begin;
            float *out_image = output + n * out.image_stride + (nchw ? k * out_plane : 0);
            nhwc_tile t = {
                .in = in,
                .out_view = out,
                .image = image,
                .c_first = group * cg,
                .k_first = k,
                .weights = filter + (group * kg_padded + first) * block_stride,
                .bias = bias != NULL ? bias + k : NULL,
                .channels = channels,
                .pixel_step = p->stride_width * in.pixel_stride,
                .out_pixel_step = out.pixel_stride,
                .channel_step = nchw ? in_plane : 1,
                .nchw = nchw,
            };
            for (int64_t oh = inside_begin; oh < columns_end; oh += column_pixels) {
                nhwc_column_tiles(p, t, oh, column_pixels, vectors, interior_begin, tiles_end, out_image);
            }
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                t.ih0 = oh * p->stride_height - p->pad_top;
                nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
                float *out_row = out_image + oh * p->out_width * out.pixel_stride;
                const bool columns_done = oh >= inside_begin && oh < columns_end;
                const int64_t row_end = columns_done ? tiles_end : p->out_width;
                const int64_t interior_stop = columns_done ? tiles_end : interior_end;
                for (int64_t ow = columns_done ? interior_begin : 0; ow < row_end;) {
                    int64_t pixels = 1;
                    t.iw0 = ow * p->stride_width - p->pad_left;
                    t.out = out_row + ow * out.pixel_stride;
                    if (ow >= interior_begin && ow < interior_stop) {
                        if (row_pixels > 0 && interior_stop - ow >= row_pixels) {
                            const int64_t tiles = (interior_stop - ow) / row_pixels;
                            nhwc_row_tiles(vectors, p, &t, tiles);
                            ow += tiles * row_pixels;
                            continue;
                        }
                        pixels = interior_stop - ow < TILE_P ? interior_stop - ow : TILE_P;
                        pixels = vectors == 1 && interior_stop - ow >= NARROW_P ? NARROW_P : pixels;
                        t.s_begin = 0;
                        t.s_end = p->kernel_width;
                    } else {
                        nci_valid_taps(t.iw0, p->dilation_width, p->kernel_width, p->in_width, &t.s_begin, &t.s_end);
                    }
                    nhwc_tile_any(pixels, vectors, p, &t);
                    ow += pixels;
                }
            }
            k += channels;
        }
    }
}

const nci_conv_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .channel_block = BLOCK,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};

#if defined(KERNEL_SYMBOL_NCHW)
const nci_conv_kernel KERNEL_SYMBOL_NCHW = {
    .name = KERNEL_NAME_NCHW,
    .isa = KERNEL_ISA,
    .channel_block = BLOCK,
    .can_handle = can_handle_nchw,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
#endif
