/* NCHW stride-1 same-width convolution over whole planes, 3 vectors of 8 pixels x 4 output channels
 * (12 ymm accumulators, 3 input vectors, 1 broadcast). */
#include "simd/avx2.h"

#define TILE_W 3
#define TILE_K 4
#define KERNEL_SYMBOL nci_conv_nchw_plane_3x4__avx2
#define KERNEL_NAME "conv_nchw_plane_3x4__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "conv_nchw_plane_template.h"
