/* Depthwise NCHW convolution, 2 output rows x 4 vectors of 8 output pixels (8 ymm accumulators); "same"
 * stride-1 convolutions take plane tiles of the same 8 vectors (DW_PLANE_TILES). */
#include "simd/avx2.h"

#define TILE_R 2
#define TILE_W 4
#define KERNEL_SYMBOL nci_conv_dw_nchw_2x4__avx2
#define KERNEL_NAME "conv_dw_nchw_2x4__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#define DW_PLANE_TILES
#include "conv_dw_nchw_template.h"
