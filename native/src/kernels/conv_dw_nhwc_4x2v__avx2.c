/* Depthwise NHWC convolution, 4 pixels x 2 vectors of 8 channels (8 ymm accumulators, 2 weights). */
#include "simd/avx2.h"

#define TILE_P 4
#define TILE_Q 2
#define KERNEL_SYMBOL nci_conv_dw_nhwc_4x2v__avx2
#define KERNEL_NAME "conv_dw_nhwc_4x2v__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "conv_dw_nhwc_template.h"
