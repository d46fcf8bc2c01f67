/* NCHW stride-1 same-width convolution over whole planes, 3 vectors of 16 pixels x 8 output channels
 * (24 zmm accumulators, 3 input vectors, 1 broadcast). */
#include "simd/avx512.h"

#define TILE_W 3
#define TILE_K 8
#define KERNEL_SYMBOL nci_conv_nchw_plane_3x8__avx512
#define KERNEL_NAME "conv_nchw_plane_3x8__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_nchw_plane_template.h"
