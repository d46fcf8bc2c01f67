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

/* Stride-2 rows whose outputs are not a whole number of vectors go to the AVX2 kernel, which ran them faster
 * on Zen 5 (pool_ab, against this kernel: 3x3 s2 over 112x112 1.14-1.24x, 56x56 1.09x, 28x28 1.14x; 2x2 s2
 * over 56x56 1.08-1.30x, 112x112 1.21x), while 224x224 (112 outputs, 7 vectors) measured even and unit
 * stride 0.96x with the AVX2 kernel. */
#define WHOLE_PAIRS_ONLY
#define KERNEL_SYMBOL nci_pool_nchw__avx512
#define KERNEL_NAME "pool_nchw__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "pool_nchw_template.h"
