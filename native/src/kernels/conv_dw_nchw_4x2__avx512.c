/* Depthwise NCHW convolution, 4 output rows x 2 vectors of 16 output pixels (8 zmm accumulators). */
#include "simd/avx512.h"

#define TILE_R 4
#define TILE_W 2
#define KERNEL_SYMBOL nci_conv_dw_nchw_4x2__avx512
#define KERNEL_NAME "conv_dw_nchw_4x2__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_dw_nchw_template.h"
