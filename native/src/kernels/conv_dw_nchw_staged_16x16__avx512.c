/* Depthwise NCHW convolution through channels-last rows of 16 channels, tiles of 16 pixels x 16 channels (16 zmm
 * accumulators). Against the row tiles (Zen 5, library_ab, one thread): 3x3 over 256 x 28^2 1.33x, 128 x 56^2
 * 1.19x, 64 x 112^2 1.16x, 512 x 20^2 1.07x, 5x5 dilated over 256 x 28^2 1.87x. */
#include "simd/avx512.h"
#include "transpose_16x16_tile.h"

#define KERNEL_SYMBOL nci_conv_dw_nchw_staged_16x16__avx512
#define KERNEL_NAME "conv_dw_nchw_staged_16x16__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_dw_nchw_staged_template.h"
