/* Transpose in 4x4 tiles of q-registers. */
#include "simd/neon.h"
#include "simd/common.h"

/* Transpose 2x2 blocks of floats within pairs of rows, then swap 64-bit halves between the pairs. */
NCI_INLINE void transpose_tile(const float *src, int64_t stride, nci_vf *v)
{
    for (int i = 0; i < 4; i++) {
        v[i] = vld1q_f32(src + i * stride);
    }
    const float32x4_t t0 = vtrn1q_f32(v[0], v[1]), t1 = vtrn2q_f32(v[0], v[1]);
    const float32x4_t t2 = vtrn1q_f32(v[2], v[3]), t3 = vtrn2q_f32(v[2], v[3]);
    v[0] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    v[1] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
    v[2] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    v[3] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
}

#define KERNEL_SYMBOL nci_transpose_4x4__neon
#define KERNEL_NAME "transpose_4x4__neon"
#define KERNEL_ISA NC_ISA_NEON
#include "transpose_template.h"
