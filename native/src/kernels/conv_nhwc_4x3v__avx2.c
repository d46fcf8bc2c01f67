/* NHWC direct convolution, 4 pixels x 3 vectors of 8 output channels: 12 accumulators, 3 weight
 * registers and 1 broadcast fill the 16 ymm registers. The same tiles serve NCHW16c, and strided NCHW
 * as the second kernel conv_nchw_4x3v__avx2 (see conv_nhwc_template.h). */
#include "simd/avx2.h"

#define TILE_P 4
#define TILE_Q 3
#define KERNEL_SYMBOL nci_conv_nhwc_4x3v__avx2
#define KERNEL_NAME "conv_nhwc_4x3v__avx2"
#define KERNEL_SYMBOL_NCHW nci_conv_nchw_4x3v__avx2
#define KERNEL_NAME_NCHW "conv_nchw_4x3v__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "conv_nhwc_template.h"
