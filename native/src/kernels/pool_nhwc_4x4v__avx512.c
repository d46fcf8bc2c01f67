/* NHWC pooling, 4 output pixels x 4 vectors of 16 channels per tile. */
#include "simd/avx512.h"

#define TILE_P 4
#define TILE_C 4
#define KERNEL_SYMBOL nci_pool_nhwc_4x4v__avx512
#define KERNEL_NAME "pool_nhwc_4x4v__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "pool_nhwc_template.h"
