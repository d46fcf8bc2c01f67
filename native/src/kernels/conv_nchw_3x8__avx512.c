/* NCHW direct convolution, 3 vectors of 16 output pixels x 8 output channels (24 zmm accumulators). */
#include "simd/avx512.h"

#define TILE_W 3
#define TILE_K 8
#define MASKED_COLUMNS 8
#define KERNEL_SYMBOL nci_conv_nchw_3x8__avx512
#define KERNEL_NAME "conv_nchw_3x8__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_nchw_template.h"
