/* The transpose of one 16 x 16 tile of floats into zmm registers, for AVX-512 kernel files. */
#ifndef NATIVECONV_TRANSPOSE_16X16_TILE_H
#define NATIVECONV_TRANSPOSE_16X16_TILE_H

#include "simd/avx512.h"
#include "simd/common.h"

/* v[j] receives column j of the 16 rows that start stride floats apart at src. Each register r[q][a] is built from
 * four 128-bit row pieces loaded straight from memory: rows a, a + 4, a + 8 and a + 12 of the 4-column quarter q,
 * so that every 128-bit lane holds a 4x4 block of the tile. An in-lane 4x4 transpose of four such registers then
 * finishes four blocks at once. The inserting loads do the work across 128-bit lanes that register shuffles would
 * do at a lower rate (on Zen 4 the whole tile takes half the time). The loads go row by row through one pointer
 * that steps a row, a row's four pieces at fixed offsets from it, rather than quarter by quarter through all 16
 * rows at offsets from src: 1 KB less code (GCC 12), and transposes of 64 x 224^2 and 512 x 14^2 ran 1.01-1.08x
 * faster (Intel Xeon, Emerald Rapids, reorder_ab, one and two threads). The lane of an insert is an immediate,
 * hence the branch per lane: it folds away where the loops unroll, and compiles where they do not. */
NCI_INLINE void transpose_tile(const float *src, int64_t stride, nci_vf *v)
{
    __m512 r[4][4];
    const float *p = src;
    NCI_UNROLL
    for (int k = 0; k < 4; k++) {
        NCI_UNROLL
        for (int a = 0; a < 4; a++, p += stride) {
            NCI_UNROLL
            for (int q = 0; q < 4; q++) {
                const __m128 x = _mm_loadu_ps(p + 4 * q);
                if (k == 0) {
                    r[q][a] = _mm512_castps128_ps512(x);
                } else if (k == 1) {
                    r[q][a] = _mm512_insertf32x4(r[q][a], x, 1);
                } else if (k == 2) {
                    r[q][a] = _mm512_insertf32x4(r[q][a], x, 2);
                } else {
                    r[q][a] = _mm512_insertf32x4(r[q][a], x, 3);
                }
            }
        }
    }
    NCI_UNROLL
    for (int q = 0; q < 4; q++) {
        const __m512d t0 = _mm512_castps_pd(_mm512_unpacklo_ps(r[q][0], r[q][1]));
        const __m512d t1 = _mm512_castps_pd(_mm512_unpackhi_ps(r[q][0], r[q][1]));
        const __m512d t2 = _mm512_castps_pd(_mm512_unpacklo_ps(r[q][2], r[q][3]));
        const __m512d t3 = _mm512_castps_pd(_mm512_unpackhi_ps(r[q][2], r[q][3]));
        v[4 * q + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
        v[4 * q + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
        v[4 * q + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
        v[4 * q + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
    }
}

/* Transposes 16 registers in place: v[j] lane i takes v[i] lane j. For tiles already in registers, where a round
 * trip through memory would load 128-bit pieces of just-stored 512-bit values. */
NCI_INLINE void transpose_registers(nci_vf *v)
{
    __m512 t[16], u[16];
    NCI_UNROLL
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(v[i], v[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(v[i], v[i + 1]);
    }
    /* Then u[4b + j] holds, in each 128-bit lane L, column 4L + j of rows 4b to 4b + 3. */
    NCI_UNROLL
    for (int i = 0; i < 16; i += 4) {
        const __m512d a = _mm512_castps_pd(t[i]), b = _mm512_castps_pd(t[i + 1]);
        const __m512d c = _mm512_castps_pd(t[i + 2]), d = _mm512_castps_pd(t[i + 3]);
        u[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        u[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        u[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        u[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    /* Two rounds of moving whole 128-bit lanes between registers 4, then 8 rows apart. */
    NCI_UNROLL
    for (int j = 0; j < 4; j++) {
        t[j] = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88);
        t[4 + j] = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xDD);
        t[8 + j] = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88);
        t[12 + j] = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xDD);
    }
    NCI_UNROLL
    for (int j = 0; j < 4; j++) {
        v[j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0x88);
        v[8 + j] = _mm512_shuffle_f32x4(t[j], t[8 + j], 0xDD);
        v[4 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0x88);
        v[12 + j] = _mm512_shuffle_f32x4(t[4 + j], t[12 + j], 0xDD);
    }
}

#endif
