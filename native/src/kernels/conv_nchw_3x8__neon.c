/* NCHW direct convolution, 3 vectors of 4 output pixels x 8 output channels: 24 of the 32 q-registers
 * accumulate, 3 hold input vectors and the weights arrive as scalars that GCC folds into by-element FMLA. */
#include "simd/neon.h"

#define TILE_W 3
#define TILE_K 8
#define KERNEL_SYMBOL nci_conv_nchw_3x8__neon
#define KERNEL_NAME "conv_nchw_3x8__neon"
#define KERNEL_ISA NC_ISA_NEON
/* NEON has no channel-vector kernel for NCHW, so strided rows of many channels come here too, and those
 * that do not stage in chunks of TILE_W vectors keep their pair loads rather than gathers. */
#define UNSTAGED_PAIRS
#include "conv_nchw_template.h"
