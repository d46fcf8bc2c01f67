/* NCHW pooling, 16 outputs of one row per vector. */
#include "simd/avx512.h"

#define KERNEL_SYMBOL nci_pool_nchw__avx512
#define KERNEL_NAME "pool_nchw__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "pool_nchw_template.h"
