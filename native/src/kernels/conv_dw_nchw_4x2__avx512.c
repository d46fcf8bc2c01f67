/* Depthwise NCHW convolution, 4 output rows x 2 vectors of 16 output pixels (8 zmm accumulators); "same"
 * stride-1 convolutions on planes up to DW_PLANE_MAX_WIDTH wide take plane tiles of the same 8 vectors
 * (DW_PLANE_TILES). Plane tiles against row tiles, Zen 5, library_ab: 3x3 over 7x7 1.54-1.79x, 10x10 1.81x,
 * 14x14 1.03-1.13x, 20x20 1.73x, 5x5 over 14x14 1.45x; 3x3 over 28x28 0.93x, 56x56 0.76x, 112x112 0.72x. */
#include "simd/avx512.h"

#define TILE_R 4
#define TILE_W 2
#define KERNEL_SYMBOL nci_conv_dw_nchw_4x2__avx512
#define KERNEL_NAME "conv_dw_nchw_4x2__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#define DW_PLANE_TILES
#define DW_PLANE_MAX_WIDTH 24
#include "conv_dw_nchw_template.h"
