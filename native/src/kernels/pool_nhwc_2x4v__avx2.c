/* NHWC pooling, 2 output pixels x 4 vectors of 8 channels per tile. */
#include "simd/avx2.h"

#define TILE_P 2
#define TILE_C 4
#define KERNEL_SYMBOL nci_pool_nhwc_2x4v__avx2
#define KERNEL_NAME "pool_nhwc_2x4v__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "pool_nhwc_template.h"
