/* Helpers the kernel templates share, written once on top of the v_* operations of the ISA header
 * included before this one (avx2.h, avx512.h or neon.h). */
#ifndef NATIVECONV_SIMD_COMMON_H
#define NATIVECONV_SIMD_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

/* Tile functions take their sizes as constant arguments; forced inlining turns every call site into a
 * fully unrolled copy whose accumulator arrays live in registers. */
#if defined(_MSC_VER) && !defined(__clang__)
#define NCI_INLINE static __forceinline
#define NCI_OUTLINE static __inline __declspec(noinline)
#define NCI_UNROLL
#else
#define NCI_INLINE static inline __attribute__((always_inline))
#define NCI_OUTLINE static __attribute__((noinline, unused))
#define NCI_UNROLL _Pragma("GCC unroll 32")
#endif
/* Asks the caches for the line at address. Callers form addresses as integers because they may run past the
 * end of the tensor, where a prefetch is harmless but pointer arithmetic is undefined. */
NCI_INLINE void nci_prefetch_address(uintptr_t address)
{
#if defined(_MSC_VER) && !defined(__clang__) && defined(_M_ARM64)
    __prefetch((const void *)address);
#elif defined(_MSC_VER) && !defined(__clang__)
    _mm_prefetch((const char *)address, _MM_HINT_T0);
#else
    __builtin_prefetch((const void *)address);
#endif
}

/* Asks the caches for the line of the float offset floats past p. */
NCI_INLINE void nci_prefetch_float(const float *p, int64_t offset)
{
    nci_prefetch_address((uintptr_t)p + (uintptr_t)offset * sizeof(float));
}

/* Asks the caches for the lines of count floats starting offset floats past p. Out of line: a call per input
 * row costs nothing next to the row. Its loop runs over unsigned addresses: counted in signed floats, GCC 12
 * found the function free of side effects (to it a prefetch is none) and dropped every call. */
NCI_OUTLINE void nci_prefetch_floats(const float *p, int64_t offset, int64_t count)
{
    const uintptr_t first = (uintptr_t)p + (uintptr_t)offset * sizeof(float);
    for (uintptr_t byte = 0; byte < (uintptr_t)count * sizeof(float); byte += 64) {
        nci_prefetch_address(first + byte);
    }
}

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

/* Stores of a tile's accumulators, applying bias, accumulate and activation as nci_conv_finish does, in
 * that order. The accumulators come as a flat copy (NCI_COPY_TILE). Kernels inline them (v_store_*) for
 * full tiles, where the unrolled store keeps the copy in registers, and call one out-of-line copy
 * (nci_store_*) for every other tile shape, border kind and stride mode: inlined everywhere, the stores
 * made the kernels about three times larger, while a call costs a few instructions per tile. */

/* Copies acc[a][b], a < rows, b < cols, of a 2-D accumulator array to flat[a * row_size + b]. The store
 * takes the copy's address, never the accumulators': GCC keeps an array whose address is taken in
 * memory through the masked inner loops (AVX2 resnet 3x3 14x14 NCHW ran 2x slower). */
#define NCI_COPY_TILE(flat, acc, rows, cols)                                                               \
    do {                                                                                                   \
        NCI_UNROLL                                                                                         \
        for (int a_ = 0; a_ < (rows); a_++) {                                                              \
            NCI_UNROLL                                                                                     \
            for (int b_ = 0; b_ < (cols); b_++) {                                                          \
                (flat)[a_ * (int)(sizeof((acc)[0]) / sizeof((acc)[0][0])) + b_] = (acc)[a_][b_];           \
            }                                                                                              \
        }                                                                                                  \
    } while (0)

/* One output vector: value plus bias, plus y's old value when accumulating, activated, stored to y (all
 * lanes when full, else the lanes of mask). */
NCI_INLINE void v_finish_store(const nci_conv_params *p, nci_vf value, bool has_bias, nci_vf bias, float *y, bool full,
                               nci_vmask mask)
{
    if (has_bias) {
        value = v_add(value, bias);
    }
    if (p->accumulate) {
        value = v_add(value, full ? v_load(y) : v_load_mask(y, mask));
    }
    value = v_activate(p, value);
    if (full) {
        v_store(y, value);
    } else {
        v_store_mask(y, mask, value);
    }
}

/* Output lines (channel planes or rows) of pixel vectors: acc[line * line_step + vector * vector_step]
 * goes to out + line * out_stride + vector * V for the first `vectors` vectors, lanes past `pixels` left
 * alone; line l adds the scalar bias[l * bias_step] (bias may be NULL). */
NCI_INLINE void v_store_lines(const nci_conv_params *p, const nci_vf *acc, int64_t line_step, int64_t vector_step,
                              int64_t lines, int64_t vectors, int64_t pixels, const float *bias, int64_t bias_step,
                              float *out, int64_t out_stride)
{
    for (int64_t l = 0; l < lines; l++) {
        const nci_vf b = bias != NULL ? v_set1(bias[l * bias_step]) : v_zero();
        for (int64_t v = 0; v < vectors; v++) {
            float *y = out + l * out_stride + v * NCI_V;
            const bool full = pixels - v * NCI_V >= NCI_V;
            const nci_vmask mask = v_mask_span(0, pixels - v * NCI_V);
            v_finish_store(p, acc[l * line_step + v * vector_step], bias != NULL, b, y, full, mask);
        }
    }
}

NCI_OUTLINE void nci_store_lines(const nci_conv_params *p, const nci_vf *acc, int64_t line_step, int64_t vector_step,
                                 int64_t lines, int64_t vectors, int64_t pixels, const float *bias, int64_t bias_step,
                                 float *out, int64_t out_stride)
{
    v_store_lines(p, acc, line_step, vector_step, lines, vectors, pixels, bias, bias_step, out, out_stride);
}

/* Pixels of channel vectors: acc[pixel * pixel_step + vector] goes to out + pixel * out_pixel_stride +
 * offset[vector] for the first `vectors` vectors, lanes past `channels` left alone; bias (or NULL) holds
 * the tile's channels. */
NCI_INLINE void v_store_channel_vectors(const nci_conv_params *p, const nci_vf *acc, int64_t pixel_step,
                                        int64_t pixels, int64_t vectors, int64_t channels, const float *bias,
                                        float *out, int64_t out_pixel_stride, const int64_t *offset)
{
    for (int64_t v = 0; v < vectors; v++) {
        const bool full = channels - v * NCI_V >= NCI_V;
        const nci_vmask mask = v_mask_span(0, channels - v * NCI_V);
        nci_vf b = v_zero();
        if (bias != NULL) {
            b = full ? v_load(bias + v * NCI_V) : v_load_mask(bias + v * NCI_V, mask);
        }
        for (int64_t i = 0; i < pixels; i++) {
            float *y = out + i * out_pixel_stride + offset[v];
            v_finish_store(p, acc[i * pixel_step + v], bias != NULL, b, y, full, mask);
        }
    }
}

NCI_OUTLINE void nci_store_channel_vectors(const nci_conv_params *p, const nci_vf *acc, int64_t pixel_step,
                                           int64_t pixels, int64_t vectors, int64_t channels, const float *bias,
                                           float *out, int64_t out_pixel_stride, const int64_t *offset)
{
    v_store_channel_vectors(p, acc, pixel_step, pixels, vectors, channels, bias, out, out_pixel_stride, offset);
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
