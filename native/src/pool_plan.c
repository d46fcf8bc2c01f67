#include <stdlib.h>

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

static void pool_task(void *context, size_t index)
{
    const pool_job *job = context;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    const nci_pool_params *p = &job->plan->params;
    job->plan->kernel->run(p, job->input, job->output, &range);
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
    size_t tasks = nci_task_grid_init(&job.grid, plan->params.batch, plan->params.channels,
                                      plan->params.out_height, nci_task_budget(executor, plan->work));
    nci_run_tasks(executor, pool_task, &job, tasks);
}

void nci_pool2d_plan_free(nc_pool2d_plan *plan)
{
    free(plan);
}
