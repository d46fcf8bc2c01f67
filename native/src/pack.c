#include "pack.h"

#include <string.h>

#include "checked_math.h"
#include "cpu.h"
#include "kernel_registry.h"

int64_t nci_blocked_filter_count(const nci_conv_params *p, int64_t round)
{
    const int64_t factors[] = {nci_round_up(p->group_out_channels, round), p->group_in_channels, p->kernel_height,
                               p->kernel_width};
    int64_t count = p->groups;
    for (size_t i = 0; i < sizeof factors / sizeof factors[0]; i++) {
        if (nci_mul_overflow(count, factors[i], &count) || count > NCI_MAX_FLOAT_COUNT) {
            return -1;
        }
    }
    return count;
}

/* OIHW sources are transposed through a stack tile of LANE_CHUNK lanes x SPAN consecutive source floats:
 * each source line is read once (the lanes' rows are often a power-of-two multiple of 4 KiB apart, so
 * strided reads would keep evicting each other), the best transpose kernel turns the tile, and each
 * destination run of lanes is written whole. */
#define LANE_CHUNK 16
#define SPAN 256

/* dst[j][l] = src[l * taps + j] for a block of `lanes` lanes in tap order. With the NCHW kernels' 4 or 8
 * lanes (AVX2, AVX-512) so few streams share the L1 sets without evicting each other, and a constant
 * count unrolls: the transpose kernels took a third of plan creation for 4 lanes (measured when their parts
 * narrower than a tile went through lane-masked staging). */
static inline void interleave_rows(const float *src, int64_t taps, float *dst, const int64_t lanes)
{
    for (int64_t j = 0; j < taps; j++) {
        for (int64_t l = 0; l < lanes; l++) {
            dst[j * lanes + l] = src[l * taps + j];
        }
    }
}

/* One block from OIHW: source lane l's taps [c][r][s] are the taps floats at src + l * taps. */
static void pack_block_oihw(const nci_transpose_kernel *transpose, const float *src, int64_t taps, float *dst,
                            int64_t used, int64_t lanes, int64_t cg, int64_t area, bool taps_outer)
{
    if (!taps_outer && used == lanes && (lanes == 4 || lanes == 8)) {
        if (lanes == 4) {
            interleave_rows(src, taps, dst, 4);
        } else {
            interleave_rows(src, taps, dst, 8);
        }
        return;
    }
    float tile[LANE_CHUNK * SPAN], turned[SPAN * LANE_CHUNK];
    /* Spans outer: a block's lane chunks then write each destination run of lanes one after another, while its
     * lines are in cache (a block of 64 lanes from 512 x 3 x 3 taps packs to 1.2 MB, more than an L2). */
    for (int64_t j0 = 0; j0 < taps; j0 += SPAN) {
        const int64_t span = taps - j0 < SPAN ? taps - j0 : SPAN;
        for (int64_t lane0 = 0; lane0 < lanes; lane0 += LANE_CHUNK) {
            const int64_t width = lanes - lane0 < LANE_CHUNK ? lanes - lane0 : LANE_CHUNK;
            for (int64_t l = 0; l < width; l++) {
                if (lane0 + l < used) {
                    memcpy(&tile[l * span], src + (lane0 + l) * taps + j0, (size_t)span * sizeof(float));
                } else {
                    memset(&tile[l * span], 0, (size_t)span * sizeof(float));
                }
            }
            if (!taps_outer && width == lanes) {
                /* A block of at most LANE_CHUNK lanes in tap order is this tile's transpose itself. */
                transpose->run(tile, width, span, 0, width, 0, span, dst + j0 * lanes);
                continue;
            }
            transpose->run(tile, width, span, 0, width, 0, span, turned);
            int64_t c = j0 / area, t = j0 % area;
            for (int64_t j = 0; j < span; j++) {
                float *out = dst + (taps_outer ? t * cg + c : j0 + j) * lanes + lane0;
                /* Fixed sizes compile to vector moves; 8 is the AVX2 NHWC block's second chunk. */
                if (width == LANE_CHUNK) {
                    memcpy(out, &turned[j * LANE_CHUNK], LANE_CHUNK * sizeof(float));
                } else if (width == 8) {
                    memcpy(out, &turned[j * 8], 8 * sizeof(float));
                } else {
                    memcpy(out, &turned[j * width], (size_t)width * sizeof(float));
                }
                if (++t == area) {
                    t = 0;
                    c++;
                }
            }
        }
    }
}

/* One block from HWIO: a block's lanes are contiguous in the source at every (r, s, c). */
static void pack_block_hwio(const nci_conv_params *p, const float *src, float *dst, int64_t used, int64_t lanes,
                            bool taps_outer)
{
    const int64_t kh = p->kernel_height, kw = p->kernel_width, cg = p->group_in_channels;
    for (int64_t r = 0; r < kh; r++) {
        for (int64_t s = 0; s < kw; s++) {
            for (int64_t c = 0; c < cg; c++) {
                const float *from = src + ((r * kw + s) * cg + c) * p->out_channels;
                float *out = dst + (taps_outer ? (r * kw + s) * cg + c : (c * kh + r) * kw + s) * lanes;
                int64_t lane = 0;
                for (; lane < used; lane++) {
                    out[lane] = from[lane];
                }
                for (; lane < lanes; lane++) {
                    out[lane] = 0.0f;
                }
            }
        }
    }
}

void nci_pack_blocked(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed,
                      int64_t block, int64_t round, nci_block_order order)
{
    const int64_t area = p->kernel_height * p->kernel_width;
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t kg_padded = nci_round_up(kg, round);
    const int64_t taps = cg * area;
    const bool oihw = filter_layout == NC_FILTER_OIHW;
    const bool taps_outer = order == NCI_ORDER_TAPS_OUTER;
    const nci_transpose_kernel *transpose = nci_find_transpose_kernel(nci_active_isa());
    for (int64_t g = 0; g < p->groups; g++) {
        for (int64_t first = 0; first < kg; first += block) {
            const int64_t used = kg - first < block ? kg - first : block;
            const int64_t rounded = nci_round_up(kg - first, round);
            const int64_t lanes = rounded < block ? rounded : block;
            float *dst = packed + (g * kg_padded + first) * taps;
            const int64_t k = g * kg + first;
            if (oihw) {
                pack_block_oihw(transpose, filter + k * taps, taps, dst, used, lanes, cg, area, taps_outer);
            } else {
                pack_block_hwio(p, filter + k, dst, used, lanes, taps_outer);
            }
        }
    }
}

void nci_pack_depthwise_taps_outer(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    /* With one channel per group, [r][s][channel] is the taps-outer order of a single group of all channels. */
    nci_conv_params single = *p;
    single.groups = 1;
    single.group_out_channels = p->out_channels;
    nci_pack_blocked(&single, filter_layout, filter, packed, p->out_channels, 1, NCI_ORDER_TAPS_OUTER);
}
