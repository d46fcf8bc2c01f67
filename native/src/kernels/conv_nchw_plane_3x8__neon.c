/* NCHW stride-1 same-width convolution over whole planes, 3 vectors of 4 pixels x 8 output channels
 * (24 q-register accumulators, 3 input vectors). */
#include "simd/neon.h"

#define TILE_W 3
#define TILE_K 8
#define KERNEL_SYMBOL nci_conv_nchw_plane_3x8__neon
#define KERNEL_NAME "conv_nchw_plane_3x8__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "conv_nchw_plane_template.h"
