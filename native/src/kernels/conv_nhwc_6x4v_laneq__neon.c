/* NHWC direct convolution for NEON with the lane-indexed FMA: a tile is TILE_P output pixels of one row x
 * TILE_Q vectors of 4 output channels (6 x 4 = 24 q-register accumulators, 6 input vectors, 1-2 weight
 * vectors of the 32). Per (r, s) and group of 4 input channels it loads one q-register of 4 channels per
 * pixel and 4 * TILE_Q weight vectors, and each input lane feeds TILE_Q by-element FMLAs, so no
 * broadcast instruction runs: 96 FMLA per 22 loads. Input channels past the last group of 4 are
 * broadcast one at a time. The reduction order per output is r, s, c, as in conv_nhwc_template.h,
 * whose packing and border handling this kernel shares: weights per group in blocks of TILE_Q * 4
 * output channels, [r][s][c][lanes], zero-padded to whole vectors; pixels whose window row crosses
 * the left or right padding run one at a time with the tap range clipped. No scratch memory. */
#include "simd/neon.h"

#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

#define TILE_P 6
#define TILE_Q 4
#define BLOCK (TILE_Q * NCI_V)

typedef struct laneq_tile {
    const float *image;   /* input image, at the group's first channel */
    const float *weights; /* the channel block */
    float *out;           /* output of the first pixel, at the block's first channel */
    const float *bias;    /* bias of the block's first channel, or NULL */
    int64_t ih0, iw0;     /* input coordinates of the first pixel's window origin */
    int64_t r_begin, r_end, s_begin, s_end;
    int64_t channels; /* valid output channels of the block */
} laneq_tile;

/* Input channel c + LANE of every pixel (lane LANE of xv) times its Q weight vectors at w. The lane must
 * be a literal for the FMLA encoding, hence a macro rather than a loop. */
#define LANE_STEP(LANE)                                                                    \
    do {                                                                                   \
        NCI_UNROLL                                                                         \
        for (int q = 0; q < Q; q++) {                                                      \
            const nci_vf wv = v_load(w + ((LANE) * Q + q) * NCI_V);                        \
            NCI_UNROLL                                                                     \
            for (int i = 0; i < P; i++) {                                                  \
                acc[i][q] = v_fma_lane(wv, xv[i], LANE, acc[i][q]);                        \
            }                                                                              \
        }                                                                                  \
    } while (0)

NCI_INLINE void laneq_tile_run(const int P, const int Q, const nci_conv_params *p, const laneq_tile *t)
{
    const int64_t cg = p->group_in_channels;
    const int64_t pixel_step = p->stride_width * p->in_channels;
    nci_vf acc[TILE_P][TILE_Q];
    NCI_UNROLL
    for (int i = 0; i < P; i++) {
        NCI_UNROLL
        for (int q = 0; q < Q; q++) {
            acc[i][q] = v_zero();
        }
    }
    for (int64_t r = t->r_begin; r < t->r_end; r++) {
        for (int64_t s = t->s_begin; s < t->s_end; s++) {
            const float *x = t->image + ((t->ih0 + r * p->dilation_height) * p->in_width + t->iw0 +
                                         s * p->dilation_width) * p->in_channels;
            const float *w = t->weights + (r * p->kernel_width + s) * cg * Q * NCI_V;
            int64_t c = 0;
            for (; c + NCI_V <= cg; c += NCI_V) {
                nci_vf xv[TILE_P];
                NCI_UNROLL
                for (int i = 0; i < P; i++) {
                    xv[i] = v_load(x + i * pixel_step + c);
                }
                LANE_STEP(0);
                LANE_STEP(1);
                LANE_STEP(2);
                LANE_STEP(3);
                w += NCI_V * Q * NCI_V;
            }
            for (; c < cg; c++) {
                NCI_UNROLL
                for (int q = 0; q < Q; q++) {
                    const nci_vf wv = v_load(w + q * NCI_V);
                    NCI_UNROLL
                    for (int i = 0; i < P; i++) {
                        acc[i][q] = v_fma(v_set1(x[i * pixel_step + c]), wv, acc[i][q]);
                    }
                }
                w += Q * NCI_V;
            }
        }
    }
    NCI_UNROLL
    for (int q = 0; q < Q; q++) {
        const int64_t lanes = t->channels - q * NCI_V;
        const bool full = lanes >= NCI_V;
        const nci_vmask mask = v_mask_span(0, lanes);
        nci_vf bias = v_zero();
        if (t->bias != NULL) {
            bias = full ? v_load(t->bias + q * NCI_V) : v_load_mask(t->bias + q * NCI_V, mask);
        }
        NCI_UNROLL
        for (int i = 0; i < P; i++) {
            float *y = t->out + i * p->out_channels + q * NCI_V;
            nci_vf v = acc[i][q];
            if (t->bias != NULL) {
                v = v_add(v, bias);
            }
            if (p->accumulate) {
                v = v_add(v, full ? v_load(y) : v_load_mask(y, mask));
            }
            v = v_activate(p, v);
            if (full) {
                v_store(y, v);
            } else {
                v_store_mask(y, mask, v);
            }
        }
    }
}

/* One copy per pixel count, so remainders keep their accumulators in registers too. */
NCI_INLINE void laneq_tile_pixels(const int Q, int64_t pixels, const nci_conv_params *p, const laneq_tile *t)
{
    switch (pixels) {
    case 6: laneq_tile_run(6, Q, p, t); break;
    case 5: laneq_tile_run(5, Q, p, t); break;
    case 4: laneq_tile_run(4, Q, p, t); break;
    case 3: laneq_tile_run(3, Q, p, t); break;
    case 2: laneq_tile_run(2, Q, p, t); break;
    default: laneq_tile_run(1, Q, p, t); break;
    }
}

static void laneq_tile_any(int64_t pixels, int64_t vectors, const nci_conv_params *p, const laneq_tile *t)
{
    switch (vectors) {
    case 4: laneq_tile_pixels(4, pixels, p, t); break;
    case 3: laneq_tile_pixels(3, pixels, p, t); break;
    case 2: laneq_tile_pixels(2, pixels, p, t); break;
    default: laneq_tile_pixels(1, pixels, p, t); break;
    }
}

static bool can_handle(const nci_conv_params *p)
{
    return p->layout == NC_LAYOUT_NHWC;
}

static int64_t packed_count(const nci_conv_params *p)
{
    return nci_blocked_filter_count(p, NCI_V);
}

static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, BLOCK, NCI_V, NCI_ORDER_TAPS_OUTER);
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t block_stride = cg * p->kernel_height * p->kernel_width; /* floats per packed lane */
    const int64_t kg_padded = nci_round_up(kg, NCI_V);
    /* Columns [interior_begin, interior_end) have every tap of their window row inside the input. */
    const int64_t last_start = p->in_width - 1 + p->pad_left - (p->kernel_width - 1) * p->dilation_width;
    int64_t interior_begin = (p->pad_left + p->stride_width - 1) / p->stride_width;
    int64_t interior_end = last_start < 0 ? 0 : last_start / p->stride_width + 1;
    interior_end = interior_end < p->out_width ? interior_end : p->out_width;
    interior_begin = interior_begin < interior_end ? interior_begin : interior_end;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        const float *image = input + n * p->in_height * p->in_width * p->in_channels;
        for (int64_t k = range->channel_begin; k < range->channel_end;) {
            const int64_t group = k / kg;
            const int64_t first = k - group * kg; /* a multiple of BLOCK: tasks split at blocks */
            const int64_t channels = kg - first < BLOCK ? kg - first : BLOCK;
            const int64_t vectors = (channels + NCI_V - 1) / NCI_V;
            laneq_tile t = {
                .image = image + group * cg,
                .weights = filter + (group * kg_padded + first) * block_stride,
                .bias = bias != NULL ? bias + k : NULL,
                .channels = channels,
            };
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                t.ih0 = oh * p->stride_height - p->pad_top;
                nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
                float *out_row = output + (n * p->out_height + oh) * p->out_width * p->out_channels + k;
                for (int64_t ow = 0; ow < p->out_width;) {
                    int64_t pixels = 1;
                    t.iw0 = ow * p->stride_width - p->pad_left;
                    t.out = out_row + ow * p->out_channels;
                    if (ow >= interior_begin && ow < interior_end) {
                        pixels = interior_end - ow < TILE_P ? interior_end - ow : TILE_P;
                        t.s_begin = 0;
                        t.s_end = p->kernel_width;
                    } else {
                        nci_valid_taps(t.iw0, p->dilation_width, p->kernel_width, p->in_width, &t.s_begin, &t.s_end);
                    }
                    laneq_tile_any(pixels, vectors, p, &t);
                    ow += pixels;
                }
            }
            k += channels;
        }
    }
}

const nci_conv_kernel nci_conv_nhwc_6x4v_laneq__neon = {
    .name = "conv_nhwc_6x4v_laneq__neon",
    .isa = NC_ISA_NEON,
    .channel_block = BLOCK,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
