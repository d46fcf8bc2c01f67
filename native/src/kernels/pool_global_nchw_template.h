/* Pooling whose window is the whole NCHW channel plane (global pooling, or a kernel the size of the
 * unpadded input): each plane is one contiguous run reduced with four vector accumulators.
 *
 * The average sums in a different order from the scalar kernels (within the average's tolerance).
 * The maximum is bit-identical all the same: the value of a maximum does not depend on the order, and
 * the two things that do are settled afterwards by a scalar scan, as the scalar kernel would (a NaN
 * maximum is the plane's last NaN; a zero maximum has the sign of the plane's first zero).
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines KERNEL_SYMBOL,
 * KERNEL_NAME and KERNEL_ISA. */
#include <math.h>

#include "kernel.h"
#include "pool_vector_ops.h"

static bool can_handle(const nci_pool_params *p)
{
    return p->layout == NC_LAYOUT_NCHW && p->kernel_height == p->in_height && p->kernel_width == p->in_width &&
           p->pad_top == 0 && p->pad_bottom == 0 && p->pad_left == 0 && p->pad_right == 0 &&
           (p->dilation_height == 1 || p->kernel_height == 1) && (p->dilation_width == 1 || p->kernel_width == 1);
}

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
    for (; i + NCI_V <= count; i += NCI_V) {
        acc[0] = v_pool_step(IS_MAX, acc[0], v_load(x + i));
    }
    if (i < count) {
        const nci_vmask tail = v_mask_span(0, count - i);
        acc[1] = v_pool_step(IS_MAX, acc[1], v_select(tail, v_load_mask(x + i, tail), v_pool_identity(IS_MAX)));
    }
    return v_pool_step(IS_MAX, v_pool_step(IS_MAX, acc[0], acc[1]), v_pool_step(IS_MAX, acc[2], acc[3]));
}

static float plane_max(const float *x, int64_t count)
{
    float lanes[NCI_V];
    v_store(lanes, reduce_plane(true, x, count));
    float result = -INFINITY;
    for (int l = 0; l < NCI_V; l++) {
        if (lanes[l] > result || isnan(lanes[l])) {
            result = lanes[l];
        }
    }
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

static float plane_sum(const float *x, int64_t count)
{
    float lanes[NCI_V];
    v_store(lanes, reduce_plane(false, x, count));
    float sum = 0.0f;
    for (int l = 0; l < NCI_V; l++) {
        sum += lanes[l];
    }
    return sum;
}

static void run(const nci_pool_params *p, const float *input, float *output, const nci_task_range *range)
{
    if (range->row_begin >= range->row_end) {
        return;
    }
    const int64_t count = p->in_height * p->in_width;
    const float divisor = (float)nci_average_divisor(p, 0, 0, p->in_height, p->in_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end; c++) {
            const float *x = input + (n * p->channels + c) * count;
            output[n * p->channels + c] = p->kind == NC_POOL_MAX ? plane_max(x, count) : plane_sum(x, count) / divisor;
        }
    }
}

const nci_pool_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .can_handle = can_handle,
    .run = run,
};
