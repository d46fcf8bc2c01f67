#include <stdlib.h>

#include "activation.h"
#include "channels_last.h"
#include "checked_math.h"
#include "cpu.h"
#include "executor.h"
#include "kernel_registry.h"
#include "plans.h"

typedef struct pool_job {
    const nc_pool2d_plan *plan;
    const float *input;
    float *output;
    nci_task_grid grid;
} pool_job;

nc_status nci_pool2d_plan_build(const nci_pool_params *params, const nc_tensor_sizes *sizes,
                                nc_pool2d_plan **plan)
{
    const nci_pool_kernel *kernel = nci_find_pool_kernel(params, nci_active_isa());
    if (kernel == NULL) {
        return NC_STATUS_UNSUPPORTED;
    }
    nc_pool2d_plan *result = malloc(sizeof *result);
    if (result == NULL) {
        return NC_STATUS_OUT_OF_MEMORY;
    }
    *result = (nc_pool2d_plan){
        .params = *params,
        .sizes = *sizes,
        .kernel = kernel,
        .work = nci_mul_saturate(sizes->output_count, nci_mul_saturate(params->kernel_height, params->kernel_width)),
    };
    *plan = result;
    return NC_STATUS_OK;
}

/* The activation over the task's slice of the output, right after the kernel wrote it. */
static void activate_slice(const nci_pool_params *p, float *output, const nci_task_range *range)
{
    const int64_t rows = range->row_end - range->row_begin;
    if (p->layout == NC_LAYOUT_NCHW) {
        for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
            for (int64_t c = range->channel_begin; c < range->channel_end; c++) {
                float *plane_rows = output + ((n * p->channels + c) * p->out_height + range->row_begin) * p->out_width;
                nci_activate_run(plane_rows, rows * p->out_width, p->activation, p->activation_min, p->activation_max);
            }
        }
        return;
    }
    const nci_channels_last view = nci_channels_last_of(p->layout, p->channels, p->out_height, p->out_width);
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end;) {
            const int64_t stop = nci_run_end(&view, c, range->channel_end);
            float *first = output + n * view.image_stride + nci_channel_offset(&view, c) +
                           range->row_begin * p->out_width * view.pixel_stride;
            for (int64_t pixel = 0; pixel < rows * p->out_width; pixel++) {
                nci_activate_run(first + pixel * view.pixel_stride, stop - c, p->activation, p->activation_min,
                                 p->activation_max);
            }
            c = stop;
        }
    }
}

static void pool_task(void *context, size_t index)
{
    const pool_job *job = context;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    const nci_pool_params *p = &job->plan->params;
    if (p->layout == NC_LAYOUT_NCHW16C) {
        range.channel_begin *= NC_CHANNEL_BLOCK;
        range.channel_end = range.channel_end * NC_CHANNEL_BLOCK < p->channels ? range.channel_end * NC_CHANNEL_BLOCK
                                                                                : p->channels;
    }
    job->plan->kernel->run(p, job->input, job->output, &range);
    if (p->activation != NC_ACTIVATION_NONE) {
        activate_slice(p, job->output, &range);
    }
    if (p->layout == NC_LAYOUT_NCHW16C && range.channel_end == p->channels) {
        nci_zero_padding_lanes(job->output, p->channels, p->out_height, p->out_width, range.batch_begin,
                               range.batch_end, range.row_begin, range.row_end);
    }
}

/* Rows a task of an image may take, in bytes of one block plane, below which NCHW16c tasks take whole blocks
 * instead (pool_blocks_first). */
#define ROW_PIECE_MIN_BYTES (INT64_C(64) << 10)

/* Whether NCHW16c tasks should take an image's blocks before its rows, given the rows-first grid. Cut into rows,
 * a task reads every block plane in a piece a few rows long, which the prefetchers pick up late. With whole
 * blocks where row pieces were 2-32 KB, 2 threads on Zen 4 (pool_ab, 8-16 rounds): maxpool 2x2/2 256 x 56^2
 * 1.18-1.23x on AVX2, 0.99-1.03x on AVX-512; maxpool 2x2/2 512 x 14^2 1.29-1.75x; avgpool 3x3/1 128 x 56^2 and
 * 2 x 192 x 28^2 0.97-1.09x; in one of the machine's slow phases the row split fell to half speed on 56^2 (38
 * against 82 GB/s) and the block split did not. Pieces of 100 KB and more keep the rows: with one block a task
 * there, maxpool 3x3/2 128 x 112^2 ran 0.89-0.99x. */
static bool pool_blocks_first(const nci_pool_params *p, const nci_task_grid *rows_first, size_t budget)
{
    const int64_t tasks_per_image = ((int64_t)budget + rows_first->chunks[0] - 1) / rows_first->chunks[0];
    if (rows_first->extent[2] < tasks_per_image) {
        return false;
    }
    const int64_t rows = (rows_first->extent[1] + rows_first->chunks[1] - 1) / rows_first->chunks[1] * p->stride_height;
    return rows * p->in_width * NC_CHANNEL_BLOCK * (int64_t)sizeof(float) < ROW_PIECE_MIN_BYTES;
}

void nci_pool2d_plan_run(const nc_pool2d_plan *plan, const float *input, float *output,
                         const nc_executor *executor)
{
    if (plan->sizes.output_count == 0) {
        return;
    }
    pool_job job = {.plan = plan, .input = input, .output = output};
    /* NCHW tasks take whole planes, which are contiguous; cut into rows, every task would touch every
     * plane in short pieces. NCHW16c tasks take whole blocks (pool_task): a three-column average slides a
     * whole block, padding lanes included, in its own order (pool_nhwc_template.h), so a block split between
     * tasks would be written by both and summed in an order that depends on the split. */
    const bool blocked = plan->params.layout == NC_LAYOUT_NCHW16C;
    const int64_t channel_units = blocked ? (plan->params.channels + NC_CHANNEL_BLOCK - 1) / NC_CHANNEL_BLOCK
                                          : plan->params.channels;
    const size_t budget = nci_task_budget(executor, plan->work);
    size_t tasks = nci_task_grid_init(&job.grid, plan->params.batch, channel_units, plan->params.out_height, budget,
                                      plan->params.layout == NC_LAYOUT_NCHW);
    if (blocked && pool_blocks_first(&plan->params, &job.grid, budget)) {
        tasks = nci_task_grid_init(&job.grid, plan->params.batch, channel_units, plan->params.out_height, budget, true);
    }
    nci_run_tasks(executor, pool_task, &job, tasks);
}

void nci_pool2d_plan_free(nc_pool2d_plan *plan)
{
    free(plan);
}
