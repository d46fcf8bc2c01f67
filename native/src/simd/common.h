/* Helpers the kernel templates share, written once on top of the v_* operations of the ISA header
 * included before this one (avx2.h or avx512.h). */
#ifndef NATIVECONV_SIMD_COMMON_H
#define NATIVECONV_SIMD_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

/* Tile functions take their sizes as constant arguments; forced inlining turns every call site into a
 * fully unrolled copy whose accumulator arrays live in registers. */
#if defined(_MSC_VER) && !defined(__clang__)
#define NCI_INLINE static __forceinline
#define NCI_UNROLL
#else
#define NCI_INLINE static inline __attribute__((always_inline))
#define NCI_UNROLL _Pragma("GCC unroll 32")
#endif
/* The activation of nci_conv_finish on every lane. The constant is the first operand of max/min, so
 * a NaN lane (the second operand) passes through as in PyTorch. */
NCI_INLINE nci_vf v_activate(const nci_conv_params *p, nci_vf v)
{
    if (p->activation == NC_ACTIVATION_RELU) {
        return v_max(v_zero(), v);
    }
    if (p->activation == NC_ACTIVATION_CLAMP) {
        return v_min(v_set1(p->activation_max), v_max(v_set1(p->activation_min), v));
    }
    return v;
}

/* How NCHW kernels read V output lanes from one input row: unit stride (one load), stride 2 (two loads
 * and a permute) or any stride (gather). */
enum { NCI_ROW_UNIT = 1, NCI_ROW_PAIRS = 2, NCI_ROW_GATHER = 0 };

static inline int nci_row_mode(int64_t stride)
{
    return stride == 1 ? NCI_ROW_UNIT : stride == 2 ? NCI_ROW_PAIRS : NCI_ROW_GATHER;
}

/* Input columns one vector of output lanes reads past its first column, at one tap. */
static inline int64_t nci_row_reach(int mode, int64_t stride)
{
    return (NCI_V - 1) * stride + (mode == NCI_ROW_PAIRS ? 1 : 0);
}

/* The masks of a checked v_load_row, which depend only on the columns read: kernels compute them once
 * per kernel column and reuse them for every channel and kernel row. */
typedef struct nci_row_masks {
    nci_vmask first, second;
} nci_row_masks;

NCI_INLINE nci_row_masks v_row_masks(int64_t start, int64_t width, int64_t stride, const int mode)
{
    nci_row_masks m;
    if (mode == NCI_ROW_GATHER) {
        const int64_t lo = start >= 0 ? 0 : (-start + stride - 1) / stride;
        const int64_t hi = start >= width ? 0 : (width - 1 - start) / stride + 1;
        m.first = m.second = v_mask_span(lo, hi);
    } else {
        m.first = v_mask_span(-start, width - start);
        m.second = v_mask_span(-start - NCI_V, width - start - NCI_V);
    }
    return m;
}

/* Lane l gets row[start + l * stride], with masks from v_row_masks(start, ...): lanes whose column is
 * outside [0, width) (padding, tails) read zero and are not touched. */
NCI_INLINE nci_vf v_load_row_masked(const float *row, int64_t start, int64_t stride, const int mode,
                                    nci_row_masks m)
{
    if (mode == NCI_ROW_UNIT) {
        return v_load_mask(row + start, m.first);
    }
    if (mode == NCI_ROW_PAIRS) {
        return v_even_lanes(v_load_mask(row + start, m.first), v_load_mask(row + start + NCI_V, m.second));
    }
    return v_gather_mask(row, start, stride, m.first);
}

/* As v_load_row_masked, for reads whose every column is inside the row. */
NCI_INLINE nci_vf v_load_row_unchecked(const float *row, int64_t start, int64_t stride, const int mode)
{
    if (mode == NCI_ROW_UNIT) {
        return v_load(row + start);
    }
    if (mode == NCI_ROW_PAIRS) {
        return v_even_lanes(v_load(row + start), v_load(row + start + NCI_V));
    }
    return v_gather_mask(row, start, stride, v_mask_span(0, NCI_V));
}

/* One row read, checked (masks precomputed) or not. */
NCI_INLINE nci_vf v_load_row(const float *row, int64_t start, int64_t stride, const int mode, const bool checked,
                             nci_row_masks m)
{
    return checked ? v_load_row_masked(row, start, stride, mode, m) : v_load_row_unchecked(row, start, stride, mode);
}

#endif
