/* Max and average pooling on NHWC and NCHW16c tensors (channels_last.h) with channels in lanes. A tile is
 * TILE_P output pixels of one row x TILE_C channel vectors, kept in registers while the window's taps
 * stream past; in NCHW16c its vectors may lie in neighbouring blocks, a block stride apart. Each lane
 * sees its taps in the scalar kernels' row-major order from the same starting value, so max and
 * average are both bit-identical to pool_nhwc__scalar, except averages over windows three columns wide
 * at stride 1, which share column sums between neighbouring pixels instead (average_slide3).
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines TILE_P, TILE_C,
 * KERNEL_SYMBOL, KERNEL_NAME and KERNEL_ISA. Rows are clipped to the input once per output row; each
 * row splits into left border pixels, a middle whose windows lie wholly inside the input (tiled
 * TILE_P at a time), and right border pixels, which run one at a time with their own clipped columns.
 * A channel tail shorter than a vector is read and written through a lane mask. */
#include "channels_last.h"
#include "kernel.h"
#include "pool_vector_ops.h"

/* A run of exactly NARROW_C vectors (an NCHW16c group of two blocks at AVX-512, a lone block at AVX2, or
 * NHWC with that many channels) would fill half a tile; twice the pixels at half the vectors keep as many sums in flight, and a lone
 * pixel takes its NARROW_C vectors in one tile rather than one vector at a time. */
#define NARROW_P (2 * TILE_P)
#define NARROW_C (TILE_C / 2)

/* Output pixels per middle tile of NHWC pooling (max, and averages of at most 9 taps) when the run holds a whole
 * tile's channels or more. A kernel file may set it below TILE_P: one pixel's channels then stream through
 * memory in order, a tap at a time. */
#ifndef NHWC_SWEEP_P
#define NHWC_SWEEP_P TILE_P
#endif

/* A single output pixel sums its window in place (pool_pixel_in_place) once its taps are this many and
 * its channel run is at least this long. */
#define IN_PLACE_MIN_TAPS 16
#define IN_PLACE_MIN_CHANNELS 256

static bool can_handle(const nci_pool_params *p)
{
    return nci_is_channels_last(p->layout);
}

/* PIX pixels stride_width columns apart that share the taps [r_begin, r_end) x [s_begin, s_end). */
typedef struct nhwc_pixels {
    const float *image;   /* input image, first channel of the run */
    float *out;           /* first output pixel, first channel of the run */
    int64_t pixel_stride; /* floats between neighbouring pixels, input and output alike */
    int64_t in_block_stride, out_block_stride; /* floats between channel c and c + 16 (channels_last.h) */
    int64_t ih0, r_begin, r_end;
    int64_t iw0, s_begin, s_end;
    float divisor;
    bool prefetch; /* large NCHW16c input: middle tiles prefetch the next output row's input */
} nhwc_pixels;

/* Vectors per 16-channel block; vector_offset relies on a block holding whole vectors. */
#define BLOCK_V (NC_CHANNEL_BLOCK / NCI_V)
_Static_assert(NC_CHANNEL_BLOCK % NCI_V == 0, "a channel block must hold whole vectors");
_Static_assert(TILE_C * NCI_V % NC_CHANNEL_BLOCK == 0, "an NCHW16c group of channels must end at a block");

/* Where channel c of a run lies from the run's first channel: runs start a block or lie within one. BLOCKS
 * false takes the channels as contiguous, which NHWC runs are: its offsets are then constants, and NHWC
 * ran 0.83-0.94x with the stride in a register (3x3 and 2x2 windows, Zen 5). */
NCI_INLINE int64_t run_offset(const bool BLOCKS, int64_t c, int64_t block_stride)
{
    return BLOCKS ? c / NC_CHANNEL_BLOCK * block_stride + c % NC_CHANNEL_BLOCK : c;
}

/* Vector v of a tile from the tile's first channel, which starts a block unless the tile lies within one. */
NCI_INLINE int64_t vector_offset(const bool BLOCKS, int v, int64_t block_stride)
{
    return BLOCKS ? v / BLOCK_V * block_stride + v % BLOCK_V * NCI_V : v * NCI_V;
}

NCI_INLINE void pool_tile(const int PIX, const int NVEC, const bool TAIL, const bool IS_MAX, const bool BLOCKS,
                          const nci_pool_params *p, const nhwc_pixels *t, int64_t c, nci_vmask tail)
{
    const int64_t C = t->pixel_stride;
    const int64_t pixel_step = p->stride_width * C;
    nci_vf acc[NARROW_P][TILE_C];
    NCI_UNROLL
    for (int i = 0; i < PIX; i++) {
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            acc[i][v] = v_pool_identity(IS_MAX);
        }
    }
    const int64_t row_step = p->dilation_height * p->in_width * C;
    const float *x_row = t->image + (t->ih0 + t->r_begin * p->dilation_height) * p->in_width * C +
                         run_offset(BLOCKS, c, t->in_block_stride);
    for (int64_t r = t->r_begin; r < t->r_end; r++, x_row += row_step) {
        for (int64_t s = t->s_begin; s < t->s_end; s++) {
            const float *x = x_row + (t->iw0 + s * p->dilation_width) * C;
            NCI_UNROLL
            for (int i = 0; i < PIX; i++) {
                NCI_UNROLL
                for (int v = 0; v < NVEC; v++) {
                    const float *src = x + i * pixel_step + vector_offset(BLOCKS, v, t->in_block_stride);
                    acc[i][v] = v_pool_step(IS_MAX, acc[i][v], TAIL ? v_load_mask(src, tail) : v_load(src));
                }
            }
        }
    }
    const nci_vf divisor = v_set1(t->divisor);
    NCI_UNROLL
    for (int i = 0; i < PIX; i++) {
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            float *dst = t->out + i * C + run_offset(BLOCKS, c, t->out_block_stride) +
                         vector_offset(BLOCKS, v, t->out_block_stride);
            const nci_vf value = IS_MAX ? acc[i][v] : v_div(acc[i][v], divisor);
            if (TAIL) {
                v_store_mask(dst, tail, value);
            } else {
                v_store(dst, value);
            }
        }
    }
}

NCI_INLINE void pool_pixels(const int PIX, const bool IS_MAX, const bool BLOCKS, const nci_pool_params *p,
                            const nhwc_pixels *t, const nci_task_range *range)
{
    int64_t c = range->channel_begin;
    if (PIX == NARROW_P || (PIX == 1 && range->channel_end - c == NARROW_C * NCI_V)) {
        pool_tile(PIX, NARROW_C, false, IS_MAX, BLOCKS, p, t, c, v_mask_span(0, 0));
        return;
    }
    for (; c + TILE_C * NCI_V <= range->channel_end; c += TILE_C * NCI_V) {
        pool_tile(PIX, TILE_C, false, IS_MAX, BLOCKS, p, t, c, v_mask_span(0, 0));
    }
    for (; c + NCI_V <= range->channel_end; c += NCI_V) {
        pool_tile(PIX, 1, false, IS_MAX, BLOCKS, p, t, c, v_mask_span(0, 0));
    }
    if (c < range->channel_end) {
        pool_tile(PIX, 1, true, IS_MAX, BLOCKS, p, t, c, v_mask_span(0, range->channel_end - c));
    }
}

/* Taps the in-place sum takes per pass over the output pixel: the running values are loaded and stored
 * once per group instead of once per tap (store-bound otherwise), and this many input streams still
 * suit the prefetchers. */
#define IN_PLACE_GROUP 4

/* The input pixel of tap k of the window, taps counted in row-major order. */
static const float *window_tap(const nci_pool_params *p, const nhwc_pixels *t, int64_t k)
{
    const int64_t cols = t->s_end - t->s_begin;
    const int64_t r = t->r_begin + k / cols, s = t->s_begin + k % cols;
    return t->image + ((t->ih0 + r * p->dilation_height) * p->in_width + t->iw0 + s * p->dilation_width) *
                          t->pixel_stride;
}

/* Channels [begin, end) of the output pixel out stepped by the G taps at x, in their order: whole vectors,
 * then a tail under a lane mask. */
NCI_INLINE void in_place_pass(const bool IS_MAX, const int G, const float *const *x, float *out, int64_t begin,
                              int64_t full_end, int64_t end, nci_vmask tail)
{
    for (int64_t c = begin; c < full_end; c += NCI_V) {
        nci_vf v = v_load(out + c);
        NCI_UNROLL
        for (int j = 0; j < G; j++) {
            v = v_pool_step(IS_MAX, v, v_load(x[j] + c));
        }
        v_store(out + c, v);
    }
    if (full_end < end) {
        nci_vf v = v_load_mask(out + full_end, tail);
        NCI_UNROLL
        for (int j = 0; j < G; j++) {
            v = v_pool_step(IS_MAX, v, v_load_mask(x[j] + full_end, tail));
        }
        v_store_mask(out + full_end, tail, v);
    }
}

/* One output pixel whose large window covers many channels (global pooling in NHWC): a register tile's
 * taps lie a whole pixel (kilobytes) apart, more streams than the prefetchers follow, so instead the
 * output pixel itself holds the running values while the window streams past in memory order,
 * IN_PLACE_GROUP taps a pass. Each lane still sees its taps in row-major order from the same starting
 * value. */
NCI_INLINE void pool_pixel_in_place(const bool IS_MAX, const nci_pool_params *p, const nhwc_pixels *t,
                                    const nci_task_range *range)
{
    const int64_t begin = range->channel_begin, end = range->channel_end;
    const int64_t full_end = begin + (end - begin) / NCI_V * NCI_V;
    const nci_vmask tail = v_mask_span(0, end - full_end);
    const nci_vf identity = v_pool_identity(IS_MAX);
    float *out = t->out;
    for (int64_t c = begin; c < full_end; c += NCI_V) {
        v_store(out + c, identity);
    }
    if (full_end < end) {
        v_store_mask(out + full_end, tail, identity);
    }
    const int64_t taps = (t->r_end - t->r_begin) * (t->s_end - t->s_begin);
    int64_t k = 0;
    for (; k + IN_PLACE_GROUP <= taps; k += IN_PLACE_GROUP) {
        const float *x[IN_PLACE_GROUP];
        for (int j = 0; j < IN_PLACE_GROUP; j++) {
            x[j] = window_tap(p, t, k + j);
        }
        in_place_pass(IS_MAX, IN_PLACE_GROUP, x, out, begin, full_end, end, tail);
    }
    for (; k < taps; k++) {
        const float *x[1] = {window_tap(p, t, k)};
        in_place_pass(IS_MAX, 1, x, out, begin, full_end, end, tail);
    }
    if (!IS_MAX) {
        const nci_vf divisor = v_set1(t->divisor);
        for (int64_t c = begin; c < full_end; c += NCI_V) {
            v_store(out + c, v_div(v_load(out + c), divisor));
        }
        if (full_end < end) {
            v_store_mask(out + full_end, tail, v_div(v_load_mask(out + full_end, tail), divisor));
        }
    }
}

/* A window without taps sums to 0 and is divided by 1, giving the scalar kernels' 0. */
static float divisor_of(const nci_pool_params *p, const nhwc_pixels *t)
{
    const int64_t rows = t->r_end - t->r_begin, cols = t->s_end - t->s_begin;
    return rows == 0 || cols == 0 ? 1.0f : (float)nci_average_divisor(p, t->ih0, t->iw0, rows, cols);
}

/* Output pixels [first, last) one at a time, each with its own clipped columns. */
NCI_OUTLINE void pool_border(const bool IS_MAX, const nci_pool_params *p, nhwc_pixels t, float *out_row,
                            int64_t first, int64_t last, const nci_task_range *range)
{
    for (int64_t ow = first; ow < last; ow++) {
        t.iw0 = ow * p->stride_width - p->pad_left;
        t.out = out_row + ow * t.pixel_stride;
        nci_valid_taps(t.iw0, p->dilation_width, p->kernel_width, p->in_width, &t.s_begin, &t.s_end);
        t.divisor = divisor_of(p, &t);
        /* The in-place sum walks the channels as one contiguous run in both tensors; NCHW16c groups are
         * also too short for it. Tiles here take the block formula in either layout: NHWC's block stride is
         * 16, for which it gives the contiguous offsets, so one copy of the border code serves both. */
        if ((t.r_end - t.r_begin) * (t.s_end - t.s_begin) >= IN_PLACE_MIN_TAPS &&
            range->channel_end - range->channel_begin >= IN_PLACE_MIN_CHANNELS &&
            t.in_block_stride == NC_CHANNEL_BLOCK && t.out_block_stride == NC_CHANNEL_BLOCK) {
            pool_pixel_in_place(IS_MAX, p, &t, range);
        } else {
            pool_pixels(1, IS_MAX, true, p, &t, range);
        }
    }
}

/* The window rows of a row's middle pixels from first on, as the three-column averages read them. */
typedef struct window_columns {
    const float *row; /* window row r_begin at the first tap of pixel first's window, the run's first channel */
    int64_t rows, row_step;
    float divisor;
} window_columns;

static window_columns window_columns_of(const nci_pool_params *p, const nhwc_pixels *pixels, int64_t first)
{
    nhwc_pixels t = *pixels;
    t.iw0 = first - p->pad_left;
    const int64_t row_step = p->in_width * t.pixel_stride;
    return (window_columns){.row = t.image + (t.ih0 + t.r_begin) * row_step + t.iw0 * t.pixel_stride,
                            .rows = t.r_end - t.r_begin,
                            .row_step = row_step,
                            .divisor = divisor_of(p, &t)};
}

/* NV vectors of a column of the window rows at x summed down the rows (under a lane mask when TAIL, for one
 * vector): the column sums the three-column averages share between neighbouring pixels. The vectors share one
 * loop over the rows: a call for each (AVX2's two of a block) ran 0.88-0.93x. */
NCI_INLINE void column_sum(const int NV, const bool TAIL, nci_vf *sum, const float *x, int64_t rows, int64_t row_step,
                           nci_vmask tail)
{
    NCI_UNROLL
    for (int v = 0; v < NV; v++) {
        sum[v] = TAIL ? v_load_mask(x, tail) : v_load(x + v * NCI_V);
    }
    for (int64_t r = 1; r < rows; r++) {
        NCI_UNROLL
        for (int v = 0; v < NV; v++) {
            const float *src = x + r * row_step + v * NCI_V;
            sum[v] = v_add(sum[v], TAIL ? v_load_mask(src, tail) : v_load(src));
        }
    }
}

/* Output pixels [0, pixels) at y, pixel_stride floats apart, of NV vectors of channels whose window rows start
 * at x: the run slides along the row keeping the last two column sums in registers, so a pixel loads one new
 * column (3 loads a vector for a 3x3 window instead of 9). Sums run columns first, then across them, unlike the
 * scalar kernels' row-major order: averages differ from them in the last bits. */
NCI_INLINE void slide3(const int NV, const bool TAIL, const float *x, float *y, int64_t pixels, int64_t pixel_stride,
                       int64_t rows, int64_t row_step, nci_vf divisor, nci_vmask tail)
{
    nci_vf left[TILE_C], middle[TILE_C], right[TILE_C];
    column_sum(NV, TAIL, left, x, rows, row_step, tail);
    column_sum(NV, TAIL, middle, x + pixel_stride, rows, row_step, tail);
    x += 2 * pixel_stride;
    for (int64_t i = 0; i < pixels; i++, x += pixel_stride, y += pixel_stride) {
        column_sum(NV, TAIL, right, x, rows, row_step, tail);
        NCI_UNROLL
        for (int v = 0; v < NV; v++) {
            const nci_vf average = v_div(v_add(v_add(left[v], middle[v]), right[v]), divisor);
            if (TAIL) {
                v_store_mask(y, tail, average);
            } else {
                v_store(y + v * NCI_V, average);
            }
            left[v] = middle[v];
            middle[v] = right[v];
        }
    }
}

/* Averages over windows three columns wide at stride 1 of `pixels` neighbouring output pixels at y, whose window
 * rows w reads: channels [begin, end) of each of `runs` runs of channels, the runs t's block strides apart. A
 * tile's channels at a time slide along the row, then a block's, then single vectors (where a block holds more
 * than one), then a tail under a lane mask. Every channel's sums run in slide3's order, so the result does not
 * depend on how tasks split the channels.
 *
 * NHWC takes its channels as one run; NCHW16c each block as a run of 16 channels, all from one block's rows. A
 * part block at the end of the channels slides whole: its padding lanes are in the tensor, and pool_task zeroes
 * them again in the output after the kernel. Tasks take whole blocks (pool_plan.c), so no other task writes those
 * lanes. Lane masks on every block instead made the slide 0.83-0.90x (AVX-512) and 0.42-0.60x (AVX2, masked
 * stores); a call for each block, 0.93-0.96x on two threads.
 *
 * NHWC once kept a ring of the last three columns' sums of all channels on the stack, so that the input streamed
 * by in memory order, at two loads and a store more per output vector; the tiles slide faster on an Intel Xeon
 * (Emerald Rapids; pool_ab, one thread, 3x3 s1 p1, AVX-512 / AVX2): 128 x 56^2 1.36x / 1.24x, 64 x 112^2 1.33x /
 * 1.24x, 256 x 28^2 1.77x / 1.54x, 512 x 14^2 1.29x / 1.41x, 80 x 56^2 1.61x / 1.58x. One vector at a time lost to
 * the ring (0.89x on 128 x 56^2); so did whole vectors under a full lane mask (AVX2 24 channels 0.68x, AVX-512
 * NCHW16c 0.89x). Unmeasured on Zen, where a one-block slide had lost to the ring (0.72x on 512 x 14^2). */
NCI_OUTLINE void average_slide3(const nhwc_pixels *t, const window_columns *w, float *y, int64_t begin, int64_t end,
                                int64_t runs, int64_t pixels)
{
    const nci_vf d = v_set1(w->divisor);
    const nci_vmask none = v_mask_span(0, 0);
    const int64_t C = t->pixel_stride, rows = w->rows, row_step = w->row_step;
    const float *x = w->row;
    for (int64_t run = 0; run < runs; run++, x += t->in_block_stride, y += t->out_block_stride) {
        int64_t c = begin;
        for (; c + TILE_C * NCI_V <= end; c += TILE_C * NCI_V) {
            slide3(TILE_C, false, x + c, y + c, pixels, C, rows, row_step, d, none);
        }
        for (; c + BLOCK_V * NCI_V <= end; c += BLOCK_V * NCI_V) {
            slide3(BLOCK_V, false, x + c, y + c, pixels, C, rows, row_step, d, none);
        }
#if BLOCK_V > 1
        for (; c + NCI_V <= end; c += NCI_V) {
            slide3(1, false, x + c, y + c, pixels, C, rows, row_step, d, none);
        }
#endif
        if (c < end) {
            slide3(1, true, x + c, y + c, pixels, C, rows, row_step, d, v_mask_span(0, end - c));
        }
    }
}

NCI_INLINE void pool_row(const bool IS_MAX, const bool BLOCKS, const nci_pool_params *p, nhwc_pixels t, float *out_row,
                         const nci_task_range *range)
{
    const int64_t sw = p->stride_width;
    /* Middle pixels: every column of their window inside the input. */
    int64_t middle_begin, middle_end;
    nci_inside_span(p->pad_left, sw, p->kernel_width, p->dilation_width, p->in_width, p->out_width, &middle_begin,
                    &middle_end);

    pool_border(IS_MAX, p, t, out_row, 0, middle_begin, range);
    t.s_begin = 0;
    t.s_end = p->kernel_width;
    const bool narrow = range->channel_end - range->channel_begin == NARROW_C * NCI_V;
    /* Sweeping one pixel at a time, an average's divisions wait on its sums: with many taps it keeps its tile. */
    const bool sweep = NHWC_SWEEP_P < TILE_P && !BLOCKS && (IS_MAX || p->kernel_height * p->kernel_width <= 9) &&
                       range->channel_end - range->channel_begin >= TILE_C * NCI_V;
    const int64_t step = narrow ? NARROW_P : sweep ? NHWC_SWEEP_P : TILE_P;
    int64_t ow = middle_begin;
    if (!IS_MAX && p->kernel_width == 3 && sw == 1 && t.r_end > t.r_begin && middle_begin < middle_end) {
        const window_columns w = window_columns_of(p, &t, middle_begin);
        float *y = out_row + middle_begin * t.pixel_stride;
        if (BLOCKS) {
            const int64_t blocks = (range->channel_end + NC_CHANNEL_BLOCK - 1) / NC_CHANNEL_BLOCK;
            average_slide3(&t, &w, y, 0, NC_CHANNEL_BLOCK, blocks, middle_end - middle_begin);
        } else {
            average_slide3(&t, &w, y, range->channel_begin, range->channel_end, 1, middle_end - middle_begin);
        }
        ow = middle_end;
    }
    for (; ow + step <= middle_end; ow += step) {
        t.iw0 = ow * sw - p->pad_left;
        t.out = out_row + ow * t.pixel_stride;
        t.divisor = divisor_of(p, &t);
        if (t.prefetch) {
            /* The same columns of the next output row's window rows in each block, one output row ahead. */
            for (int64_t block = 0; block * NC_CHANNEL_BLOCK < range->channel_end; block++) {
                for (int64_t r = 0; r < p->kernel_height; r++) {
                    const int64_t ih = t.ih0 + p->stride_height + r * p->dilation_height;
                    const int64_t first = block * t.in_block_stride + (ih * p->in_width + t.iw0) * t.pixel_stride;
                    nci_prefetch_floats(t.image, first, step * sw * t.pixel_stride);
                }
            }
        }
        if (narrow) {
            pool_pixels(NARROW_P, IS_MAX, BLOCKS, p, &t, range);
        } else if (sweep) {
            pool_pixels(NHWC_SWEEP_P, IS_MAX, BLOCKS, p, &t, range);
        } else {
            pool_pixels(TILE_P, IS_MAX, BLOCKS, p, &t, range);
        }
    }
    pool_border(IS_MAX, p, t, out_row, ow, middle_end, range);
    pool_border(IS_MAX, p, t, out_row, middle_end, p->out_width, range);
}

static void run(const nci_pool_params *p, const float *input, float *output, const nci_task_range *range)
{
    const bool is_max = p->kind == NC_POOL_MAX;
    const nci_channels_last in = nci_channels_last_of(p->layout, p->channels, p->in_height, p->in_width);
    const nci_channels_last out = nci_channels_last_of(p->layout, p->channels, p->out_height, p->out_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        /* Runs of channels: the task's whole range in NHWC. In NCHW16c up to a tile's width of channels from a
         * block boundary (the task's range starts at one; the last group may end inside a block), so that each
         * group streams through its planes row by row. */
        for (int64_t c = range->channel_begin; c < range->channel_end;) {
            const int64_t group_end = c + TILE_C * NCI_V < range->channel_end ? c + TILE_C * NCI_V : range->channel_end;
            const int64_t stop = in.blocked ? group_end : range->channel_end;
            nci_task_range channels = *range;
            channels.channel_begin = 0;
            channels.channel_end = stop - c;
            nhwc_pixels t = {
                .image = input + n * in.image_stride + nci_channel_offset(&in, c),
                .pixel_stride = in.pixel_stride,
                .in_block_stride = in.block_stride,
                .out_block_stride = out.block_stride,
                /* NHWC (64 channels) measured no faster with it, NCHW16c 1.3-1.8x. */
                .prefetch = p->layout == NC_LAYOUT_NCHW16C &&
                            p->batch * in.image_stride >= NCI_POOL_PREFETCH_MIN_BYTES / (int64_t)sizeof(float),
            };
            float *out_image = output + n * out.image_stride + nci_channel_offset(&out, c);
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                t.ih0 = oh * p->stride_height - p->pad_top;
                nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
                float *out_row = out_image + oh * p->out_width * out.pixel_stride;
                if (is_max && in.blocked) {
                    pool_row(true, true, p, t, out_row, &channels);
                } else if (is_max) {
                    pool_row(true, false, p, t, out_row, &channels);
                } else if (in.blocked) {
                    pool_row(false, true, p, t, out_row, &channels);
                } else {
                    pool_row(false, false, p, t, out_row, &channels);
                }
            }
            c = stop;
        }
    }
}

const nci_pool_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .can_handle = can_handle,
    .run = run,
};
