/* NHWC / NCHW16c direct convolution for NEON with the lane-indexed FMA: conv_nhwc_template.h's tiles of
 * TILE_P output pixels x TILE_Q vectors of 4 output channels (6 x 4 = 24 q-register accumulators, 6 input
 * vectors, 1-2 weight vectors of the 32), with its own channel step. Per (r, s) and group of 4 input
 * channels it loads one q-register of 4 channels per pixel and 4 * TILE_Q weight vectors, and each input
 * lane feeds TILE_Q by-element FMLAs, so no broadcast instruction runs: 96 FMLA per 22 loads. Input
 * channels past the last group of 4 are broadcast one at a time. The reduction order per output stays
 * r, s, c; packing, borders and layouts are the template's. */
#include "simd/neon.h"

#include "simd/common.h"

#define TILE_P 6
#define TILE_Q 4
#define KERNEL_SYMBOL nci_conv_nhwc_6x4v_laneq__neon
#define KERNEL_NAME "conv_nhwc_6x4v_laneq__neon"
#define KERNEL_ISA NC_ISA_NEON

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

#define NHWC_CUSTOM_CHANNEL_RUN
NCI_INLINE const float *nhwc_channel_run(const int P, const int Q, nci_vf acc[TILE_P][TILE_Q], const float *x,
                                         int64_t pixel_step, int64_t channel_step, const float *w, int64_t count)
{
    /* Channels are contiguous (channel_step 1) in every layout this kernel serves; it registers no NCHW
     * variant. */
    (void)channel_step;
    int64_t c = 0;
    for (; c + NCI_V <= count; c += NCI_V) {
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
    for (; c < count; c++) {
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
    return w;
}

#include "conv_nhwc_template.h"
