/* NCHW pooling over whole planes, four vectors of 4 floats in flight. */
#include "simd/neon.h"

#define KERNEL_SYMBOL nci_pool_global_nchw__neon
#define KERNEL_NAME "pool_global_nchw__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "pool_global_nchw_template.h"
