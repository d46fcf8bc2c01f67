#include <stdlib.h>
#include <string.h>

#include "checked_math.h"
#include "cpu.h"
#include "executor.h"
#include "kernel_registry.h"
#include "pack.h"
#include "plans.h"

typedef struct conv_job {
    const nc_conv2d_plan *plan;
    const float *input;
    float *output;
    nci_task_grid grid;
} conv_job;

nc_status nci_conv2d_plan_build(const nci_conv_params *params, const nc_tensor_sizes *sizes,
                                int32_t filter_layout, const float *filter, const float *bias,
                                nc_conv2d_plan **plan)
{
    const nci_conv_kernel *kernel = nci_find_conv_kernel(params, nci_active_isa());
    if (kernel == NULL) {
        return NC_STATUS_UNSUPPORTED;
    }
    /* Validation capped every buffer at NCI_MAX_FLOAT_COUNT, and the bias is no larger than the
     * filter, so this sum and its byte size cannot overflow. */
    const int64_t filter_floats = nci_packed_filter_count(kernel->packing, params);
    const int64_t weight_floats = filter_floats + (bias != NULL ? params->out_channels : 0);
    const size_t weights_size = (size_t)weight_floats * sizeof(float);

    nc_conv2d_plan *result = malloc(sizeof *result);
    float *weights = malloc(weights_size);
    if (result == NULL || weights == NULL) {
        free(result);
        free(weights);
        return NC_STATUS_OUT_OF_MEMORY;
    }
    nci_pack_filter(kernel->packing, params, filter_layout, filter, weights);
    if (bias != NULL) {
        memcpy(weights + filter_floats, bias, (size_t)params->out_channels * sizeof(float));
    }
    *result = (nc_conv2d_plan){
        .params = *params,
        .sizes = *sizes,
        .kernel = kernel,
        .weights = weights,
        .bias = bias != NULL ? weights + filter_floats : NULL,
        .weights_size = weights_size,
        .work = nci_mul_saturate(sizes->output_count,
                                 params->group_in_channels * params->kernel_height * params->kernel_width),
    };
    *plan = result;
    return NC_STATUS_OK;
}

static void conv_task(void *context, size_t index)
{
    const conv_job *job = context;
    const nc_conv2d_plan *plan = job->plan;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    plan->kernel->run(&plan->params, plan->weights, plan->bias, job->input, job->output, &range);
}

void nci_conv2d_plan_run(const nc_conv2d_plan *plan, const float *input, float *output,
                         const nc_executor *executor)
{
    if (plan->sizes.output_count == 0) {
        return;
    }
    conv_job job = {.plan = plan, .input = input, .output = output};
    size_t tasks = nci_task_grid_init(&job.grid, plan->params.batch, plan->params.out_channels,
                                      plan->params.out_height, nci_task_budget(executor, plan->work));
    nci_run_tasks(executor, conv_task, &job, tasks);
}

void nci_conv2d_plan_free(nc_conv2d_plan *plan)
{
    if (plan != NULL) {
        free(plan->weights);
        free(plan);
    }
}
