/* Depthwise NCHW convolution, 4 output rows x 4 vectors of 4 output pixels (16 q-register accumulators). */
#include "simd/neon.h"

#define TILE_R 4
#define TILE_W 4
#define KERNEL_SYMBOL nci_conv_dw_nchw_4x4__neon
#define KERNEL_NAME "conv_dw_nchw_4x4__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "conv_dw_nchw_template.h"
