/* AVX2 + FMA vector operations behind the names the kernel templates use. Only files compiled with
 * -mavx2 -mfma include this. Masks are integer vectors whose lanes are all ones or all zeros. */
#ifndef NATIVECONV_SIMD_AVX2_H
#define NATIVECONV_SIMD_AVX2_H

#include <immintrin.h>
#include <stdint.h>
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

#define NCI_V 8

typedef __m256 nci_vf;
typedef __m256i nci_vmask;

static inline nci_vf v_zero(void) { return _mm256_setzero_ps(); }
static inline nci_vf v_set1(float value) { return _mm256_set1_ps(value); }
static inline nci_vf v_load(const float *p) { return _mm256_loadu_ps(p); }
static inline void v_store(float *p, nci_vf v) { _mm256_storeu_ps(p, v); }
/* a * b + c */
static inline nci_vf v_fma(nci_vf a, nci_vf b, nci_vf c) { return _mm256_fmadd_ps(a, b, c); }
static inline nci_vf v_add(nci_vf a, nci_vf b) { return _mm256_add_ps(a, b); }
static inline nci_vf v_mul(nci_vf a, nci_vf b) { return _mm256_mul_ps(a, b); }
/* a > b ? a : b, and b when either is NaN (the x86 rule the activations rely on). */
static inline nci_vf v_max(nci_vf a, nci_vf b) { return _mm256_max_ps(a, b); }
/* a < b ? a : b, and b when either is NaN. */
static inline nci_vf v_min(nci_vf a, nci_vf b) { return _mm256_min_ps(a, b); }

/* Lanes [lo, hi), clipped to the vector. */
static inline nci_vmask v_mask_span(int64_t lo, int64_t hi)
{
    lo = lo < 0 ? 0 : lo;
    hi = hi > NCI_V ? NCI_V : hi;
    if (hi < lo) {
        hi = lo;
    }
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_andnot_si256(_mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t)lo), lane),
                               _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t)hi), lane));
}

/* Lane l is on when bit l of bits is set. */
static inline nci_vmask v_mask_bits(uint32_t bits)
{
    const __m256i lane_bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    return _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32((int32_t)bits), lane_bit), lane_bit);
}

/* Masked-off lanes read as zero and are never accessed, so they may lie outside the buffer. */
static inline nci_vf v_load_mask(const float *p, nci_vmask m) { return _mm256_maskload_ps(p, m); }
/* The lowest set bit of bits, which is not 0. A counted loop over the lanes instead was unrolled into 25 KB. */
#if defined(_MSC_VER) && !defined(__clang__)
static inline int lowest_lane(unsigned bits)
{
    unsigned long index;
    _BitScanForward(&index, bits);
    return (int)index;
}
#else
static inline int lowest_lane(unsigned bits) { return __builtin_ctz(bits); }
#endif

/* Lane by lane through the stack: vmaskmovps stores are slow on AMD (Zen 4: the one masked store per output row
 * took 17 % of maxpool 2x2 s2 over 256 x 56^2 NCHW). Against them (library_ab, pool_ab): that pooling 1.05-1.12x,
 * its average 1.07-1.08x, 3x3 averages 1.03x, NCHW convolutions with part vectors 1.01-1.03x, the rest even.
 * Intel cores store under a mask quickly; this loop is unmeasured there. */
static inline void v_store_mask(float *p, nci_vmask m, nci_vf v)
{
    float lanes[NCI_V];
    _mm256_storeu_ps(lanes, v);
    for (unsigned bits = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(m)); bits != 0; bits &= bits - 1) {
        const int l = lowest_lane(bits);
        p[l] = lanes[l];
    }
}

/* p[0], p[2], ..., p[2V-2] of the 2V floats in a then b: pick even lanes per 128-bit half, then put
 * the 64-bit pieces back in order. */
static inline nci_vf v_even_lanes(nci_vf a, nci_vf b)
{
    const __m256 mixed = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(mixed), _MM_SHUFFLE(3, 1, 2, 0)));
}

/* The even and the odd floats of the 2V in a then b (stride-2 columns) in the lane order 0 1 4 5 | 2 3 6 7 (in 64-bit
 * pieces) that in-lane shuffles leave: sums lane by lane keep it, and v_pairs_in_order puts a result back in order
 * once, instead of a cross-lane permute for every tap. */
static inline nci_vf v_pairs_even(nci_vf a, nci_vf b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)); }
static inline nci_vf v_pairs_odd(nci_vf a, nci_vf b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)); }
static inline nci_vf v_pairs_in_order(nci_vf v)
{
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(3, 1, 2, 0)));
}

/* row[start + l * step] for every lane l in mask (others zero); indices fit in int32 (checked by the
 * kernels' can_handle). */
static inline nci_vf v_gather_mask(const float *row, int64_t start, int64_t step, nci_vmask m)
{
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i index = _mm256_add_epi32(_mm256_set1_epi32((int32_t)start),
                                           _mm256_mullo_epi32(lane, _mm256_set1_epi32((int32_t)step)));
    return _mm256_mask_i32gather_ps(_mm256_setzero_ps(), row, index, _mm256_castsi256_ps(m), 4);
}

/* m ? on : off, lane by lane. */
static inline nci_vf v_select(nci_vmask m, nci_vf on, nci_vf off)
{
    return _mm256_blendv_ps(off, on, _mm256_castsi256_ps(m));
}
static inline nci_vmask v_isnan(nci_vf a) { return _mm256_castps_si256(_mm256_cmp_ps(a, a, _CMP_UNORD_Q)); }
static inline nci_vf v_div(nci_vf a, nci_vf b) { return _mm256_div_ps(a, b); }

#endif
