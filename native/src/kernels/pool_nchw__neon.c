/* NCHW pooling, 4 outputs of one row per vector. */
#include "simd/neon.h"

#define KERNEL_SYMBOL nci_pool_nchw__neon
#define KERNEL_NAME "pool_nchw__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "pool_nchw_template.h"
