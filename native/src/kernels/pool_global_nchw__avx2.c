/* NCHW pooling over whole planes, four vectors of 8 floats in flight. */
#include "simd/avx2.h"

#define KERNEL_SYMBOL nci_pool_global_nchw__avx2
#define KERNEL_NAME "pool_global_nchw__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "pool_global_nchw_template.h"
