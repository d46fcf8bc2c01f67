/* NCHW direct convolution, 3 vectors of 8 output pixels x 4 output channels: 12 accumulators, 3 input
 * vectors and 1 broadcast fill the 16 ymm registers. */
#include "simd/avx2.h"

#define TILE_W 3
#define TILE_K 4
#define KERNEL_SYMBOL nci_conv_nchw_3x4__avx2
#define KERNEL_NAME "conv_nchw_3x4__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "conv_nchw_template.h"
