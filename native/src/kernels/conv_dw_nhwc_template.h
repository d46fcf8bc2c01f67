/* Depthwise convolution (groups == in_channels == out_channels) on NHWC and NCHW16c tensors
 * (channels_last.h), channels in lanes. A tile is TILE_P output pixels of one row x TILE_Q channel vectors.
 * Per tap it loads TILE_Q weight vectors and TILE_P * TILE_Q input vectors; the reduction order per output is
 * r, s. In NCHW16c each block of 16 channels runs as an NHWC image of its own, except that where a tile is
 * wider than a block (AVX-512: 4 vectors of 16) the interior tiles take TILE_Q neighbouring blocks at once
 * (GROUPED): one block alone leaves a tile of TILE_P accumulators, too few to hide the FMA latency.
 *
 * Instantiated like conv_nhwc_template.h (TILE_P, TILE_Q, KERNEL_*). Weights are packed [r][s][channel],
 * unpadded: a channel range may start anywhere (each group is one channel), so the last vector of a range
 * loads and stores under a mask. Borders as in the general NHWC kernel. No scratch memory. */
#include "channels_last.h"
#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

#define BLOCK (TILE_Q * NCI_V)
/* NCHW16c blocks a GROUPED tile spans; 1 where a tile fits in a block and no tile is grouped. */
#define GROUP_BLOCKS (BLOCK / NC_CHANNEL_BLOCK)
_Static_assert(BLOCK % NC_CHANNEL_BLOCK == 0 && NC_CHANNEL_BLOCK % NCI_V == 0,
               "a tile spans whole blocks and a block whole vectors");
/* dw_nhwc_tile_any dispatches 1 to 4 vectors; a wider block would fall to one vector and skip channels. */
_Static_assert(TILE_Q <= 4, "dw_nhwc_tile_any serves up to 4 vectors");

typedef struct dw_tile {
    const float *image;   /* input image, at the tile's first channel */
    const float *weights; /* packed weights, at the tile's first channel */
    float *out;           /* output of the first pixel, at the tile's first channel */
    const float *bias;    /* bias of the first channel, or NULL */
    int64_t pixel_stride; /* floats between neighbouring pixels, input and output alike */
    int64_t in_block_stride, out_block_stride; /* floats between channel c and c + 16, for GROUPED tiles */
    int64_t in_step, out_step; /* floats from one block of BLOCK channels to the next */
    int64_t ih0, iw0, r_begin, r_end, s_begin, s_end;
    int64_t tiles;    /* consecutive tiles of P pixels along the row, in turn */
    int64_t blocks;   /* whole blocks of BLOCK channels, in turn at each tile's pixels */
    int64_t channels; /* valid channels of each block (BLOCK for whole ones); a TAIL block's last vector holds
                       * channels - (Q - 1) * V */
} dw_tile;

/* Vector q of a tile from its first channel: contiguous, or in GROUPED tiles across the blocks. */
NCI_INLINE int64_t dw_vector_offset(const bool GROUPED, int q, int64_t block_stride)
{
    const int block_vectors = NC_CHANNEL_BLOCK / NCI_V;
    return GROUPED ? q / block_vectors * block_stride + q % block_vectors * NCI_V : q * NCI_V;
}

/* ROW3 tiles are whole interior tiles of a 3-wide kernel at unit column stride and dilation: pixel i
 * at tap s reads input pixel i + s, so each kernel row loads its P + 2 input vectors once for its 3 taps.
 * The order per output stays r, s. The loops over tiles and blocks are inside so that a call and the tile's
 * addressing are paid once per run of tiles, not once per tile and block: with 9 taps a block is only 72
 * FMAs. */
NCI_INLINE void dw_nhwc_tile_run(const int P, const int Q, const bool TAIL, const bool ROW3, const bool GROUPED,
                                 const nci_conv_params *p, const dw_tile *t)
{
    /* GROUPED tiles run on NCHW16c only, whose pixels are one block apart: a constant stride turns the tile's
     * pixel offsets into displacements, where with the stride in a register its 24 addresses (4 blocks x 6
     * pixels) spilled to the stack. AVX-512 NCHW16c 3x3: 256 x 28^2 1.06x, 512 x 14^2 1.03x, 5x5 1.03x, 128 x 56^2
     * 0.98-1.01x; 880 bytes less code. */
    const int64_t pixel_stride = GROUPED ? NC_CHANNEL_BLOCK : t->pixel_stride;
    const int64_t pixel_step = p->stride_width * pixel_stride;
    const nci_vmask tail = v_mask_span(0, t->channels - (Q - 1) * NCI_V);
    const int64_t ih0 = t->ih0, r_begin = t->r_begin, r_end = t->r_end;
    const int64_t s_begin = t->s_begin, s_end = t->s_end;
    const int64_t in_block_stride = t->in_block_stride, out_block_stride = t->out_block_stride;
    const int64_t in_step = t->in_step, out_step = t->out_step;
    const int64_t in_width = p->in_width, dilation_height = p->dilation_height, dilation_width = p->dilation_width;
    /* A GROUPED call is one group of blocks (run), and a constant count drops the loop and its pointer updates:
     * with the count in a register the tiles ran 0.87x. */
    const int64_t kernel_width = p->kernel_width, tap_step = p->out_channels, blocks = GROUPED ? 1 : t->blocks;
    const bool accumulate = p->accumulate;
    for (int64_t tile = 0; tile < t->tiles; tile++) {
        const int64_t iw0 = t->iw0 + tile * P * p->stride_width;
        const float *image = t->image, *weights = t->weights, *bias = t->bias;
        float *out = t->out + tile * P * pixel_stride;
        for (int64_t b = 0; b < blocks; b++) {
            nci_vf acc[TILE_P][TILE_Q];
            NCI_UNROLL
            for (int i = 0; i < P; i++) {
                NCI_UNROLL
                for (int q = 0; q < Q; q++) {
                    acc[i][q] = v_zero();
                }
            }
            for (int64_t r = r_begin; r < r_end; r++) {
                if (ROW3) {
                    const float *x = image + ((ih0 + r * dilation_height) * in_width + iw0) * pixel_stride;
                    const float *w = weights + r * 3 * tap_step;
                    NCI_UNROLL
                    for (int q = 0; q < Q; q++) {
                        const bool masked = TAIL && q == Q - 1;
                        nci_vf xv[TILE_P + 2];
                        NCI_UNROLL
                        for (int i = 0; i < P + 2; i++) {
                            const float *xi = x + i * pixel_stride + dw_vector_offset(GROUPED, q, in_block_stride);
                            xv[i] = masked ? v_load_mask(xi, tail) : v_load(xi);
                        }
                        NCI_UNROLL
                        for (int s = 0; s < 3; s++) {
                            const float *ws = w + s * tap_step + q * NCI_V;
                            const nci_vf wv = masked ? v_load_mask(ws, tail) : v_load(ws);
                            NCI_UNROLL
                            for (int i = 0; i < P; i++) {
                                acc[i][q] = v_fma(xv[i + s], wv, acc[i][q]);
                            }
                        }
                    }
                    continue;
                }
                for (int64_t s = s_begin; s < s_end; s++) {
                    const float *x =
                        image + ((ih0 + r * dilation_height) * in_width + iw0 + s * dilation_width) * pixel_stride;
                    const float *w = weights + (r * kernel_width + s) * tap_step;
                    NCI_UNROLL
                    for (int q = 0; q < Q; q++) {
                        const bool masked = TAIL && q == Q - 1;
                        const nci_vf wv = masked ? v_load_mask(w + q * NCI_V, tail) : v_load(w + q * NCI_V);
                        NCI_UNROLL
                        for (int i = 0; i < P; i++) {
                            const float *xi = x + i * pixel_step + dw_vector_offset(GROUPED, q, in_block_stride);
                            acc[i][q] = v_fma(masked ? v_load_mask(xi, tail) : v_load(xi), wv, acc[i][q]);
                        }
                    }
                }
            }
            /* Every value is finished before the first store: an intrinsic store may alias anything, so a field
             * read after one would be read again (and the activation tested again) for each vector. */
            NCI_UNROLL
            for (int q = 0; q < Q; q++) {
                const bool masked = TAIL && q == Q - 1;
                if (bias != NULL) {
                    const nci_vf bq = masked ? v_load_mask(bias + q * NCI_V, tail) : v_load(bias + q * NCI_V);
                    NCI_UNROLL
                    for (int i = 0; i < P; i++) {
                        acc[i][q] = v_add(acc[i][q], bq);
                    }
                }
                if (accumulate) {
                    NCI_UNROLL
                    for (int i = 0; i < P; i++) {
                        const float *y = out + i * pixel_stride + dw_vector_offset(GROUPED, q, out_block_stride);
                        acc[i][q] = v_add(acc[i][q], masked ? v_load_mask(y, tail) : v_load(y));
                    }
                }
                NCI_UNROLL
                for (int i = 0; i < P; i++) {
                    acc[i][q] = v_activate(p, acc[i][q]);
                }
            }
            NCI_UNROLL
            for (int q = 0; q < Q; q++) {
                NCI_UNROLL
                for (int i = 0; i < P; i++) {
                    float *y = out + i * pixel_stride + dw_vector_offset(GROUPED, q, out_block_stride);
                    if (TAIL && q == Q - 1) {
                        v_store_mask(y, tail, acc[i][q]);
                    } else {
                        v_store(y, acc[i][q]);
                    }
                }
            }
            image += in_step;
            weights += BLOCK;
            bias = bias != NULL ? bias + BLOCK : NULL;
            out += out_step;
        }
    }
}

NCI_INLINE void dw_nhwc_tile_q(const int Q, int64_t pixels, bool tail, bool row3, const nci_conv_params *p,
                               const dw_tile *t)
{
    if (pixels > 1 && row3 && !tail) {
        dw_nhwc_tile_run(TILE_P, Q, false, true, false, p, t);
    } else if (pixels > 1) {
        if (tail) {
            dw_nhwc_tile_run(TILE_P, Q, true, false, false, p, t);
        } else {
            dw_nhwc_tile_run(TILE_P, Q, false, false, false, p, t);
        }
    } else if (tail) {
        dw_nhwc_tile_run(1, Q, true, false, false, p, t);
    } else {
        dw_nhwc_tile_run(1, Q, false, false, false, p, t);
    }
}

/* pixels is 1 or a run of t->tiles whole tiles; row3 says whole tiles may take the ROW3 path. A tile of
 * fewer than TILE_Q vectors or a partial last vector is one block. */
static void dw_nhwc_tile_any(int64_t pixels, int64_t vectors, bool tail, bool row3, const nci_conv_params *p,
                             const dw_tile *t)
{
    switch (vectors) {
#if TILE_Q >= 4
    case 4: dw_nhwc_tile_q(4, pixels, tail, row3, p, t); break;
#endif
#if TILE_Q >= 3
    case 3: dw_nhwc_tile_q(3, pixels, tail, row3, p, t); break;
#endif
#if TILE_Q >= 2
    case 2: dw_nhwc_tile_q(2, pixels, tail, row3, p, t); break;
#endif
    default: dw_nhwc_tile_q(1, pixels, tail, row3, p, t); break;
    }
}

/* Whole NCHW16c tiles of GROUP_BLOCKS blocks; pixels is 1 or a run of t->tiles whole tiles. */
static void dw_grouped_tile(int64_t pixels, bool row3, const nci_conv_params *p, const dw_tile *t)
{
    if (pixels == 1) {
        dw_nhwc_tile_run(1, TILE_Q, false, false, true, p, t);
    } else if (row3) {
        dw_nhwc_tile_run(TILE_P, TILE_Q, false, true, true, p, t);
    } else {
        dw_nhwc_tile_run(TILE_P, TILE_Q, false, false, true, p, t);
    }
}

static bool can_handle(const nci_conv_params *p)
{
    return nci_is_channels_last(p->layout) && p->group_in_channels == 1 && p->group_out_channels == 1;
}

static int64_t packed_count(const nci_conv_params *p)
{
    return p->out_channels * p->kernel_height * p->kernel_width;
}

static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_depthwise_taps_outer(p, filter_layout, filter, packed);
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    int64_t interior_begin, interior_end;
    nci_inside_span(p->pad_left, p->stride_width, p->kernel_width, p->dilation_width, p->in_width, p->out_width,
                    &interior_begin, &interior_end);
    const bool row3 = p->kernel_width == 3 && p->stride_width == 1 && p->dilation_width == 1;
    const nci_channels_last in = nci_channels_last_of(p->layout, p->in_channels, p->in_height, p->in_width);
    const nci_channels_last out = nci_channels_last_of(p->layout, p->out_channels, p->out_height, p->out_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k = range->channel_begin; k < range->channel_end;) {
            /* The task's whole range, but in NCHW16c from inside a block only the rest of that block, and where
             * tiles are GROUPED one group of blocks at a time: each group sweeps its planes row by row, and its
             * input rows stay in L1 between output rows. All groups inside the pixel loop instead ran 0.78-0.86x
             * (AVX-512, 256 x 28^2 and 512 x 14^2), while for AVX2's one-block tiles, a sweep per block made
             * many short calls of a few FMA chains each, and the blocks inside the pixel loop ran 1.31x (28^2). */
            const int64_t end = range->channel_end;
            const int64_t stop = k % NC_CHANNEL_BLOCK != 0                       ? nci_run_end(&in, k, end)
                                 : in.blocked && GROUP_BLOCKS > 1 && end - k > BLOCK ? k + BLOCK
                                                                                   : end;
            const int64_t whole = (stop - k) / BLOCK;
            const float *image = input + n * in.image_stride + nci_channel_offset(&in, k);
            float *out_image = output + n * out.image_stride + nci_channel_offset(&out, k);
            dw_tile t = {.pixel_stride = in.pixel_stride,
                         .in_block_stride = in.block_stride,
                         .out_block_stride = out.block_stride,
                         .in_step = nci_channel_offset(&in, BLOCK),
                         .out_step = nci_channel_offset(&out, BLOCK)};
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                t.ih0 = oh * p->stride_height - p->pad_top;
                nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
                for (int64_t ow = 0; ow < p->out_width;) {
                    int64_t pixels = 1;
                    t.iw0 = ow * p->stride_width - p->pad_left;
                    t.tiles = 1;
                    if (ow >= interior_begin && interior_end - ow >= TILE_P) {
                        t.tiles = (interior_end - ow) / TILE_P;
                        pixels = t.tiles * TILE_P;
                        t.s_begin = 0;
                        t.s_end = p->kernel_width;
                    } else {
                        nci_valid_taps(t.iw0, p->dilation_width, p->kernel_width, p->in_width, &t.s_begin, &t.s_end);
                    }
                    /* All of the run's channels at these pixels before the next pixels: in NHWC a pixel's
                     * channels are one contiguous run, so the tile's input stays in L1 across them, where a
                     * sweep over the image per channel block touched every pixel's line once per block. */
                    float *out_pixels = out_image + (oh * p->out_width + ow) * out.pixel_stride;
                    t.image = image;
                    t.weights = filter + k;
                    t.bias = bias != NULL ? bias + k : NULL;
                    t.out = out_pixels;
                    if (whole > 0) {
                        t.blocks = whole;
                        t.channels = BLOCK;
                        if (GROUP_BLOCKS > 1 && in.blocked) {
                            dw_grouped_tile(pixels, row3, p, &t);
                        } else {
                            dw_nhwc_tile_any(pixels, TILE_Q, false, row3, p, &t);
                        }
                    }
                    /* What is left after the whole tiles: in NHWC one run, in NCHW16c block by block. */
                    for (int64_t c = whole * BLOCK; c < stop - k;) {
                        const int64_t c_end = in.blocked && stop - k - c > NC_CHANNEL_BLOCK ? c + NC_CHANNEL_BLOCK : stop - k;
                        t.blocks = 1;
                        t.channels = c_end - c;
                        t.image = image + nci_channel_offset(&in, c);
                        t.weights = filter + k + c;
                        t.bias = bias != NULL ? bias + k + c : NULL;
                        t.out = out_pixels + nci_channel_offset(&out, c);
                        dw_nhwc_tile_any(pixels, (t.channels + NCI_V - 1) / NCI_V, t.channels % NCI_V != 0, row3, p,
                                         &t);
                        c = c_end;
                    }
                    ow += pixels;
                }
            }
            k = stop;
        }
    }
}

const nci_conv_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .channel_block = 1,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
