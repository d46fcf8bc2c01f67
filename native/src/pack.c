#include "pack.h"

int64_t nci_blocked_filter_count(const nci_conv_params *p, int64_t round)
{
    return p->groups * nci_round_up(p->group_out_channels, round) * p->group_in_channels * p->kernel_height *
           p->kernel_width;
}

void nci_pack_blocked(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed,
                      int64_t block, int64_t round, nci_block_order order)
{
    const int64_t kh = p->kernel_height, kw = p->kernel_width;
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t kg_padded = nci_round_up(kg, round);
    const int64_t taps = cg * kh * kw;
    /* Strides of r, s and c in the source filter (per output channel) and in a block (per lane). */
    const bool oihw = filter_layout == NC_FILTER_OIHW;
    const int64_t src_r = oihw ? kw : kw * cg * p->out_channels;
    const int64_t src_s = oihw ? 1 : cg * p->out_channels;
    const int64_t src_c = oihw ? kh * kw : p->out_channels;
    const int64_t src_k = oihw ? taps : 1;
    const bool taps_outer = order == NCI_ORDER_TAPS_OUTER;
    const int64_t dst_r = taps_outer ? kw * cg : kw;
    const int64_t dst_s = taps_outer ? cg : 1;
    const int64_t dst_c = taps_outer ? 1 : kh * kw;
    for (int64_t g = 0; g < p->groups; g++) {
        for (int64_t first = 0; first < kg; first += block) {
            const int64_t used = kg - first < block ? kg - first : block;
            const int64_t rounded = nci_round_up(kg - first, round);
            const int64_t lanes = rounded < block ? rounded : block;
            float *dst_block = packed + (g * kg_padded + first) * taps;
            for (int64_t lane = 0; lane < lanes; lane++) {
                const int64_t k = g * kg + first + lane;
                for (int64_t r = 0; r < kh; r++) {
                    for (int64_t s = 0; s < kw; s++) {
                        float *dst = dst_block + (r * dst_r + s * dst_s) * lanes + lane;
                        const int64_t from = k * src_k + r * src_r + s * src_s;
                        for (int64_t c = 0; c < cg; c++) {
                            dst[c * dst_c * lanes] = lane < used ? filter[from + c * src_c] : 0.0f;
                        }
                    }
                }
            }
        }
    }
}
