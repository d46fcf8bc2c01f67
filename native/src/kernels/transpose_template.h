/* Matrix transpose in NCI_V x NCI_V register tiles: NCI_V row loads, an in-register transpose, NCI_V
 * row stores. Tiles cut by the edges of the requested part load and store through lane masks.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/, defines
 * `static void transpose_tile(nci_vf *v)` (v[i] lane j becomes v[j] lane i) and KERNEL_SYMBOL,
 * KERNEL_NAME and KERNEL_ISA. Row tiles run outermost so the source streams sequentially, and each
 * tile writes whole NCI_V-float runs of destination rows. */
#include "kernel.h"

static void run(const float *src, int64_t rows, int64_t cols, int64_t row_begin, int64_t row_end, int64_t col_begin,
                int64_t col_end, float *dst)
{
    for (int64_t r0 = row_begin; r0 < row_end; r0 += NCI_V) {
        const int64_t nr = row_end - r0 < NCI_V ? row_end - r0 : NCI_V;
        const nci_vmask row_mask = v_mask_span(0, nr);
        for (int64_t c0 = col_begin; c0 < col_end; c0 += NCI_V) {
            const int64_t nc = col_end - c0 < NCI_V ? col_end - c0 : NCI_V;
            const float *s = src + r0 * cols + c0;
            float *d = dst + c0 * rows + r0;
            nci_vf v[NCI_V];
            if (nr == NCI_V && nc == NCI_V) {
                for (int i = 0; i < NCI_V; i++) {
                    v[i] = v_load(s + i * cols);
                }
                transpose_tile(v);
                for (int j = 0; j < NCI_V; j++) {
                    v_store(d + j * rows, v[j]);
                }
            } else {
                const nci_vmask col_mask = v_mask_span(0, nc);
                for (int i = 0; i < NCI_V; i++) {
                    v[i] = i < nr ? v_load_mask(s + i * cols, col_mask) : v_zero();
                }
                transpose_tile(v);
                for (int j = 0; j < nc; j++) {
                    v_store_mask(d + j * rows, row_mask, v[j]);
                }
            }
        }
    }
}

const nci_transpose_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .block = NCI_V,
    .run = run,
};
