/* Transpose in 8x8 tiles of ymm registers. */
#include "simd/avx2.h"

/* Interleave pairs of rows, then pairs of pairs: each 128-bit half then holds a transposed 4x4 block,
 * and swapping halves between registers four apart puts the blocks in place. */
static void transpose_tile(nci_vf *v)
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

#define KERNEL_SYMBOL nci_transpose_8x8__avx2
#define KERNEL_NAME "transpose_8x8__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "transpose_template.h"
