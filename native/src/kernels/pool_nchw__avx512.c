/* NCHW pooling, 16 outputs of one row per vector. */
#include "simd/avx512.h"

/* Two-source permutes give the even and the odd columns already in order. */
static inline nci_vf pairs_even(nci_vf a, nci_vf b) { return v_even_lanes(a, b); }
static inline nci_vf pairs_odd(nci_vf a, nci_vf b)
{
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    return _mm512_permutex2var_ps(a, odd, b);
}
static inline nci_vf pairs_in_order(nci_vf v) { return v; }

#define KERNEL_SYMBOL nci_pool_nchw__avx512
#define KERNEL_NAME "pool_nchw__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "pool_nchw_template.h"
