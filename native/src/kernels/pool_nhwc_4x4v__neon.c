/* NHWC pooling, 4 output pixels x 4 vectors of 4 channels per tile (16 q-register accumulators). */
#include "simd/neon.h"

#define TILE_P 4
#define TILE_C 4
#define KERNEL_SYMBOL nci_pool_nhwc_4x4v__neon
#define KERNEL_NAME "pool_nhwc_4x4v__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "pool_nhwc_template.h"
