/* Max and average pooling on NCHW tensors, separable: each input row is first reduced along the width
 * (NCI_V neighbouring outputs per vector; unit stride reads plain loads, stride 2 splits two loads into
 * even and odd columns, other strides gather), then a window's row reductions are combined down the
 * rows. When windows overlap vertically the reductions the next output row needs stay in a small ring
 * on the stack, so every input row is loaded and reduced once however many windows share it.
 *
 * Max is bit-identical to pool_nchw__scalar: the scalar step `if (x > acc || isnan(x)) acc = x` is
 * associative, so reducing rows first and then across rows gives the row-major fold's bits (a tie of
 * signed zeros keeps the earlier tap, a NaN maximum is the last NaN) as long as every combination keeps
 * the taps in order, which they all do. The average adds each row's taps, then the rows: another
 * rounding order than the scalar kernel's row-major sum, within float's error for the window; the sum
 * starts from +0 and is divided by the exact divisor, as in the scalar kernel (or multiplied by its
 * reciprocal where that is exact, which gives the same bits).
 *
 * Columns are cut into chunks of at most CHUNK outputs; in a chunk only the vectors whose loads would
 * leave the row (the first and last few) are masked, with masks built once per chunk where the kernel
 * width is fixed. A last vector that leaves the row only in lanes past the last output (which are never
 * stored) reads on into the next row unmasked, unless that would leave the input. Rows are clipped to
 * the input, so padding rows cost nothing.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines KERNEL_SYMBOL,
 * KERNEL_NAME and KERNEL_ISA. Stride 2 splits columns with the ISA's v_pairs_even and v_pairs_odd, whose lane
 * order rows are combined in, and v_pairs_in_order once per output vector. A kernel file that defines
 * NO_STRIDE_2 instead leaves stride-2 pooling to the kernels after it and compiles no stride-2 code. */
#include <stdint.h>

#include "kernel.h"
#include "pool_vector_ops.h"

/* Output columns per chunk. With the ring and the average's column divisors and steady reciprocals it
 * bounds the stack scratch at about (RING_ROWS + 2) * CHUNK floats = 20 KiB. */
#define CHUNK 512
/* Input rows ahead of the steady rows that large inputs prefetch (NCI_POOL_PREFETCH_MIN_BYTES). */
#define PREFETCH_ROWS 8
/* Ring slots: input row r lives in slot r % RING_ROWS, a power of two so that is a mask, not a division.
 * Taller windows recompute their rows instead. */
#define RING_ROWS 8
/* Masked vectors per chunk with a fixed kernel width: at most one at the start and three at the end
 * when the padding is at most 1 (kernel width <= 3), as PyTorch requires. */
#define MAX_BORDER_BLOCKS 4
/* Loads per row reduction with a fixed kernel width: unit stride one per tap, stride 2 two pairs. */
#define FIXED_LOADS 4

static bool can_handle(const nci_pool_params *p)
{
#if defined(NO_STRIDE_2)
    if (p->stride_width == 2) {
        return false;
    }
#endif
    /* Gather indices are int32. */
    return p->layout == NC_LAYOUT_NCHW && p->stride_width <= (INT64_C(1) << 20) && p->in_width <= (INT64_C(1) << 28);
}

typedef struct column_chunk {
    int64_t begin;                      /* first output column */
    int64_t first_iw;                   /* input column where the first output's window starts */
    int64_t blocks;                     /* vectors of outputs */
    int64_t tail;                       /* outputs in the last vector */
    int64_t inside_begin, inside_end;   /* vectors whose every load stays inside the input row */
    /* The last vector, when masked only because lanes past the last output read past the row end, may
     * run unmasked wherever its loads, last_reach floats from its row's start, stay inside the input. */
    bool last_overreads;
    int64_t last_reach;
    /* The last vector of a 2-wide window's steady rows: where it starts, its outputs and first input column,
     * and whether its loads all stay inside the row. A part vector moves back to end at the chunk's last
     * output and stores whole where its loads then stay inside the row (pool_row says when it may not).
     * 3-wide windows leave it in place:
     * the extra code of the choice ran 3x3 s2 p1 over 64 x 112^2 at 0.96x (Zen 4, pool_ab). */
    int64_t last_ow, last_iw, last_lanes;
    bool last_plain;
    int fixed_width;                    /* 2 or 3 when masks below serve the border vectors, else 0 */
    nci_vmask masks[MAX_BORDER_BLOCKS][FIXED_LOADS];
    float column_factor[CHUNK];         /* average: the column part of each output's divisor */
    float steady_reciprocal[CHUNK];     /* average: 1 / each output's divisor in the steady rows */
} column_chunk;

/* What the row loops read, copied into locals: the vector stores may alias anything, so values read
 * through the parameter pointers would be reloaded after every store. */
typedef struct row_geometry {
    int64_t stride, dilation, kernel, width; /* along the width */
    int64_t first_iw, blocks, tail, inside_begin, inside_end;
    bool last_overreads;
    int64_t last_ow, last_iw, last_lanes; /* as in column_chunk */
    bool last_plain;
    uintptr_t last_limit; /* the last vector reads a row unmasked if the row's address is below this */
} row_geometry;

/* The rows of one output row's window, in order: first those whose reductions are in the ring, then
 * input rows still to reduce. */
typedef struct window_rows {
    const float *kept[RING_ROWS];
    int64_t kept_count;
    const float *first_new;
    int64_t new_step, new_count;
    int64_t save_from;          /* new rows from this index on go to save[] for later output rows */
    float *save[RING_ROWS];
    float row_factor;           /* average: the row part of the divisor */
} window_rows;

/* An input vector whose off-row lanes (CHECKED) hold the pooling identity. */
NCI_INLINE nci_vf load_taps(const bool IS_MAX, const bool CHECKED, const float *src, nci_vmask m)
{
    if (!CHECKED) {
        return v_load(src);
    }
    return IS_MAX ? v_select(m, v_load_mask(src, m), v_pool_identity(true)) : v_load_mask(src, m);
}

/* One tap of the vector of windows whose first lane reads input column start, for any width, stride and
 * dilation. */
NCI_INLINE nci_vf any_tap(const bool IS_MAX, const int MODE, const bool CHECKED, row_geometry g, const float *row,
                          int64_t start)
{
    nci_row_masks m = {0};
    if (CHECKED) {
        m = v_row_masks(start, g.width, g.stride, MODE);
    }
    if (MODE == NCI_ROW_UNIT) {
        return load_taps(IS_MAX, CHECKED, row + start, m.first);
    }
#if !defined(NO_STRIDE_2)
    if (MODE == NCI_ROW_PAIRS) {
        return v_pairs_even(load_taps(IS_MAX, CHECKED, row + start, m.first),
                            load_taps(IS_MAX, CHECKED, row + start + NCI_V, m.second));
    }
#endif
    if (!CHECKED) {
        return v_gather_mask(row, start, g.stride, v_mask_span(0, NCI_V));
    }
    const nci_vf taps = v_gather_mask(row, start, g.stride, m.first);
    return IS_MAX ? v_select(m.first, taps, v_pool_identity(true)) : taps;
}

/* One input row reduced along the width for the NCI_V windows starting at column iw0, taps in order.
 * KW is 2 or 3 for the fixed-width forms (dilation 1, unit stride or stride 2, masks from the chunk),
 * 0 for any window. */
NCI_INLINE nci_vf row_reduce(const bool IS_MAX, const int MODE, const int KW, const bool CHECKED, row_geometry g,
                             const float *row, int64_t iw0, const nci_vmask *masks)
{
    if (KW == 0) {
        nci_vf h = any_tap(IS_MAX, MODE, CHECKED, g, row, iw0);
        for (int64_t s = 1; s < g.kernel; s++) {
            h = v_pool_step(IS_MAX, h, any_tap(IS_MAX, MODE, CHECKED, g, row, iw0 + s * g.dilation));
        }
        return h;
    }
    const nci_vmask none = v_mask_span(0, 0);
#if !defined(NO_STRIDE_2)
    if (MODE == NCI_ROW_PAIRS) {
        const nci_vf a = load_taps(IS_MAX, CHECKED, row + iw0, CHECKED ? masks[0] : none);
        const nci_vf b = load_taps(IS_MAX, CHECKED, row + iw0 + NCI_V, CHECKED ? masks[1] : none);
        nci_vf h = v_pool_step(IS_MAX, v_pairs_even(a, b), v_pairs_odd(a, b));
        if (KW == 3) {
            const nci_vf c = load_taps(IS_MAX, CHECKED, row + iw0 + 2, CHECKED ? masks[2] : none);
            const nci_vf d = load_taps(IS_MAX, CHECKED, row + iw0 + 2 + NCI_V, CHECKED ? masks[3] : none);
            h = v_pool_step(IS_MAX, h, v_pairs_even(c, d));
        }
        return h;
    }
#endif
    nci_vf h = load_taps(IS_MAX, CHECKED, row + iw0, CHECKED ? masks[0] : none);
    NCI_UNROLL
    for (int s = 1; s < KW; s++) {
        h = v_pool_step(IS_MAX, h, load_taps(IS_MAX, CHECKED, row + iw0 + s, CHECKED ? masks[s] : none));
    }
    return h;
}

/* The output vector at chunk column ow0, whose windows start at input column iw0. KEPT and NEW are the
 * window's row counts when the caller knows them (so the row loops unroll; new rows from NEW - KEPT on
 * are saved for the next output row), or -1 to read them from w. */
NCI_INLINE void pool_block(const bool IS_MAX, const int MODE, const int KW, const int KEPT, const int NEW,
                           const bool CHECKED, row_geometry g, const window_rows *w, int64_t ow0, int64_t iw0,
                           const nci_vmask *masks, const float *column_factor, const float *steady_reciprocal,
                           int64_t lanes, float *out)
{
    const int64_t kept = KEPT >= 0 ? KEPT : w->kept_count, fresh = NEW >= 0 ? NEW : w->new_count;
    const int64_t save_from = KEPT > 0 ? (NEW > KEPT ? NEW - KEPT : 0) : KEPT == 0 ? NEW : w->save_from;
    /* A maximum starts from its first row when the count is known; a sum starts from +0 as the scalar
     * kernels' does (so taps of -0 alone sum to +0). */
    const bool from_first = IS_MAX && KEPT >= 0;
    nci_vf acc = v_pool_identity(IS_MAX);
    for (int64_t i = 0; i < kept; i++) {
        const nci_vf v = v_load(w->kept[i] + ow0);
        acc = from_first && i == 0 ? v : v_pool_step(IS_MAX, acc, v);
    }
    const float *row = w->first_new;
    for (int64_t j = 0; j < fresh; j++, row += w->new_step) {
        const nci_vf h = row_reduce(IS_MAX, MODE, KW, CHECKED, g, row, iw0, masks);
        if (j >= save_from) {
            v_store(w->save[j] + ow0, h);
        }
        acc = from_first && KEPT == 0 && j == 0 ? h : v_pool_step(IS_MAX, acc, h);
    }
#if !defined(NO_STRIDE_2)
    if (MODE == NCI_ROW_PAIRS) {
        acc = v_pairs_in_order(acc);
    }
#endif
    if (!IS_MAX) {
        if (KEPT >= 0 && KW == 2) {
            /* A 2x2 window's steady rows have divisors of 2 and 4 only (1 x 2 or 2 x 2), whose reciprocals
             * are exact, so multiplying by them gives the quotient's very bits, and 2x2 s2 on 256 x 56^2
             * planes ran 1.12-1.14x faster than dividing (AVX2, pool_ab). A 3x3 window's divisors are 3, 6
             * and 9: there the product misses the quotient's last bit for 7-30 % of sums, and correcting
             * it by the remainder (two FMAs and a select for infinite sums) ran 0.95x the division. */
            acc = v_mul(acc, v_load(steady_reciprocal + ow0));
        } else {
            /* Both factors are small integers, so their product (an FMA adding zero) is exact. */
            acc = v_div(acc, v_fma(v_load(column_factor + ow0), v_set1(w->row_factor), v_zero()));
        }
    }
    if (lanes < NCI_V) {
        v_store_mask(out + ow0, v_mask_span(0, lanes), acc);
    } else {
        v_store(out + ow0, acc);
    }
}

/* Rows of known counts (the hot interior rows) peel the last vector off: only it may store part of a
 * vector or read past its row unmasked. Other rows, at the edges, take one loop over both kinds of
 * vector, which keeps their code small. */
NCI_INLINE void pool_row(const bool IS_MAX, const int MODE, const int KW, const int KEPT, const int NEW,
                         row_geometry g, const column_chunk *cc, const window_rows *w, float *out)
{
    const int64_t step = NCI_V * g.stride, last = g.blocks - 1;
    /* Only new rows are read from the input; kept ones come from the ring, whose rows are whole vectors. */
    const bool overread = g.last_overreads &&
                          (w->new_count <= 0 ||
                           (uintptr_t)(w->first_new + (w->new_count - 1) * w->new_step) < g.last_limit);
    int64_t iw0 = g.first_iw;
    if (KEPT < 0) {
        for (int64_t b = 0; b <= last; b++, iw0 += step) {
            const int64_t lanes = b == last ? g.tail : NCI_V;
            if ((b >= g.inside_begin && b < g.inside_end) || (b == last && overread)) {
                pool_block(IS_MAX, MODE, KW, -1, -1, false, g, w, b * NCI_V, iw0, NULL, cc->column_factor,
                           cc->steady_reciprocal, lanes, out);
            } else {
                const int64_t slot = b < g.inside_begin ? b : g.inside_begin + b - g.inside_end;
                pool_block(IS_MAX, MODE, KW, -1, -1, true, g, w, b * NCI_V, iw0, KW != 0 ? cc->masks[slot] : NULL,
                           cc->column_factor, cc->steady_reciprocal, lanes, out);
            }
        }
        return;
    }
    const int64_t plain_begin = g.inside_begin < last ? g.inside_begin : last;
    const int64_t plain_end = g.inside_end < last ? g.inside_end : last;
    int64_t b = 0;
    for (; b < plain_begin; b++, iw0 += step) {
        pool_block(IS_MAX, MODE, KW, KEPT, NEW, true, g, w, b * NCI_V, iw0, KW != 0 ? cc->masks[b] : NULL,
                   cc->column_factor, cc->steady_reciprocal, NCI_V, out);
    }
    for (; b < plain_end; b++, iw0 += step) {
        pool_block(IS_MAX, MODE, KW, KEPT, NEW, false, g, w, b * NCI_V, iw0, NULL, cc->column_factor,
                   cc->steady_reciprocal, NCI_V, out);
    }
    for (; b < last; b++, iw0 += step) {
        pool_block(IS_MAX, MODE, KW, KEPT, NEW, true, g, w, b * NCI_V, iw0,
                   KW != 0 ? cc->masks[g.inside_begin + b - g.inside_end] : NULL, cc->column_factor,
                   cc->steady_reciprocal, NCI_V, out);
    }
    /* Moved back (row_geometry's last_ow), the vector recomputes outputs of the one before from the same
     * taps in the same order, so it stores their very bits again. At stride 2 with rows from the ring it stays
     * in place: the ring holds row reductions in the pairs' lane order (v_pairs_in_order puts them in order only
     * for the store), which a vector moved by part of NCI_V lanes would read and write at the wrong lanes. */
    const bool movable = KW == 2 && (MODE == NCI_ROW_UNIT || KEPT == 0);
    const int64_t last_ow = movable ? g.last_ow : last * NCI_V, last_iw = movable ? g.last_iw : iw0;
    const int64_t lanes = movable ? g.last_lanes : g.tail;
    if ((movable ? g.last_plain : last >= g.inside_begin && last < g.inside_end) || overread) {
        pool_block(IS_MAX, MODE, KW, KEPT, NEW, false, g, w, last_ow, last_iw, NULL, cc->column_factor,
                   cc->steady_reciprocal, lanes, out);
    } else {
        const int64_t slot = last < g.inside_begin ? last : g.inside_begin + last - g.inside_end;
        pool_block(IS_MAX, MODE, KW, KEPT, NEW, true, g, w, last_ow, last_iw, KW != 0 ? cc->masks[slot] : NULL,
                   cc->column_factor, cc->steady_reciprocal, lanes, out);
    }
}

static float divisor_rows(const nci_pool_params *p, int64_t ih0, int64_t rows)
{
    if (rows == 0) {
        return 1.0f; /* a window without taps sums to 0; any positive divisor keeps the scalar kernels' +0 */
    }
    if (!p->count_include_pad) {
        return (float)rows;
    }
    const int64_t end = ih0 + p->kernel_height, limit = p->in_height + p->pad_bottom;
    return (float)((end < limit ? end : limit) - ih0);
}

static float divisor_columns(const nci_pool_params *p, int64_t iw0)
{
    int64_t s_begin, s_end;
    nci_valid_taps(iw0, 1, p->kernel_width, p->in_width, &s_begin, &s_end);
    if (s_end == s_begin) {
        return 1.0f;
    }
    if (!p->count_include_pad) {
        return (float)(s_end - s_begin);
    }
    const int64_t end = iw0 + p->kernel_width, limit = p->in_width + p->pad_right;
    return (float)((end < limit ? end : limit) - iw0);
}

/* Consecutive interior output rows of a square window: every window lies inside the input, and when
 * windows overlap, the rows each shares with the one before are in the ring. */
typedef struct steady_rows {
    const float *x; /* input plane */
    float *ring;
    int64_t ring_stride;
    int64_t first;  /* input row where the first window starts */
    int64_t count;  /* output rows */
    int64_t stride, width, out_width;
    float row_factor;
} steady_rows;

/* The steady rows with KEPT of each window's rows from the ring and NEW reduced, the new ones the next
 * window shares saved to the ring. */
NCI_INLINE void pool_steady(const bool IS_MAX, const int MODE, const int KW, const int KEPT, const int NEW,
                            const row_geometry *geometry, const column_chunk *cc, const steady_rows *r, float *out)
{
    const row_geometry g = *geometry;
    const steady_rows s = *r;
    const int64_t save_from = KEPT > 0 ? (NEW > KEPT ? NEW - KEPT : 0) : NEW;
    window_rows w;
    w.kept_count = KEPT;
    w.new_count = NEW;
    w.save_from = save_from;
    w.new_step = s.width;
    w.row_factor = s.row_factor;
    for (int64_t k = 0; k < s.count; k++, out += s.out_width) {
        const int64_t first = s.first + k * s.stride, held = first + KEPT;
        for (int i = 0; i < KEPT; i++) {
            w.kept[i] = s.ring + ((first + i) & (RING_ROWS - 1)) * s.ring_stride;
        }
        w.first_new = s.x + held * s.width;
        for (int j = (int)save_from; j < NEW; j++) {
            w.save[j] = s.ring + ((held + j) & (RING_ROWS - 1)) * s.ring_stride;
        }
        pool_row(IS_MAX, MODE, KW, KEPT, NEW, g, cc, &w, out);
    }
}

/* The forms' row functions, each a function of its own: inlined together, the forms' register needs
 * add up and the hot loops spill, and the code grows with every combination. */
#if defined(_MSC_VER) && !defined(__clang__)
#define POOL_NOINLINE __declspec(noinline)
#else
#define POOL_NOINLINE __attribute__((noinline))
#endif

/* One output row with its window's row counts in w. */
typedef void (*pool_row_fn)(const row_geometry *g, const column_chunk *cc, const window_rows *w, float *out);
/* A run of steady rows. */
typedef void (*pool_steady_fn)(const row_geometry *g, const column_chunk *cc, const steady_rows *r, float *out);

#define POOL_ROW(NAME, IS_MAX, MODE, KW)                                                                       \
    static POOL_NOINLINE void NAME(const row_geometry *g, const column_chunk *cc, const window_rows *w,        \
                                   float *out)                                                                 \
    {                                                                                                          \
        pool_row(IS_MAX, MODE, KW, -1, -1, *g, cc, w, out);                                                    \
    }

#define POOL_STEADY(NAME, IS_MAX, MODE, KW, KEPT, NEW)                                                         \
    static POOL_NOINLINE void NAME(const row_geometry *g, const column_chunk *cc, const steady_rows *r,        \
                                   float *out)                                                                 \
    {                                                                                                          \
        pool_steady(IS_MAX, MODE, KW, KEPT, NEW, g, cc, r, out);                                               \
    }

POOL_ROW(max_unit_2, true, NCI_ROW_UNIT, 2)
POOL_ROW(max_unit_3, true, NCI_ROW_UNIT, 3)
POOL_ROW(max_unit_any, true, NCI_ROW_UNIT, 0)
#if !defined(NO_STRIDE_2)
POOL_ROW(max_pairs_2, true, NCI_ROW_PAIRS, 2)
POOL_ROW(max_pairs_3, true, NCI_ROW_PAIRS, 3)
POOL_ROW(max_pairs_any, true, NCI_ROW_PAIRS, 0)
#endif
POOL_ROW(max_gather_any, true, NCI_ROW_GATHER, 0)
POOL_ROW(average_unit_2, false, NCI_ROW_UNIT, 2)
POOL_ROW(average_unit_3, false, NCI_ROW_UNIT, 3)
POOL_ROW(average_unit_any, false, NCI_ROW_UNIT, 0)
#if !defined(NO_STRIDE_2)
POOL_ROW(average_pairs_2, false, NCI_ROW_PAIRS, 2)
POOL_ROW(average_pairs_3, false, NCI_ROW_PAIRS, 3)
POOL_ROW(average_pairs_any, false, NCI_ROW_PAIRS, 0)
#endif
POOL_ROW(average_gather_any, false, NCI_ROW_GATHER, 0)

POOL_STEADY(max_unit_2_shared_0, true, NCI_ROW_UNIT, 2, 0, 2)
POOL_STEADY(max_unit_2_shared_1, true, NCI_ROW_UNIT, 2, 1, 1)
POOL_STEADY(max_unit_3_shared_1, true, NCI_ROW_UNIT, 3, 1, 2)
POOL_STEADY(max_unit_3_shared_2, true, NCI_ROW_UNIT, 3, 2, 1)
#if !defined(NO_STRIDE_2)
POOL_STEADY(max_pairs_2_shared_0, true, NCI_ROW_PAIRS, 2, 0, 2)
POOL_STEADY(max_pairs_2_shared_1, true, NCI_ROW_PAIRS, 2, 1, 1)
POOL_STEADY(max_pairs_3_shared_1, true, NCI_ROW_PAIRS, 3, 1, 2)
POOL_STEADY(max_pairs_3_shared_2, true, NCI_ROW_PAIRS, 3, 2, 1)
#endif
POOL_STEADY(average_unit_2_shared_0, false, NCI_ROW_UNIT, 2, 0, 2)
POOL_STEADY(average_unit_2_shared_1, false, NCI_ROW_UNIT, 2, 1, 1)
POOL_STEADY(average_unit_3_shared_1, false, NCI_ROW_UNIT, 3, 1, 2)
POOL_STEADY(average_unit_3_shared_2, false, NCI_ROW_UNIT, 3, 2, 1)
#if !defined(NO_STRIDE_2)
POOL_STEADY(average_pairs_2_shared_0, false, NCI_ROW_PAIRS, 2, 0, 2)
POOL_STEADY(average_pairs_2_shared_1, false, NCI_ROW_PAIRS, 2, 1, 1)
POOL_STEADY(average_pairs_3_shared_1, false, NCI_ROW_PAIRS, 3, 1, 2)
POOL_STEADY(average_pairs_3_shared_2, false, NCI_ROW_PAIRS, 3, 2, 1)
#endif

/* A form's functions: `row` for any output row; for a fixed width w, `steady[k]` for the steady rows of a
 * w x w window whose rows overlap in k rows (stride w - k): k kept from the ring, w - k new. */
typedef struct pool_form {
    pool_row_fn row;
    pool_steady_fn steady[3];
} pool_form;

/* [max][mode][fixed width: any, 2, 3]; plan_columns never fixes the width of a gathering chunk. */
static const pool_form pool_forms[2][3][3] = {
    {
        [NCI_ROW_GATHER] = {{average_gather_any, {NULL}}},
        [NCI_ROW_UNIT] = {{average_unit_any, {NULL}},
                          {average_unit_2, {average_unit_2_shared_0, average_unit_2_shared_1}},
                          {average_unit_3, {NULL, average_unit_3_shared_1, average_unit_3_shared_2}}},
#if !defined(NO_STRIDE_2)
        [NCI_ROW_PAIRS] = {{average_pairs_any, {NULL}},
                           {average_pairs_2, {average_pairs_2_shared_0, average_pairs_2_shared_1}},
                           {average_pairs_3, {NULL, average_pairs_3_shared_1, average_pairs_3_shared_2}}},
#endif
    },
    {
        [NCI_ROW_GATHER] = {{max_gather_any, {NULL}}},
        [NCI_ROW_UNIT] = {{max_unit_any, {NULL}},
                          {max_unit_2, {max_unit_2_shared_0, max_unit_2_shared_1}},
                          {max_unit_3, {NULL, max_unit_3_shared_1, max_unit_3_shared_2}}},
#if !defined(NO_STRIDE_2)
        [NCI_ROW_PAIRS] = {{max_pairs_any, {NULL}},
                           {max_pairs_2, {max_pairs_2_shared_0, max_pairs_2_shared_1}},
                           {max_pairs_3, {NULL, max_pairs_3_shared_1, max_pairs_3_shared_2}}},
#endif
    },
};

/* Points w at its rows: kept from the ring, then fresh input rows from held on, the new ones from
 * save_from on saved. */
static void fill_window(window_rows *w, float *ring, int64_t stride, const float *x, int64_t width, int64_t first,
                        int64_t held, int64_t end, int64_t save_from)
{
    w->kept_count = held - first;
    w->new_count = end - held;
    w->save_from = save_from;
    w->first_new = x + held * width;
    w->new_step = width;
    for (int64_t i = 0; i < w->kept_count; i++) {
        w->kept[i] = ring + ((first + i) & (RING_ROWS - 1)) * stride;
    }
    for (int64_t j = save_from; j < w->new_count; j++) {
        w->save[j] = ring + ((held + j) & (RING_ROWS - 1)) * stride;
    }
}

/* One chunk of columns of every plane and output row of the task, in the given form: steady rows in
 * runs through form->steady when the window has such a function, every other row through form->row. */
static void pool_chunk(const nci_pool_params *p, const column_chunk *cc, const pool_form *form, const float *input,
                       float *output, const nci_task_range *range)
{
    float ring[RING_ROWS * CHUNK];
    const int64_t input_count = p->batch * p->channels * p->in_height * p->in_width;
    const row_geometry g = {p->stride_width,
                            p->dilation_width,
                            p->kernel_width,
                            p->in_width,
                            cc->first_iw,
                            cc->blocks,
                            cc->tail,
                            cc->inside_begin,
                            cc->inside_end,
                            cc->last_overreads,
                            cc->last_ow,
                            cc->last_iw,
                            cc->last_lanes,
                            cc->last_plain,
                            (uintptr_t)(input + input_count) - (uintptr_t)cc->last_reach * sizeof(float) + 1};
    const int64_t stride = cc->blocks * NCI_V;
    const int64_t kh = p->kernel_height, sh = p->stride_height, dh = p->dilation_height;
    const int64_t in_height = p->in_height, width = p->in_width, pad_top = p->pad_top;
    const bool is_max = p->kind == NC_POOL_MAX, reuse = dh == 1 && kh > sh && kh <= RING_ROWS;
    const int64_t kept = reuse ? kh - sh : 0;
    const pool_steady_fn steady = cc->fixed_width == kh && dh == 1 && kept <= 2 ? form->steady[kept] : NULL;
    /* Steady rows: windows inside the input, [ceil(pad_top / sh), (in_height - kh + pad_top) / sh]; with
     * overlapping windows not the task's first row, whose shared rows are not in the ring yet. */
    const int64_t lowest = (pad_top + sh - 1) / sh;
    const int64_t steady_begin = reuse && lowest <= range->row_begin ? range->row_begin + 1 : lowest;
    const int64_t steady_end = in_height - kh + pad_top < 0 ? 0 : (in_height - kh + pad_top) / sh + 1;
    const int64_t in_plane = in_height * width, out_plane = p->out_height * p->out_width;
    const int64_t out_width = p->out_width, row_begin = range->row_begin, row_end = range->row_end;
    const int64_t prefetch_ahead =
        input_count >= NCI_POOL_PREFETCH_MIN_BYTES / (int64_t)sizeof(float) ? PREFETCH_ROWS * width : 0;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end; c++) {
            const float *x = input + (n * p->channels + c) * in_plane;
            float *y = output + (n * p->channels + c) * out_plane + cc->begin;
            int64_t ring_begin = 0, ring_end = 0; /* input rows whose reductions the ring holds */
            for (int64_t oh = row_begin; oh < row_end;) {
                const int64_t ih0 = oh * sh - pad_top;
                float *out = y + oh * out_width;
                if (steady != NULL && oh >= steady_begin && oh < steady_end) {
                    const int64_t stop = steady_end < row_end ? steady_end : row_end;
                    /* Prefetching, one row per call, each after asking for the rows it moves on by,
                     * PREFETCH_ROWS ahead; out of the steady functions, which stay lean. */
                    const int64_t step = prefetch_ahead > 0 ? 1 : stop - oh;
                    for (int64_t k = oh; k < stop; k += step) {
                        const int64_t first = ih0 + (k - oh) * sh;
                        if (prefetch_ahead > 0) {
                            nci_prefetch_floats(x + first * width, prefetch_ahead, sh * width);
                        }
                        const steady_rows r = {x, ring, stride, first, step, sh, width, out_width, (float)kh};
                        steady(&g, cc, &r, out + (k - oh) * out_width);
                    }
                    const int64_t last_first = ih0 + (stop - 1 - oh) * sh;
                    ring_begin = last_first + sh;
                    ring_end = last_first + kh;
                    oh = stop;
                    continue;
                }
                window_rows w;
                if (!reuse) {
                    int64_t r_begin = 0, r_end = kh;
                    if (ih0 < 0 || ih0 >= in_height - (kh - 1) * dh) {
                        nci_valid_taps(ih0, dh, kh, in_height, &r_begin, &r_end);
                    }
                    w.kept_count = 0;
                    w.first_new = x + (ih0 + r_begin * dh) * width;
                    /* A window of one row may have any dilation (fuzzing found INT64_MAX), whose step between
                     * rows is then never taken and may not fit in an offset. */
                    w.new_step = r_end - r_begin > 1 ? dh * width : 0;
                    w.new_count = r_end - r_begin;
                    w.save_from = w.new_count;
                    w.row_factor = is_max ? 1.0f : divisor_rows(p, ih0, w.new_count);
                } else {
                    /* dilation 1: the window's rows are [first, end), clipped without nci_valid_taps'
                     * divisions. */
                    const int64_t first = ih0 > 0 ? ih0 : 0;
                    const int64_t end = ih0 + kh < in_height ? ih0 + kh : in_height;
                    const int64_t held =
                        ring_begin <= first && first < ring_end ? (ring_end < end ? ring_end : end) : first;
                    /* Rows from the next output row's first one on are needed again; none after the task's
                     * last row. */
                    const int64_t keep = oh + 1 < row_end ? (ih0 + sh > 0 ? ih0 + sh : 0) : end;
                    w.row_factor = is_max ? 1.0f : divisor_rows(p, ih0, end > first ? end - first : 0);
                    fill_window(&w, ring, stride, x, width, first, held, end > held ? end : held,
                                keep > held ? keep - held : 0);
                    ring_begin = keep;
                    ring_end = end;
                }
                form->row(&g, cc, &w, out);
                oh++;
            }
        }
    }
}

/* Splits the chunk's vectors into masked and plain ones and, for a fixed kernel width, builds the masks
 * of the masked vectors' loads. */
static void plan_columns(const nci_pool_params *p, int mode, column_chunk *cc)
{
    const int64_t sw = p->stride_width, kw = p->kernel_width, width = p->in_width;
    const bool fixed = p->dilation_width == 1 && (kw == 2 || kw == 3) && mode != NCI_ROW_GATHER;
    /* Load offsets from a vector's first column, and the last column its loads reach. */
    int64_t offsets[FIXED_LOADS] = {0, 1, 2, 0};
    int loads = (int)kw;
    if (mode == NCI_ROW_PAIRS) {
        offsets[1] = NCI_V;
        offsets[3] = 2 + NCI_V;
        loads = kw == 3 ? 4 : 2;
    }
    const int64_t reach = fixed ? offsets[loads - 1] + NCI_V - 1 : nci_row_reach(mode, sw) + (kw - 1) * p->dilation_width;
    const int64_t step = NCI_V * sw, first_iw = cc->begin * sw - p->pad_left;
    cc->first_iw = first_iw;
    /* Vectors b with first_iw + b * step >= 0, and with first_iw + b * step + reach < width. */
    int64_t inside_begin = first_iw >= 0 ? 0 : (-first_iw + step - 1) / step;
    int64_t inside_end = width - reach - first_iw <= 0 ? 0 : (width - reach - first_iw - 1) / step + 1;
    inside_begin = inside_begin < cc->blocks ? inside_begin : cc->blocks;
    inside_end = inside_end < inside_begin ? inside_begin : inside_end > cc->blocks ? cc->blocks : inside_end;
    cc->inside_begin = inside_begin;
    cc->inside_end = inside_end;
    const int64_t last_iw = first_iw + (cc->blocks - 1) * step;
    cc->last_overreads = inside_end < cc->blocks && last_iw >= 0 &&
                         last_iw + (cc->tail - 1) * sw + (kw - 1) * p->dilation_width < width;
    cc->last_reach = last_iw + reach + 1;
    const int64_t back = NCI_V - cc->tail, back_iw = last_iw - back * sw;
    const bool moves = fixed && kw == 2 && cc->blocks >= 2 && back > 0 && back_iw >= 0 && back_iw + reach < width;
    cc->last_ow = (cc->blocks - 1) * NCI_V - (moves ? back : 0);
    cc->last_iw = moves ? back_iw : last_iw;
    cc->last_lanes = moves ? NCI_V : cc->tail;
    cc->last_plain = moves || (inside_begin < cc->blocks && inside_end == cc->blocks);
    cc->fixed_width = 0;
    if (!fixed || inside_begin + cc->blocks - inside_end > MAX_BORDER_BLOCKS) {
        return;
    }
    cc->fixed_width = (int)kw;
    int slot = 0;
    for (int64_t b = 0; b < cc->blocks; b++) {
        if (b >= inside_begin && b < inside_end) {
            continue;
        }
        for (int i = 0; i < loads; i++) {
            const int64_t column = first_iw + b * step + offsets[i];
            cc->masks[slot][i] = v_mask_span(-column, width - column);
        }
        slot++;
    }
}

static void run(const nci_pool_params *p, const float *input, float *output, const nci_task_range *range)
{
    const int mode = nci_row_mode(p->stride_width);
    for (int64_t begin = 0; begin < p->out_width; begin += CHUNK) {
        column_chunk cc;
        const int64_t columns = p->out_width - begin < CHUNK ? p->out_width - begin : CHUNK;
        cc.begin = begin;
        cc.blocks = (columns + NCI_V - 1) / NCI_V;
        cc.tail = columns - (cc.blocks - 1) * NCI_V;
        if (p->kind != NC_POOL_MAX) {
            for (int64_t i = 0; i < cc.blocks * NCI_V; i++) {
                const int64_t iw0 = (begin + i) * p->stride_width - p->pad_left;
                cc.column_factor[i] = i < columns ? divisor_columns(p, iw0) : 1.0f;
                cc.steady_reciprocal[i] = 1.0f / (cc.column_factor[i] * (float)p->kernel_height);
            }
        }
        plan_columns(p, mode, &cc);
        pool_chunk(p, &cc, &pool_forms[p->kind == NC_POOL_MAX][mode][cc.fixed_width == 0 ? 0 : cc.fixed_width - 1],
                   input, output, range);
    }
}

const nci_pool_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .can_handle = can_handle,
    .run = run,
};
