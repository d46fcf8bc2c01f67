/* Matrix transpose one element at a time, in square blocks so both sides stay in cache. */
#include "kernel.h"

#define BLOCK 16

static void run(const float *src, int64_t rows, int64_t cols, int64_t row_begin, int64_t row_end, int64_t col_begin,
                int64_t col_end, float *dst)
{
    (void)cols;
    for (int64_t r0 = row_begin; r0 < row_end; r0 += BLOCK) {
        const int64_t r1 = r0 + BLOCK < row_end ? r0 + BLOCK : row_end;
        for (int64_t c0 = col_begin; c0 < col_end; c0 += BLOCK) {
            const int64_t c1 = c0 + BLOCK < col_end ? c0 + BLOCK : col_end;
            for (int64_t c = c0; c < c1; c++) {
                for (int64_t r = r0; r < r1; r++) {
                    dst[c * rows + r] = src[r * cols + c];
                }
            }
        }
    }
}

const nci_transpose_kernel nci_transpose__scalar = {
    .name = "transpose__scalar",
    .isa = NC_ISA_SCALAR,
    .block = BLOCK,
    .run = run,
};
