/* NCHW <-> NHWC is a transpose of each image, [channels][pixels] <-> [pixels][channels], run by the
 * best transpose kernel with tasks over images x row tiles x column tiles. Filters are small and
 * converted once, so plain loops serve them. */
#include "reorder.h"

#include <string.h>

#include "cpu.h"
#include "executor.h"
#include "kernel_registry.h"

typedef struct transpose_job {
    const nci_transpose_kernel *kernel;
    const float *src;
    float *dst;
    int64_t rows, cols;
    nci_task_grid grid; /* images x row tiles x column tiles */
} transpose_job;

static void transpose_task(void *context, size_t index)
{
    const transpose_job *job = context;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    const int64_t block = job->kernel->block;
    const int64_t row_end = range.row_end * block < job->rows ? range.row_end * block : job->rows;
    const int64_t col_end = range.channel_end * block < job->cols ? range.channel_end * block : job->cols;
    for (int64_t n = range.batch_begin; n < range.batch_end; n++) {
        const int64_t offset = n * job->rows * job->cols;
        job->kernel->run(job->src + offset, job->rows, job->cols, range.row_begin * block, row_end,
                         range.channel_begin * block, col_end, job->dst + offset);
    }
}

void nci_reorder_run(int32_t src_layout, int32_t dst_layout, int64_t batch, int64_t channels, int64_t height,
                     int64_t width, const float *src, float *dst, const nc_executor *executor)
{
    const int64_t pixels = height * width, count = batch * channels * pixels;
    if (count == 0) {
        return;
    }
    if (src_layout == dst_layout) {
        memcpy(dst, src, (size_t)count * sizeof(float));
        return;
    }
    transpose_job job = {
        .kernel = nci_find_transpose_kernel(nci_active_isa()),
        .src = src,
        .dst = dst,
        .rows = src_layout == NC_LAYOUT_NCHW ? channels : pixels,
        .cols = src_layout == NC_LAYOUT_NCHW ? pixels : channels,
    };
    const int64_t block = job.kernel->block;
    const size_t tasks = nci_task_grid_init(&job.grid, batch, (job.cols + block - 1) / block,
                                            (job.rows + block - 1) / block, nci_task_budget(executor, count));
    nci_run_tasks(executor, transpose_task, &job, tasks);
}

void nci_convert_filter_run(int32_t src_layout, int32_t dst_layout, int64_t out_channels,
                            int64_t in_channels_per_group, int64_t kernel_height, int64_t kernel_width,
                            const float *src, float *dst)
{
    const int64_t taps = kernel_height * kernel_width, inner = in_channels_per_group * taps;
    if (src_layout == dst_layout) {
        memcpy(dst, src, (size_t)(out_channels * inner) * sizeof(float));
        return;
    }
    const bool to_hwio = src_layout == NC_FILTER_OIHW;
    /* OIHW [o][i][t] <-> HWIO [t][i][o], t the kernel tap in row-major order. */
    for (int64_t o = 0; o < out_channels; o++) {
        for (int64_t i = 0; i < in_channels_per_group; i++) {
            for (int64_t t = 0; t < taps; t++) {
                const int64_t oihw = (o * in_channels_per_group + i) * taps + t;
                const int64_t hwio = (t * in_channels_per_group + i) * out_channels + o;
                if (to_hwio) {
                    dst[hwio] = src[oihw];
                } else {
                    dst[oihw] = src[hwio];
                }
            }
        }
    }
}
