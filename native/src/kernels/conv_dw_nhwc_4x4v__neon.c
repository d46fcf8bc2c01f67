/* Depthwise NHWC convolution, 4 pixels x 4 vectors of 4 channels (16 q-register accumulators, 4 weights). */
#include "simd/neon.h"

#define TILE_P 4
#define TILE_Q 4
#define KERNEL_SYMBOL nci_conv_dw_nhwc_4x4v__neon
#define KERNEL_NAME "conv_dw_nhwc_4x4v__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "conv_dw_nhwc_template.h"
