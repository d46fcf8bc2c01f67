/* Depthwise 3x3 NCHW, tiles of 4 output rows x 1 vector of 8 pixels: 4 accumulators, 9 weights and 3 input
 * vectors fill the 16 ymm registers. */
#include "simd/avx2.h"

#define TILE_R 4
#define DW3_EDGE_MASKS
#define KERNEL_SYMBOL nci_conv_dw_nchw_3x3_4x1__avx2
#define KERNEL_NAME "conv_dw_nchw_3x3_4x1__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "conv_dw_nchw_3x3_template.h"
