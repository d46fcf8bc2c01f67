/* The transpose of one 8 x 8 tile of floats into ymm registers, for AVX2 kernel files. */
#ifndef NATIVECONV_TRANSPOSE_8X8_TILE_H
#define NATIVECONV_TRANSPOSE_8X8_TILE_H

#include "simd/avx2.h"
#include "simd/common.h"

/* Transposes 8 registers in place: v[j] lane i takes v[i] lane j. Interleave pairs of rows, then pairs of pairs:
 * each 128-bit half then holds a transposed 4x4 block, and swapping halves between registers four apart puts
 * the blocks in place. */
NCI_INLINE void transpose_registers(nci_vf *v)
{
    __m256 t[8], u[8];
    for (int g = 0; g < 8; g += 4) {
        t[g + 0] = _mm256_unpacklo_ps(v[g + 0], v[g + 1]);
        t[g + 1] = _mm256_unpackhi_ps(v[g + 0], v[g + 1]);
        t[g + 2] = _mm256_unpacklo_ps(v[g + 2], v[g + 3]);
        t[g + 3] = _mm256_unpackhi_ps(v[g + 2], v[g + 3]);
        u[g + 0] = _mm256_shuffle_ps(t[g + 0], t[g + 2], 0x44);
        u[g + 1] = _mm256_shuffle_ps(t[g + 0], t[g + 2], 0xEE);
        u[g + 2] = _mm256_shuffle_ps(t[g + 1], t[g + 3], 0x44);
        u[g + 3] = _mm256_shuffle_ps(t[g + 1], t[g + 3], 0xEE);
    }
    for (int j = 0; j < 4; j++) {
        v[j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x20);
        v[4 + j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x31);
    }
}

/* v[j] receives column j of the 8 rows that start stride floats apart at src. */
NCI_INLINE void transpose_tile(const float *src, int64_t stride, nci_vf *v)
{
    for (int i = 0; i < 8; i++) {
        v[i] = _mm256_loadu_ps(src + i * stride);
    }
    transpose_registers(v);
}

#endif
