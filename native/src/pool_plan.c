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
    size_t tasks = nci_task_grid_init(&job.grid, plan->params.batch, channel_units, plan->params.out_height,
                                      nci_task_budget(executor, plan->work), plan->params.layout == NC_LAYOUT_NCHW);
    nci_run_tasks(executor, pool_task, &job, tasks);
}

void nci_pool2d_plan_free(nc_pool2d_plan *plan)
{
    free(plan);
}
