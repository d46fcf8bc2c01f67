/* AArch64 Advanced SIMD vector operations behind the names the kernel templates use. NEON is part of
 * the AArch64 base architecture, so files including this need no extra flags. Masks are integer
 * vectors whose lanes are all ones or all zeros. NEON has no masked load, store or gather: those run
 * lane by lane, which only the edge and tail tiles reach. */
#ifndef NATIVECONV_SIMD_NEON_H
#define NATIVECONV_SIMD_NEON_H

#include <arm_neon.h>
#include <stdint.h>

#define NCI_V 4

typedef float32x4_t nci_vf;
typedef uint32x4_t nci_vmask;

static inline nci_vf v_zero(void) { return vdupq_n_f32(0.0f); }
static inline nci_vf v_set1(float value) { return vdupq_n_f32(value); }
static inline nci_vf v_load(const float *p) { return vld1q_f32(p); }
static inline void v_store(float *p, nci_vf v) { vst1q_f32(p, v); }
/* a * b + c */
static inline nci_vf v_fma(nci_vf a, nci_vf b, nci_vf c) { return vfmaq_f32(c, a, b); }
static inline nci_vf v_add(nci_vf a, nci_vf b) { return vaddq_f32(a, b); }
static inline nci_vf v_mul(nci_vf a, nci_vf b) { return vmulq_f32(a, b); }
/* a > b ? a : b, and b when either is NaN. fmax would return NaN for a NaN in a, so this compares and
 * selects to keep the x86 rule the activations (and results across ISAs) rely on. */
static inline nci_vf v_max(nci_vf a, nci_vf b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
/* a < b ? a : b, and b when either is NaN. */
static inline nci_vf v_min(nci_vf a, nci_vf b) { return vbslq_f32(vcltq_f32(a, b), a, b); }

/* Lanes [lo, hi), clipped to the vector. */
static inline nci_vmask v_mask_span(int64_t lo, int64_t hi)
{
    lo = lo < 0 ? 0 : lo > NCI_V ? NCI_V : lo;
    hi = hi < 0 ? 0 : hi > NCI_V ? NCI_V : hi;
    const uint32_t lanes[NCI_V] = {0, 1, 2, 3};
    const uint32x4_t lane = vld1q_u32(lanes);
    return vandq_u32(vcgeq_u32(lane, vdupq_n_u32((uint32_t)lo)), vcltq_u32(lane, vdupq_n_u32((uint32_t)hi)));
}

/* Lane l is on when bit l of bits is set. */
static inline nci_vmask v_mask_bits(uint32_t bits)
{
    const uint32_t lane_bits[NCI_V] = {1, 2, 4, 8};
    return vtstq_u32(vdupq_n_u32(bits), vld1q_u32(lane_bits));
}

/* Masked-off lanes read as zero and are never accessed, so they may lie outside the buffer. */
static inline nci_vf v_load_mask(const float *p, nci_vmask m)
{
    if (vminvq_u32(m) != 0) {
        return vld1q_f32(p);
    }
    uint32_t on[NCI_V];
    float lanes[NCI_V] = {0.0f, 0.0f, 0.0f, 0.0f};
    vst1q_u32(on, m);
    for (int l = 0; l < NCI_V; l++) {
        if (on[l] != 0) {
            lanes[l] = p[l];
        }
    }
    return vld1q_f32(lanes);
}

static inline void v_store_mask(float *p, nci_vmask m, nci_vf v)
{
    if (vminvq_u32(m) != 0) {
        vst1q_f32(p, v);
        return;
    }
    uint32_t on[NCI_V];
    float lanes[NCI_V];
    vst1q_u32(on, m);
    vst1q_f32(lanes, v);
    for (int l = 0; l < NCI_V; l++) {
        if (on[l] != 0) {
            p[l] = lanes[l];
        }
    }
}

/* p[0], p[2], p[4], p[6] of the 8 floats in a then b. */
static inline nci_vf v_even_lanes(nci_vf a, nci_vf b) { return vuzp1q_f32(a, b); }
/* The even and the odd floats of the 2V in a then b (stride-2 columns): unzips give them in order. */
static inline nci_vf v_pairs_even(nci_vf a, nci_vf b) { return v_even_lanes(a, b); }
static inline nci_vf v_pairs_odd(nci_vf a, nci_vf b) { return vuzp2q_f32(a, b); }
static inline nci_vf v_pairs_in_order(nci_vf v) { return v; }

/* row[start + l * step] for every lane l in mask (others zero). */
static inline nci_vf v_gather_mask(const float *row, int64_t start, int64_t step, nci_vmask m)
{
    uint32_t on[NCI_V];
    float lanes[NCI_V] = {0.0f, 0.0f, 0.0f, 0.0f};
    vst1q_u32(on, m);
    for (int l = 0; l < NCI_V; l++) {
        if (on[l] != 0) {
            lanes[l] = row[start + l * step];
        }
    }
    return vld1q_f32(lanes);
}

/* m ? on : off, lane by lane. */
static inline nci_vf v_select(nci_vmask m, nci_vf on, nci_vf off) { return vbslq_f32(m, on, off); }
static inline nci_vmask v_isnan(nci_vf a) { return vmvnq_u32(vceqq_f32(a, a)); }
static inline nci_vf v_div(nci_vf a, nci_vf b) { return vdivq_f32(a, b); }

/* c + a * lane `lane` of b: the by-element FMLA, so one q-load of b feeds four FMAs without a dup. */
#define v_fma_lane(a, b, lane, c) vfmaq_laneq_f32((c), (a), (b), (lane))

#endif
