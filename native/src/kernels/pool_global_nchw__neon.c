/* NCHW pooling over whole planes, four vectors of 4 floats in flight. */
#include "simd/neon.h"

static inline nci_vf pairs_low(nci_vf a, nci_vf b) { return vuzp1q_f32(a, b); }
static inline nci_vf pairs_high(nci_vf a, nci_vf b) { return vuzp2q_f32(a, b); }

#define KERNEL_SYMBOL nci_pool_global_nchw__neon
#define KERNEL_NAME "pool_global_nchw__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "pool_global_nchw_template.h"
