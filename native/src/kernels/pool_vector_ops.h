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
    return v_select(v_isnan(x), x, v_max(x, acc));
}

NCI_INLINE nci_vf v_pool_step(const bool IS_MAX, nci_vf acc, nci_vf x)
{
    return IS_MAX ? v_max_step(acc, x) : v_add(acc, x);
}

/* The value a masked-off tap contributes: one that never wins a maximum and adds nothing to a sum. */
NCI_INLINE nci_vf v_pool_identity(const bool IS_MAX)
{
    return IS_MAX ? v_set1(-INFINITY) : v_zero();
}

/* v_load_row_masked whose masked-off lanes hold v_pool_identity instead of zero. */
NCI_INLINE nci_vf v_load_row_pool(const bool IS_MAX, const float *row, int64_t start, int64_t stride, const int mode,
                                  nci_row_masks m)
{
    if (!IS_MAX) {
        return v_load_row_masked(row, start, stride, mode, m);
    }
    const nci_vf fill = v_pool_identity(true);
    if (mode == NCI_ROW_PAIRS) {
        return v_even_lanes(v_select(m.first, v_load_mask(row + start, m.first), fill),
                            v_select(m.second, v_load_mask(row + start + NCI_V, m.second), fill));
    }
    return v_select(m.first, v_load_row_masked(row, start, stride, mode, m), fill);
}

#endif
