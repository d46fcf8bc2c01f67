/* NCHW pooling over whole planes, four vectors of 16 floats in flight. */
#include "simd/avx512.h"

#define KERNEL_SYMBOL nci_pool_global_nchw__avx512
#define KERNEL_NAME "pool_global_nchw__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "pool_global_nchw_template.h"
