/* Vector steps the pooling templates share, on top of the v_* operations of the ISA header included
 * before this one. */
#ifndef NATIVECONV_POOL_VECTOR_OPS_H
#define NATIVECONV_POOL_VECTOR_OPS_H

#include <math.h>
#include <stdbool.h>

#include "simd/common.h"

/* The scalar kernels' `if (x > acc || isnan(x)) acc = x` on every lane. x86 max returns its second
 * operand when either is NaN, so max(x, acc) already keeps a NaN maximum and keeps the earlier tap on
 * ties (signed zeros); only a NaN tap needs the select. Results are bit-identical to the scalar
 * kernels as long as taps arrive in the same order. */
NCI_INLINE nci_vf v_max_step(nci_vf acc, nci_vf x)
{
#if defined(NATIVECONV_SIMD_AVX512_H)
    /* The same with the select folded into a merge-masked max: two instructions instead of three. */
    return _mm512_mask_max_ps(x, _mm512_cmp_ps_mask(x, x, _CMP_ORD_Q), x, acc);
#else
    return v_select(v_isnan(x), x, v_max(x, acc));
#endif
}

NCI_INLINE nci_vf v_pool_step(const bool IS_MAX, nci_vf acc, nci_vf x)
{
    return IS_MAX ? v_max_step(acc, x) : v_add(acc, x);
}

/* Inputs at least this large stream from memory rather than from a core's share of cache. There the
 * kernels prefetch input rows ahead, because the hardware prefetchers, restarting on every short run,
 * fell behind: maxpool 2x2/2 on 64x224x224 ran 2-4x faster in NCHW on a Zen 3 guest. Inputs read from
 * cache measured no faster with the extra instructions. */
#define NCI_POOL_PREFETCH_MIN_BYTES (INT64_C(8) << 20)

/* The value a masked-off tap contributes: one that never wins a maximum and adds nothing to a sum. */
NCI_INLINE nci_vf v_pool_identity(const bool IS_MAX)
{
    return IS_MAX ? v_set1(-INFINITY) : v_zero();
}

#endif
