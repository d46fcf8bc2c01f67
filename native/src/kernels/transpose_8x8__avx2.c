/* Transpose in 8x8 tiles of ymm registers. */
#include "simd/avx2.h"
#include "simd/common.h"
#include "transpose_8x8_tile.h"

/* Non-temporal stores for transposes larger than the caches. */
#define TRANSPOSE_STREAMS
static inline void stream_store(float *p, nci_vf v) { _mm256_stream_ps(p, v); }
static inline void stream_fence(void) { _mm_sfence(); }

/* Gathers for matrices narrower than a tile. */
#define TRANSPOSE_GATHERS
static inline nci_vf gather(const float *base, const int32_t *index)
{
    return _mm256_i32gather_ps(base, _mm256_loadu_si256((const __m256i *)index), 4);
}

#define KERNEL_SYMBOL nci_transpose_8x8__avx2
#define KERNEL_NAME "transpose_8x8__avx2"
#define KERNEL_ISA NC_ISA_AVX2
#include "transpose_template.h"
