/* NCHW pooling, 8 outputs of one row per vector. */
#include "simd/avx2.h"

#define KERNEL_SYMBOL nci_pool_nchw__avx2
#define KERNEL_NAME "pool_nchw__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "pool_nchw_template.h"
