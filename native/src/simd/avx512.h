/* AVX-512F vector operations behind the names the kernel templates use. Only files compiled with
 * -mavx512f include this. Masks are lane bitmasks. */
#ifndef NATIVECONV_SIMD_AVX512_H
#define NATIVECONV_SIMD_AVX512_H

#include <immintrin.h>
#include <stdint.h>

#define NCI_V 16

typedef __m512 nci_vf;
typedef __mmask16 nci_vmask;

static inline nci_vf v_zero(void) { return _mm512_setzero_ps(); }
static inline nci_vf v_set1(float value) { return _mm512_set1_ps(value); }
static inline nci_vf v_load(const float *p) { return _mm512_loadu_ps(p); }
static inline void v_store(float *p, nci_vf v) { _mm512_storeu_ps(p, v); }
/* a * b + c */
static inline nci_vf v_fma(nci_vf a, nci_vf b, nci_vf c) { return _mm512_fmadd_ps(a, b, c); }
static inline nci_vf v_add(nci_vf a, nci_vf b) { return _mm512_add_ps(a, b); }
static inline nci_vf v_mul(nci_vf a, nci_vf b) { return _mm512_mul_ps(a, b); }
/* a > b ? a : b, and b when either is NaN (the x86 rule the activations rely on). */
static inline nci_vf v_max(nci_vf a, nci_vf b) { return _mm512_max_ps(a, b); }
/* a < b ? a : b, and b when either is NaN. */
static inline nci_vf v_min(nci_vf a, nci_vf b) { return _mm512_min_ps(a, b); }

/* Lanes [lo, hi), clipped to the vector. */
static inline nci_vmask v_mask_span(int64_t lo, int64_t hi)
{
    lo = lo < 0 ? 0 : lo;
    hi = hi > NCI_V ? NCI_V : hi;
    if (hi <= lo) {
        return 0;
    }
    return (nci_vmask)(((1u << hi) - 1u) & ~((1u << lo) - 1u));
}

/* Lane l is on when bit l of bits is set. */
static inline nci_vmask v_mask_bits(uint32_t bits) { return (nci_vmask)bits; }

/* Masked-off lanes read as zero and are never accessed, so they may lie outside the buffer. */
static inline nci_vf v_load_mask(const float *p, nci_vmask m) { return _mm512_maskz_loadu_ps(m, p); }
static inline void v_store_mask(float *p, nci_vmask m, nci_vf v) { _mm512_mask_storeu_ps(p, m, v); }

/* p[0], p[2], ..., p[2V-2] from two full loads and one two-source permute. */
static inline nci_vf v_even_lanes(nci_vf a, nci_vf b)
{
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return _mm512_permutex2var_ps(a, even, b);
}

/* The even and the odd floats of the 2V in a then b (stride-2 columns), in order. */
static inline nci_vf v_pairs_even(nci_vf a, nci_vf b) { return v_even_lanes(a, b); }
static inline nci_vf v_pairs_odd(nci_vf a, nci_vf b)
{
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    return _mm512_permutex2var_ps(a, odd, b);
}
static inline nci_vf v_pairs_in_order(nci_vf v) { return v; }

/* row[start + l * step] for every lane l in mask (others zero); indices fit in int32 (checked by the
 * kernels' can_handle). */
static inline nci_vf v_gather_mask(const float *row, int64_t start, int64_t step, nci_vmask m)
{
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i index =
        _mm512_add_epi32(_mm512_set1_epi32((int32_t)start), _mm512_mullo_epi32(lane, _mm512_set1_epi32((int32_t)step)));
    return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, index, row, 4);
}

/* m ? on : off, lane by lane. */
static inline nci_vf v_select(nci_vmask m, nci_vf on, nci_vf off) { return _mm512_mask_blend_ps(m, off, on); }
static inline nci_vmask v_isnan(nci_vf a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
static inline nci_vf v_div(nci_vf a, nci_vf b) { return _mm512_div_ps(a, b); }

#endif
