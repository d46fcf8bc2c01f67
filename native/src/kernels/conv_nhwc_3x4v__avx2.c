/* NHWC direct convolution, 3 pixels x 4 vectors of 8 output channels: 12 accumulators, 3 weight registers
 * and 1 broadcast fill the 16 ymm registers, the fourth weight vector being each FMA's memory operand. Blocks
 * of 32 channels divide the usual channel counts (32, 64, ... 512), where the 4 x 3 tile's blocks of 24 left
 * a last block of one or two vectors: against it, capped to AVX2 on Zen 4, 3->32 5x5 224x224 1.15-1.27x,
 * 3x3 over 64 to 512 channels 1.01-1.09x, 1x1 512->128 28x28 0.98-1.02x, 3->64 7x7 stride 2 NHWC 0.91-0.94x
 * (NCHW16c 1.09x). The same tiles serve NCHW16c, and strided NCHW and small NCHW planes as the second kernel
 * conv_nchw_3x4v__avx2 (see conv_nhwc_template.h). */
#include "simd/avx2.h"

#define TILE_P 3
#define TILE_Q 4
#define KERNEL_SYMBOL nci_conv_nhwc_3x4v__avx2
#define KERNEL_NAME "conv_nhwc_3x4v__avx2"
#define KERNEL_SYMBOL_NCHW nci_conv_nchw_3x4v__avx2
#define KERNEL_NAME_NCHW "conv_nchw_3x4v__avx2"
#define NCHW_PLANE_LIMIT (28 * 28)
#define KERNEL_ISA NC_ISA_AVX2
#include "conv_nhwc_template.h"
