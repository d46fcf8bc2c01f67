/* NCHW pooling over whole planes, four vectors of 8 floats in flight. */
#include "simd/avx2.h"

static inline nci_vf pairs_low(nci_vf a, nci_vf b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)); }
static inline nci_vf pairs_high(nci_vf a, nci_vf b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)); }
static inline nci_vf halves_low(nci_vf a, nci_vf b) { return _mm256_permute2f128_ps(a, b, 0x20); }
static inline nci_vf halves_high(nci_vf a, nci_vf b) { return _mm256_permute2f128_ps(a, b, 0x31); }

#define KERNEL_SYMBOL nci_pool_global_nchw__avx2
#define KERNEL_NAME "pool_global_nchw__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "pool_global_nchw_template.h"
