/* Transpose in 16x16 tiles of zmm registers. */
#include "simd/avx512.h"

/* Interleave pairs of rows, then pairs of pairs: each 128-bit lane then holds a transposed 4x4 block.
 * Two rounds of 128-bit lane shuffles between registers four apart put the blocks in place. */
static void transpose_tile(nci_vf *v)
{
    __m512 t[16], u[16];
    for (int g = 0; g < 16; g += 4) {
        t[g + 0] = _mm512_unpacklo_ps(v[g + 0], v[g + 1]);
        t[g + 1] = _mm512_unpackhi_ps(v[g + 0], v[g + 1]);
        t[g + 2] = _mm512_unpacklo_ps(v[g + 2], v[g + 3]);
        t[g + 3] = _mm512_unpackhi_ps(v[g + 2], v[g + 3]);
        u[g + 0] = _mm512_shuffle_ps(t[g + 0], t[g + 2], 0x44);
        u[g + 1] = _mm512_shuffle_ps(t[g + 0], t[g + 2], 0xEE);
        u[g + 2] = _mm512_shuffle_ps(t[g + 1], t[g + 3], 0x44);
        u[g + 3] = _mm512_shuffle_ps(t[g + 1], t[g + 3], 0xEE);
    }
    /* u[4g + j], 128-bit lane L: column 4L + j of rows 4g..4g+3. */
    for (int j = 0; j < 4; j++) {
        const __m512 a = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x88);
        const __m512 b = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xDD);
        const __m512 c = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x88);
        const __m512 d = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xDD);
        v[j] = _mm512_shuffle_f32x4(a, c, 0x88);
        v[8 + j] = _mm512_shuffle_f32x4(a, c, 0xDD);
        v[4 + j] = _mm512_shuffle_f32x4(b, d, 0x88);
        v[12 + j] = _mm512_shuffle_f32x4(b, d, 0xDD);
    }
}

#define KERNEL_SYMBOL nci_transpose_16x16__avx512
#define KERNEL_NAME "transpose_16x16__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "transpose_template.h"
