/* NHWC direct convolution, 6 pixels x 4 vectors of 16 output channels (24 zmm accumulators). The same
 * tiles serve NCHW16c, and strided NCHW and small NCHW planes as the second kernel conv_nchw_6x4v__avx512 (see
 * conv_nhwc_template.h). */
#include "simd/avx512.h"

#define TILE_P 6
#define TILE_Q 4
#define KERNEL_SYMBOL nci_conv_nhwc_6x4v__avx512
#define KERNEL_NAME "conv_nhwc_6x4v__avx512"
#define KERNEL_SYMBOL_NCHW nci_conv_nchw_6x4v__avx512
#define KERNEL_NAME_NCHW "conv_nchw_6x4v__avx512"
#define NCHW_PLANE_LIMIT (56 * 56)
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_nhwc_template.h"
