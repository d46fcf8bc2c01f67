/* Depthwise NHWC convolution, 4 pixels x 4 vectors of 16 channels (16 zmm accumulators). */
#include "simd/avx512.h"

#define TILE_P 4
#define TILE_Q 4
#define KERNEL_SYMBOL nci_conv_dw_nhwc_4x4v__avx512
#define KERNEL_NAME "conv_dw_nhwc_4x4v__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_dw_nhwc_template.h"
