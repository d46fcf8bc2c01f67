/* NCHW pooling, 8 outputs of one row per vector. */
#include "simd/avx2.h"

/* In-lane shuffles leave the columns of a's and b's 128-bit halves interleaved as 0 1 4 5 | 2 3 6 7
 * (in 64-bit pieces); rows are combined in that order and one cross-lane permute per output vector
 * restores it, instead of one per tap. */
static inline nci_vf pairs_even(nci_vf a, nci_vf b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)); }
static inline nci_vf pairs_odd(nci_vf a, nci_vf b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)); }
static inline nci_vf pairs_in_order(nci_vf v)
{
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(3, 1, 2, 0)));
}

#define KERNEL_SYMBOL nci_pool_nchw__avx2
#define KERNEL_NAME "pool_nchw__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "pool_nchw_template.h"
