/* NCHW pooling, 4 outputs of one row per vector. */
#include "simd/neon.h"

/* Unzips give the even and the odd columns already in order. */
static inline nci_vf pairs_even(nci_vf a, nci_vf b) { return vuzp1q_f32(a, b); }
static inline nci_vf pairs_odd(nci_vf a, nci_vf b) { return vuzp2q_f32(a, b); }
static inline nci_vf pairs_in_order(nci_vf v) { return v; }

#define KERNEL_SYMBOL nci_pool_nchw__neon
#define KERNEL_NAME "pool_nchw__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "pool_nchw_template.h"
