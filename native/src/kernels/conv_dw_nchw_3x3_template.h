/* Depthwise 3x3 convolution at stride 1 or 2 on NCHW planes (one input and one output channel per group),
 * vectorised along output rows: a tile is TILE_R output rows x one vector of output pixels of one channel.
 * Each of the tile's input rows is loaded once and feeds every output row it reaches; the nine weights stay in
 * registers for the whole plane. At stride 1 a row is three vectors at its three column shifts: 3 (TILE_R + 2)
 * loads for 9 TILE_R FMAs. At stride 2 it is two pairs of vectors, whose even and odd floats (v_pairs_*) make
 * the three taps: 4 (2 TILE_R + 1) loads and 3 (2 TILE_R + 1) shuffles. Tiles that reach into the padding load
 * under masks (a row outside the plane under an empty one, so it adds 0 * w); the others load plainly. Each
 * output sums r, s in order, in whichever tile.
 *
 * The general depthwise kernels cost more per FMA on such planes: conv_dw_nchw_staged_* transposes every
 * input and output tile, and the row tiles of conv_dw_nchw_template.h spend most of their instructions on
 * taps, masks and strides they must keep general (perf on 256 x 28x28 at AVX-512: 121 instructions for 24
 * FMAs in the main loop).
 *
 * Zen 4, AVX-512, against the staged kernel (which had these shapes before), one / two threads: 256 x 28x28
 * 1.25 / 1.29x, 64 x 56x56 1.47 / 1.83x, 32 x 112x112 1.53 / 1.85x, 512 x 14x14 1.56 / 1.81x (two threads also
 * from tasks of whole planes, planes_first). AVX2 (conv_dw_nchw_3x3_4x1__avx2) against its staged kernel: 256 x
 * 28x28 1.21-1.27 / 1.18x, 64 x 56x56 1.19-1.26 / 2.81x, 32 x 112x112 1.22-1.29 / 1.57x, 512 x 14x14 1.02-1.08 /
 * 1.09x (both tiles of a 14-pixel row cross a border and load under masks). Stride 2, which went to the row
 * tiles of conv_dw_nchw_template.h (7-16 GFLOP/s), one thread: 128 x 56x56 2.3x (AVX2) / 1.9-2.1x (AVX-512),
 * 256 x 28x28 2.5-2.8 / 2.5-2.6x, 64 x 112x112 3.0 / 2.1x. Its tiles call the shared store: inline, the stride-2
 * copies did not fit the library's size limit.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines TILE_R, KERNEL_SYMBOL,
 * KERNEL_NAME and KERNEL_ISA, and DW3_EDGE_MASKS where building a tile's masks costs more than loading them:
 * at AVX2 the three masks of a checked tile took about 60 instructions, and taking those of the first and last
 * tiles from a table built once ran 1.07-1.19x on 256 x 28x28, 512 x 14x14, 64 x 56x56 and 32 x 112x112 (stride
 * 1; stride 2 0.99-1.05x). AVX-512 builds a mask in a few scalar instructions, and the table ran 0.92-0.97x there
 * (library_ab, Zen 4). Weights stay [channel][r][s]. No scratch memory. */
#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

/* Loads per input row at stride S: three shifted vectors at stride 1; at stride 2 two pairs of vectors, at the
 * tile's first column and two further, whose even and odd floats make the three taps. DW3_OFFSETS are their
 * columns from the tile's first input column. */
#define DW3_LOADS(S) ((S) + 2)
#define DW3_OFFSETS(S) {0, (S) == 1 ? 1 : NCI_V, 2, 2 + NCI_V}

typedef struct dw3_plane {
    const float *plane; /* input plane */
    float *out;         /* output plane */
    const float *bias;  /* the channel's bias, or NULL */
    nci_vf w[9];        /* the channel's weights, [r][s], broadcast */
#if defined(DW3_EDGE_MASKS)
    /* The load masks of the tiles at the rows' first and last output columns (last_ow), the same for every
     * row, built once per call rather than per tile. */
    const nci_vmask (*edge)[4];
    int64_t last_ow;
#endif
} dw3_plane;

/* The masks of the loads of the tile whose first input column is col, at stride s: lanes outside the plane's
 * columns off. */
static void dw3_masks(const nci_conv_params *p, int64_t s, int64_t col, nci_vmask *masks)
{
    const int64_t offset[4] = DW3_OFFSETS(s);
    for (int k = 0; k < 4; k++) {
        masks[k] = v_mask_span(-(col + offset[k]), p->in_width - (col + offset[k]));
    }
}

/* Where the tile of output columns from ow starts: a row's last part vector moves back to end at the row's end.
 * The pixels it shares with the tile before come out bitwise the same (the same taps in the same order), and it
 * stores whole. Not when accumulating, which would add those pixels twice. */
static inline int64_t dw3_tile_start(const nci_conv_params *p, int64_t ow)
{
    return p->out_width - ow < NCI_V && ow > 0 && !p->accumulate ? p->out_width - NCI_V : ow;
}

/* Columns a tile's loads span from its first input column, the last load's end. */
#define DW3_REACH(S) ((S) * NCI_V + 2)

/* ROWS output rows from oh (the first `rows` stored), one vector from output column ow, at stride S. A CHECKED
 * tile loads under masks: columns outside the plane read zero, and so do rows outside it (an empty mask). */
NCI_INLINE void dw3_tile(const int ROWS, const int S, const bool CHECKED, const nci_conv_params *p, const dw3_plane *d,
                         int64_t oh, int64_t rows, int64_t ow, const nci_vmask *masks)
{
    const int64_t width = p->in_width, col = S * ow - p->pad_left, ih0 = S * oh - p->pad_top;
    const int64_t offset[4] = DW3_OFFSETS(S);
    const nci_vmask none = v_mask_span(0, 0);
    nci_vf acc[TILE_R];
    NCI_UNROLL
    for (int i = 0; i < ROWS; i++) {
        acc[i] = v_zero();
    }
    NCI_UNROLL
    for (int t = 0; t < S * (ROWS - 1) + 3; t++) {
        const int64_t ih = ih0 + t;
        const bool inside = ih >= 0 && ih < p->in_height;
        /* An empty mask reads nothing: point such a row at the plane itself rather than outside it. */
        const float *x = CHECKED && !inside ? d->plane : d->plane + ih * width + col;
        nci_vf loaded[4];
        NCI_UNROLL
        for (int k = 0; k < DW3_LOADS(S); k++) {
            loaded[k] = CHECKED ? v_load_mask(x + offset[k], inside ? masks[k] : none) : v_load(x + offset[k]);
        }
        nci_vf xv[3];
        if (S == 1) {
            NCI_UNROLL
            for (int s = 0; s < 3; s++) {
                xv[s] = loaded[s];
            }
        } else {
            xv[0] = v_pairs_even(loaded[0], loaded[1]);
            xv[1] = v_pairs_odd(loaded[0], loaded[1]);
            xv[2] = v_pairs_even(loaded[2], loaded[3]);
        }
        /* Output row i uses input row t as its kernel row t - S i. */
        NCI_UNROLL
        for (int i = 0; i < ROWS; i++) {
            const int r = t - S * i;
            if (r >= 0 && r < 3) {
                NCI_UNROLL
                for (int s = 0; s < 3; s++) {
                    acc[i] = v_fma(xv[s], d->w[r * 3 + s], acc[i]);
                }
            }
        }
    }
    if (S == 2) {
        NCI_UNROLL
        for (int i = 0; i < ROWS; i++) {
            acc[i] = v_pairs_in_order(acc[i]);
        }
    }
    /* A tile is only 9 ROWS FMAs, so a call per tile to the shared store shows: inline on whole vectors, against
     * calls on all tiles 1.08-1.21x at AVX2 (not 14x14), 1.05-1.14x at AVX-512 (library_ab, Zen 4). Stride-2
     * tiles, which also split their loads into pairs, call it: inline, their copies did not fit the size limit. */
    float *out = d->out + oh * p->out_width + ow;
    const int64_t rest = p->out_width - ow;
    if (S == 2 || (CHECKED && rest < NCI_V)) {
        nci_store_lines(p, acc, 1, 0, rows, 1, rest < NCI_V ? rest : NCI_V, d->bias, 0, out, p->out_width);
    } else {
        v_store_lines(p, acc, 1, 0, rows, 1, NCI_V, d->bias, 0, out, p->out_width);
    }
}

/* The tiles of ROWS rows from oh at stride S: those that reach into the padding (or past the last input row)
 * checked. */
NCI_INLINE void dw3_row_tiles(const int ROWS, const int S, const nci_conv_params *p, const dw3_plane *d, int64_t oh,
                              int64_t rows)
{
    const int64_t ih0 = S * oh - p->pad_top;
    const bool rows_inside = ih0 >= 0 && ih0 + S * (ROWS - 1) + 3 <= p->in_height;
    for (int64_t ow = 0; ow < p->out_width; ow += NCI_V) {
        ow = dw3_tile_start(p, ow);
        const int64_t col = S * ow - p->pad_left;
        if (rows_inside && col >= 0 && col + DW3_REACH(S) <= p->in_width) {
            dw3_tile(ROWS, S, false, p, d, oh, rows, ow, NULL);
        } else {
            nci_vmask built[4];
            const nci_vmask *masks = built;
#if defined(DW3_EDGE_MASKS)
            if (ow == 0 || ow == d->last_ow) {
                masks = d->edge[ow == 0 ? 0 : 1];
            } else
#endif
            {
                dw3_masks(p, S, col, built);
            }
            dw3_tile(ROWS, S, true, p, d, oh, rows, ow, masks);
        }
    }
}

/* Rows of at most half a vector waste most of each tile's lanes: 512 x 7x7 ran 0.93x the staged kernel. Tiles
 * take the column stride for the rows too, which a single output row's stride (given as 1) never moves. */
static bool can_handle(const nci_conv_params *p)
{
    return p->layout == NC_LAYOUT_NCHW && p->group_in_channels == 1 && p->group_out_channels == 1 &&
           p->kernel_height == 3 && p->kernel_width == 3 && (p->stride_width == 1 || p->stride_width == 2) &&
           (p->stride_height == p->stride_width || p->out_height == 1) &&
           p->dilation_height == 1 && p->dilation_width == 1 && p->out_width > NCI_V / 2;
}

static int64_t packed_count(const nci_conv_params *p)
{
    return p->out_channels * 9;
}

/* [channel][r][s]: one-channel blocks, which is OIHW itself. */
static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, 1, 1, NCI_ORDER_CHANNELS_OUTER);
}

/* The task's output rows of one plane at stride S. */
NCI_INLINE void dw3_plane_rows(const int S, const nci_conv_params *p, const dw3_plane *d, const nci_task_range *range)
{
    int64_t oh = range->row_begin;
    for (; range->row_end - oh >= TILE_R; oh += TILE_R) {
        dw3_row_tiles(TILE_R, S, p, d, oh, TILE_R);
    }
    /* The task's last rows (tasks split planes by rows too) in tiles of two, not one of TILE_R. */
    for (; oh < range->row_end; oh += 2) {
        dw3_row_tiles(2, S, p, d, oh, range->row_end - oh < 2 ? 1 : 2);
    }
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t in_plane = p->in_height * p->in_width, out_plane = p->out_height * p->out_width;
#if defined(DW3_EDGE_MASKS)
    const int64_t last_ow = dw3_tile_start(p, (p->out_width - 1) / NCI_V * NCI_V);
    nci_vmask edge[2][4];
    dw3_masks(p, p->stride_width, -p->pad_left, edge[0]);
    dw3_masks(p, p->stride_width, p->stride_width * last_ow - p->pad_left, edge[1]);
#endif
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k = range->channel_begin; k < range->channel_end; k++) {
            dw3_plane d = {
                .plane = input + (n * p->in_channels + k) * in_plane,
                .out = output + (n * p->out_channels + k) * out_plane,
                .bias = bias != NULL ? bias + k : NULL,
#if defined(DW3_EDGE_MASKS)
                .edge = (const nci_vmask(*)[4])edge,
                .last_ow = last_ow,
#endif
            };
            for (int i = 0; i < 9; i++) {
                d.w[i] = v_set1(filter[k * 9 + i]);
            }
            if (p->stride_width == 1) {
                dw3_plane_rows(1, p, &d, range);
            } else {
                dw3_plane_rows(2, p, &d, range);
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
