/* Transpose in 16x16 tiles of zmm registers. */
#include "simd/avx512.h"
#include "simd/common.h"
#include "transpose_16x16_tile.h"

/* Non-temporal stores for transposes larger than the caches. */
#define TRANSPOSE_STREAMS
static inline void stream_store(float *p, nci_vf v) { _mm512_stream_ps(p, v); }
static inline void stream_fence(void) { _mm_sfence(); }

/* Gathers for matrices narrower than a tile. */
#define TRANSPOSE_GATHERS
static inline nci_vf gather(const float *base, const int32_t *index)
{
    return _mm512_i32gather_ps(_mm512_loadu_si512(index), base, 4);
}

#define KERNEL_SYMBOL nci_transpose_16x16__avx512
#define KERNEL_NAME "transpose_16x16__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "transpose_template.h"
