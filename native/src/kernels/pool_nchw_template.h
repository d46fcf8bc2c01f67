/* Max and average pooling on NCHW tensors with the output width in lanes: one vector holds NCI_V
 * neighbouring outputs of one row and every tap is one vector read of the input row (unit stride: one
 * load; stride 2: two loads and a de-interleave; other strides: a gather). Taps are visited in the
 * scalar kernels' row-major order and sums start from zero, so max is bit-identical to
 * pool_nchw__scalar and the average is too (padded taps add +0, which changes no sum that starts at +0).
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines KERNEL_SYMBOL,
 * KERNEL_NAME and KERNEL_ISA. Rows are clipped to the input here; columns in the padding are masked
 * off (filled with -inf for max, 0 for average) only in the vectors that reach a border. */
#include <stdint.h>

#include "kernel.h"
#include "pool_vector_ops.h"

static bool can_handle(const nci_pool_params *p)
{
    /* Gather indices are int32. */
    return p->layout == NC_LAYOUT_NCHW && p->stride_width <= (INT64_C(1) << 20) && p->in_width <= (INT64_C(1) << 28);
}

typedef struct nchw_row {
    const float *plane; /* input channel plane */
    float *out;         /* output row */
    int64_t ih0, r_begin, r_end;
} nchw_row;

/* Divisors of the V outputs starting at input column iw0, for vectors that reach a border. A window
 * without taps sums to 0 and is divided by 1, giving the scalar kernels' 0. */
static nci_vf border_divisors(const nci_pool_params *p, int64_t ih0, int64_t iw0, int64_t rows)
{
    float divisors[NCI_V];
    for (int l = 0; l < NCI_V; l++) {
        const int64_t start = iw0 + l * p->stride_width;
        int64_t s_begin, s_end;
        nci_valid_taps(start, 1, p->kernel_width, p->in_width, &s_begin, &s_end);
        const int64_t cols = s_end - s_begin;
        divisors[l] = rows == 0 || cols == 0 ? 1.0f : (float)nci_average_divisor(p, ih0, start, rows, cols);
    }
    return v_load(divisors);
}

/* KW is the kernel width when the dispatcher knows it (so tap loops unroll), else 0. */
NCI_INLINE void pool_row(const int MODE, const bool IS_MAX, const int KW, const nci_pool_params *p, const nchw_row *t)
{
    const int64_t kw = KW != 0 ? KW : p->kernel_width;
    const int64_t sw = p->stride_width, dw = p->dilation_width, width = p->in_width;
    const int64_t reach = nci_row_reach(MODE, sw) + (kw - 1) * dw;
    const int64_t rows = t->r_end - t->r_begin;
    for (int64_t ow0 = 0; ow0 < p->out_width; ow0 += NCI_V) {
        const int64_t iw0 = ow0 * sw - p->pad_left;
        const bool inside = iw0 >= 0 && iw0 + reach < width;
        nci_vf acc = v_pool_identity(IS_MAX);
        for (int64_t r = t->r_begin; r < t->r_end; r++) {
            const float *row = t->plane + (t->ih0 + r * p->dilation_height) * width;
            if (inside) {
                NCI_UNROLL
                for (int64_t s = 0; s < kw; s++) {
                    acc = v_pool_step(IS_MAX, acc, v_load_row_unchecked(row, iw0 + s * dw, sw, MODE));
                }
            } else {
                for (int64_t s = 0; s < kw; s++) {
                    const int64_t start = iw0 + s * dw;
                    const nci_row_masks masks = v_row_masks(start, width, sw, MODE);
                    acc = v_pool_step(IS_MAX, acc, v_load_row_pool(IS_MAX, row, start, sw, MODE, masks));
                }
            }
        }
        if (!IS_MAX) {
            const float middle = rows == 0 ? 1.0f : (float)nci_average_divisor(p, t->ih0, iw0, rows, kw);
            acc = v_div(acc, inside ? v_set1(middle) : border_divisors(p, t->ih0, iw0, rows));
        }
        const int64_t lanes = p->out_width - ow0;
        if (lanes >= NCI_V) {
            v_store(t->out + ow0, acc);
        } else {
            v_store_mask(t->out + ow0, v_mask_span(0, lanes), acc);
        }
    }
}

NCI_INLINE void pool_row_mode(const int MODE, const nci_pool_params *p, const nchw_row *t)
{
    const bool is_max = p->kind == NC_POOL_MAX;
    if (p->kernel_width == 2) {
        is_max ? pool_row(MODE, true, 2, p, t) : pool_row(MODE, false, 2, p, t);
    } else if (p->kernel_width == 3) {
        is_max ? pool_row(MODE, true, 3, p, t) : pool_row(MODE, false, 3, p, t);
    } else {
        is_max ? pool_row(MODE, true, 0, p, t) : pool_row(MODE, false, 0, p, t);
    }
}

static void run(const nci_pool_params *p, const float *input, float *output, const nci_task_range *range)
{
    const int64_t in_plane = p->in_height * p->in_width;
    const int64_t out_plane = p->out_height * p->out_width;
    const int mode = nci_row_mode(p->stride_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end; c++) {
            nchw_row t = {.plane = input + (n * p->channels + c) * in_plane};
            float *y = output + (n * p->channels + c) * out_plane;
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                t.ih0 = oh * p->stride_height - p->pad_top;
                t.out = y + oh * p->out_width;
                nci_valid_taps(t.ih0, p->dilation_height, p->kernel_height, p->in_height, &t.r_begin, &t.r_end);
                if (mode == NCI_ROW_UNIT) {
                    pool_row_mode(NCI_ROW_UNIT, p, &t);
                } else if (mode == NCI_ROW_PAIRS) {
                    pool_row_mode(NCI_ROW_PAIRS, p, &t);
                } else {
                    pool_row_mode(NCI_ROW_GATHER, p, &t);
                }
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
