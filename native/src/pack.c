#include "pack.h"

int64_t nci_packed_filter_count(nci_filter_packing packing, const nci_conv_params *p)
{
    (void)packing;
    return p->out_channels * p->group_in_channels * p->kernel_height * p->kernel_width;
}

void nci_pack_filter(nci_filter_packing packing, const nci_conv_params *p, int32_t filter_layout,
                     const float *filter, float *packed)
{
    const int64_t kh = p->kernel_height, kw = p->kernel_width;
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    for (int64_t k = 0; k < p->out_channels; k++) {
        const int64_t g = k / kg, kk = k % kg;
        for (int64_t c = 0; c < cg; c++) {
            for (int64_t r = 0; r < kh; r++) {
                for (int64_t s = 0; s < kw; s++) {
                    int64_t from = filter_layout == NC_FILTER_OIHW ? ((k * cg + c) * kh + r) * kw + s
                                                                   : ((r * kw + s) * cg + c) * p->out_channels + k;
                    int64_t to = packing == NCI_PACK_KCRS ? ((k * cg + c) * kh + r) * kw + s
                                                          : (((g * kh + r) * kw + s) * cg + c) * kg + kk;
                    packed[to] = filter[from];
                }
            }
        }
    }
}
