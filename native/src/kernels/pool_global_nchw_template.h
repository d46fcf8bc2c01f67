/* Pooling whose window is the whole NCHW channel plane (global pooling, or a kernel the size of the
 * unpadded input): each plane is one contiguous run reduced with up to four vector accumulators into
 * one vector; NCI_V planes' vectors are then folded together so that lane l holds plane l's result,
 * which leaves one vector division and one store per NCI_V planes instead of a serial sum of lanes per
 * plane (small planes such as 7x7 would spend most of their time there).
 *
 * The average sums in a different order from the scalar kernels (within the average's tolerance).
 * The maximum is bit-identical all the same: the value of a maximum does not depend on the order, and
 * the two things that do are settled afterwards by a scalar scan, as the scalar kernel would (a NaN
 * maximum is the plane's last NaN; a zero maximum has the sign of the plane's first zero).
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines KERNEL_SYMBOL,
 * KERNEL_NAME, KERNEL_ISA, `pairs_low(a, b)` and `pairs_high(a, b)` (lanes 0 and 2, and 1 and 3, of each
 * 128-bit quarter of a then b: in each quarter a0 a2 b0 b2 and a1 a3 b1 b3) and, for vectors wider than
 * 128 bits, `halves_low(a, b)` and `halves_high(a, b)` (the same on 128-bit pieces within the vector). */
#include <math.h>

#include "kernel.h"
#include "pool_vector_ops.h"

static bool can_handle(const nci_pool_params *p)
{
    return p->layout == NC_LAYOUT_NCHW && p->kernel_height == p->in_height && p->kernel_width == p->in_width &&
           p->pad_top == 0 && p->pad_bottom == 0 && p->pad_left == 0 && p->pad_right == 0 &&
           (p->dilation_height == 1 || p->kernel_height == 1) && (p->dilation_width == 1 || p->kernel_width == 1);
}

/* Four accumulators keep four steps in flight; a small plane (a 7x7 one is three vectors and a lane)
 * spreads its few vectors over them too. */
NCI_INLINE nci_vf reduce_plane(const bool IS_MAX, const float *x, int64_t count)
{
    nci_vf acc[4];
    for (int k = 0; k < 4; k++) {
        acc[k] = v_pool_identity(IS_MAX);
    }
    int64_t i = 0;
    for (; i + 4 * NCI_V <= count; i += 4 * NCI_V) {
        NCI_UNROLL
        for (int k = 0; k < 4; k++) {
            acc[k] = v_pool_step(IS_MAX, acc[k], v_load(x + i + k * NCI_V));
        }
    }
    if (i + 2 * NCI_V <= count) {
        acc[0] = v_pool_step(IS_MAX, acc[0], v_load(x + i));
        acc[1] = v_pool_step(IS_MAX, acc[1], v_load(x + i + NCI_V));
        i += 2 * NCI_V;
    }
    if (i + NCI_V <= count) {
        acc[2] = v_pool_step(IS_MAX, acc[2], v_load(x + i));
        i += NCI_V;
    }
    if (i < count) {
        const nci_vmask tail = v_mask_span(0, count - i);
        const nci_vf rest = v_load_mask(x + i, tail);
        acc[3] = v_pool_step(IS_MAX, acc[3], IS_MAX ? v_select(tail, rest, v_pool_identity(true)) : rest);
    }
    return v_pool_step(IS_MAX, v_pool_step(IS_MAX, acc[0], acc[1]), v_pool_step(IS_MAX, acc[2], acc[3]));
}

/* Lane l of the result reduces the lanes of v[l]; v is clobbered. Two rounds of pairs_* leave, in each
 * 128-bit quarter, the four results of four planes; rounds of halves_* then gather the quarters, which
 * puts plane l in lane l. */
NCI_INLINE nci_vf fold_planes(const bool IS_MAX, nci_vf *v)
{
    int count = NCI_V;
    for (int round = 0; round < 2; round++) {
        NCI_UNROLL
        for (int k = 0; k < NCI_V / 2; k++) {
            if (2 * k < count) {
                v[k] = v_pool_step(IS_MAX, pairs_low(v[2 * k], v[2 * k + 1]), pairs_high(v[2 * k], v[2 * k + 1]));
            }
        }
        count /= 2;
    }
#if NCI_V > 4
    while (count > 1) {
        NCI_UNROLL
        for (int k = 0; k < NCI_V / 8; k++) {
            if (2 * k < count) {
                v[k] = v_pool_step(IS_MAX, halves_low(v[2 * k], v[2 * k + 1]), halves_high(v[2 * k], v[2 * k + 1]));
            }
        }
        count /= 2;
    }
#endif
    return v[0];
}

/* The scalar kernel's choice among equal maxima: the last NaN, or the first zero with its sign. */
static float settle_max(const float *x, int64_t count, float result)
{
    if (isnan(result)) {
        for (int64_t i = count - 1; i >= 0; i--) {
            if (isnan(x[i])) {
                return x[i];
            }
        }
    }
    if (result == 0.0f) {
        for (int64_t i = 0; i < count; i++) {
            if (x[i] == 0.0f) {
                return x[i];
            }
        }
    }
    return result;
}

/* Planes [c, c + planes) of one image, planes <= NCI_V, contiguous in both input and output. A plane's
 * lanes fold in the same tree whichever slot it takes and whatever the other slots hold, so a plane sums in
 * one order whether a task's channel range puts it in a full group or in the remainder: results stay
 * bitwise the same for any task split. */
NCI_INLINE void pool_planes(const bool IS_MAX, const float *x, int64_t count, float divisor, int64_t planes,
                            float *y)
{
    nci_vf v[NCI_V];
    for (int l = 0; l < NCI_V; l++) {
        v[l] = l < planes ? reduce_plane(IS_MAX, x + l * count, count) : v_pool_identity(IS_MAX);
    }
    nci_vf folded = fold_planes(IS_MAX, v);
    if (!IS_MAX) {
        folded = v_div(folded, v_set1(divisor));
    }
    float lanes[NCI_V];
    v_store(lanes, folded);
    for (int64_t l = 0; l < planes; l++) {
        const bool settle = IS_MAX && (isnan(lanes[l]) || lanes[l] == 0.0f);
        y[l] = settle ? settle_max(x + l * count, count, lanes[l]) : lanes[l];
    }
}

static void run(const nci_pool_params *p, const float *input, float *output, const nci_task_range *range)
{
    if (range->row_begin >= range->row_end) {
        return;
    }
    const int64_t count = p->in_height * p->in_width;
    const float divisor = (float)nci_average_divisor(p, 0, 0, p->in_height, p->in_width);
    const bool is_max = p->kind == NC_POOL_MAX;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end; c += NCI_V) {
            const int64_t planes = range->channel_end - c < NCI_V ? range->channel_end - c : NCI_V;
            const float *x = input + (n * p->channels + c) * count;
            float *y = output + n * p->channels + c;
            if (is_max) {
                pool_planes(true, x, count, divisor, planes, y);
            } else {
                pool_planes(false, x, count, divisor, planes, y);
            }
        }
    }
}

const nci_pool_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .can_handle = can_handle,
    .run = run,
};
