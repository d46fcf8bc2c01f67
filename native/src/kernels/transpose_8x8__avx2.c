/* Transpose in 8x8 tiles of ymm registers. */
#include "simd/avx2.h"
#include "simd/common.h"

/* Interleave pairs of rows, then pairs of pairs: each 128-bit half then holds a transposed 4x4 block,
 * and swapping halves between registers four apart puts the blocks in place. */
NCI_INLINE void transpose_tile(const float *src, int64_t stride, nci_vf *v)
{
    for (int i = 0; i < 8; i++) {
        v[i] = _mm256_loadu_ps(src + i * stride);
    }
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

/* Non-temporal stores and prefetches for transposes larger than the caches. */
#define TRANSPOSE_STREAMS
static inline void stream_store(float *p, nci_vf v) { _mm256_stream_ps(p, v); }
static inline void stream_fence(void) { _mm_sfence(); }
static inline void prefetch_line(const float *p) { _mm_prefetch((const char *)p, _MM_HINT_T0); }

#define KERNEL_SYMBOL nci_transpose_8x8__avx2
#define KERNEL_NAME "transpose_8x8__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "transpose_template.h"
