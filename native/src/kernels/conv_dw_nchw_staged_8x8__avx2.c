/* Depthwise NCHW convolution through channels-last rows of 8 channels, tiles of 8 pixels x 8 channels (8 ymm
 * accumulators). Against the row and plane tiles (Zen 5 capped to AVX2, library_ab, one thread): 3x3 over 256 x
 * 28^2 1.20x, 128 x 56^2 1.44x, 64 x 112^2 1.21x, 512 x 14^2 1.07x, 5x5 dilated over 256 x 28^2 1.47x. */
#include "simd/avx2.h"
#include "transpose_8x8_tile.h"

#define KERNEL_SYMBOL nci_conv_dw_nchw_staged_8x8__avx2
#define KERNEL_NAME "conv_dw_nchw_staged_8x8__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "conv_dw_nchw_staged_template.h"
