/* Transpose in 16x16 tiles of zmm registers. */
#include "simd/avx512.h"
#include "simd/common.h"

/* Each register is built from four 128-bit row pieces loaded straight from memory: rows a, a + 4,
 * a + 8 and a + 12 of one 4-column quarter, so that every 128-bit lane holds a 4x4 block of the tile.
 * An in-lane 4x4 transpose of four such registers then finishes four blocks at once. The inserting
 * loads do the work across 128-bit lanes that register shuffles would do at a lower rate (on Zen 4 the
 * whole tile takes half the time). */
NCI_INLINE void transpose_tile(const float *src, int64_t stride, nci_vf *v)
{
    for (int q = 0; q < 4; q++) {
        __m512 r[4];
        for (int a = 0; a < 4; a++) {
            const float *p = src + a * stride + 4 * q;
            __m512 z = _mm512_castps128_ps512(_mm_loadu_ps(p));
            z = _mm512_insertf32x4(z, _mm_loadu_ps(p + 4 * stride), 1);
            z = _mm512_insertf32x4(z, _mm_loadu_ps(p + 8 * stride), 2);
            r[a] = _mm512_insertf32x4(z, _mm_loadu_ps(p + 12 * stride), 3);
        }
        const __m512d t0 = _mm512_castps_pd(_mm512_unpacklo_ps(r[0], r[1]));
        const __m512d t1 = _mm512_castps_pd(_mm512_unpackhi_ps(r[0], r[1]));
        const __m512d t2 = _mm512_castps_pd(_mm512_unpacklo_ps(r[2], r[3]));
        const __m512d t3 = _mm512_castps_pd(_mm512_unpackhi_ps(r[2], r[3]));
        v[4 * q + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
        v[4 * q + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
        v[4 * q + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
        v[4 * q + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
    }
}

/* Non-temporal stores and prefetches for transposes larger than the caches. */
#define TRANSPOSE_STREAMS
static inline void stream_store(float *p, nci_vf v) { _mm512_stream_ps(p, v); }
static inline void stream_fence(void) { _mm_sfence(); }
static inline void prefetch_line(const float *p) { _mm_prefetch((const char *)p, _MM_HINT_T0); }

#define KERNEL_SYMBOL nci_transpose_16x16__avx512
#define KERNEL_NAME "transpose_16x16__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "transpose_template.h"
