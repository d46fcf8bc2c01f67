/* Depthwise 3x3 NCHW, tiles of 6 output rows x 1 vector of 16 pixels: 6 accumulators, 9 weights and 3 input
 * vectors in the 32 zmm registers. */
#include "simd/avx512.h"

#define TILE_R 6
#define KERNEL_SYMBOL nci_conv_dw_nchw_3x3_6x1__avx512
#define KERNEL_NAME "conv_dw_nchw_3x3_6x1__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_dw_nchw_3x3_template.h"
