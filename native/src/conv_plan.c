#if defined(__linux__)
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* posix_memalign, madvise and MADV_HUGEPAGE under -std=c11 */
#endif
#include <sys/mman.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "channels_last.h"
#include "checked_math.h"
#include "cpu.h"
#include "executor.h"
#include "kernel_registry.h"
#include "padded_nonfinite.h"
#include "plans.h"

typedef struct conv_job {
    const nc_conv2d_plan *plan;
    const float *input;
    float *output;
    nci_task_grid grid;
} conv_job;

/* Convolutions whose input and output together hold at most this many floats (2 MiB) stay in the cores' caches
 * from call to call, so, as the cached reorders (reorder.c), they take one task per thread when those come out
 * near-equal: each thread then usually finds its rows or channels where it left them on the last call. Two
 * threads (Zen 5, library_ab): depthwise 3x3 over 256 x 28^2 NCHW16c 1.30x (AVX2 1.21x), NHWC 1.13x (AVX2
 * 0.98x); NCHW 64 -> 64 3x3 28^2 1.11x, 512 -> 128 1x1 28^2 1.13x; 256 -> 256 3x3 14^2 1.00-1.04x. Not NCHW
 * depthwise, which ran 0.83-0.85x so (256 x 28^2), nor below CACHED_CONV_MIN_WORK multiply-adds, where a thread
 * that starts late is not made up for by the others (depthwise 512 x 14^2 NHWC, 0.9 M: 0.89-0.93x). */
#define CACHED_CONV_FLOATS (INT64_C(1) << 19)
#define CACHED_CONV_MIN_WORK (INT64_C(1) << 20)

/* Vector loads of packed weights never straddle a cache line when blocks start on one. */
#define WEIGHTS_ALIGNMENT 64

#if defined(__linux__)
/* Packing large filters is dominated by first-touch page faults: a few 2 MiB pages instead of thousands
 * of 4 KiB ones keep plan creation near copy speed (and ease TLB pressure while the kernel streams them). */
#define HUGE_PAGE_SIZE ((size_t)2 << 20)

/* NULL for sizes whose padding would wrap size_t, which only a 32-bit build can be asked for. */
static void *allocate_weights(size_t size)
{
    if (size > SIZE_MAX - WEIGHTS_ALIGNMENT - HUGE_PAGE_SIZE) {
        return NULL;
    }
    if (size < HUGE_PAGE_SIZE) {
        return malloc(size + WEIGHTS_ALIGNMENT);
    }
    void *storage = NULL;
    const size_t rounded = (size + WEIGHTS_ALIGNMENT + HUGE_PAGE_SIZE - 1) / HUGE_PAGE_SIZE * HUGE_PAGE_SIZE;
    if (posix_memalign(&storage, HUGE_PAGE_SIZE, rounded) != 0) {
        return NULL;
    }
    madvise(storage, rounded, MADV_HUGEPAGE); /* advice only: without it the pages are simply small */
    return storage;
}
#else
static void *allocate_weights(size_t size)
{
    return size > SIZE_MAX - WEIGHTS_ALIGNMENT ? NULL : malloc(size + WEIGHTS_ALIGNMENT);
}
#endif

nc_status nci_conv2d_plan_build(const nci_conv_params *params, const nc_tensor_sizes *sizes,
                                int32_t filter_layout, const float *filter, const float *bias,
                                nc_conv2d_plan **plan)
{
    const nci_conv_kernel *kernel = nci_find_conv_kernel(params, nci_active_isa());
    if (kernel == NULL) {
        return NC_STATUS_UNSUPPORTED;
    }
    /* Validation capped the filter at NCI_MAX_FLOAT_COUNT, but a blocked kernel rounds each group's output
     * channels up to its block: with few per group that multiplies the count. The bias is counted in the
     * bound whether or not there is one. */
    const int64_t filter_floats = kernel->packed_count(params);
    if (filter_floats < 0 || filter_floats > NCI_MAX_FLOAT_COUNT - params->out_channels) {
        return NC_STATUS_OVERFLOW;
    }
    const int64_t weight_floats = filter_floats + (bias != NULL ? params->out_channels : 0);
    const size_t weights_size = (size_t)weight_floats * sizeof(float);

    uint8_t *padded_nonfinite_taps = NULL;
    if (nci_find_padded_nonfinite(params, filter_layout, filter, &padded_nonfinite_taps) != NC_STATUS_OK) {
        return NC_STATUS_OUT_OF_MEMORY;
    }
    nc_conv2d_plan *result = malloc(sizeof *result);
    void *storage = allocate_weights(weights_size);
    if (result == NULL || storage == NULL) {
        free(result);
        free(storage);
        free(padded_nonfinite_taps);
        return NC_STATUS_OUT_OF_MEMORY;
    }
    float *weights = (float *)((uintptr_t)storage + WEIGHTS_ALIGNMENT - (uintptr_t)storage % WEIGHTS_ALIGNMENT);
    kernel->pack(params, filter_layout, filter, weights);
    if (bias != NULL) {
        memcpy(weights + filter_floats, bias, (size_t)params->out_channels * sizeof(float));
    }
    *result = (nc_conv2d_plan){
        .params = *params,
        .sizes = *sizes,
        .kernel = kernel,
        .storage = storage,
        .weights = weights,
        .bias = bias != NULL ? weights + filter_floats : NULL,
        .weights_size = weights_size,
        .work = nci_mul_saturate(sizes->output_count,
                                 params->group_in_channels * params->kernel_height * params->kernel_width),
        .channel_units_per_group =
            (params->group_out_channels + kernel->channel_block - 1) / kernel->channel_block,
        .padded_nonfinite_taps = padded_nonfinite_taps,
    };
    *plan = result;
    return NC_STATUS_OK;
}

/* First output channel of channel unit `unit` (units count kernel blocks, group by group). */
static int64_t unit_channel(const nc_conv2d_plan *plan, int64_t unit)
{
    const int64_t group = unit / plan->channel_units_per_group;
    const int64_t offset = (unit % plan->channel_units_per_group) * plan->kernel->channel_block;
    const int64_t kg = plan->params.group_out_channels;
    return group * kg + (offset < kg ? offset : kg);
}

static void conv_task(void *context, size_t index)
{
    const conv_job *job = context;
    const nc_conv2d_plan *plan = job->plan;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    range.channel_begin = unit_channel(plan, range.channel_begin);
    range.channel_end = unit_channel(plan, range.channel_end);
    const nci_conv_params *p = &plan->params;
    plan->kernel->run(p, plan->weights, plan->bias, job->input, job->output, &range);
    if (plan->padded_nonfinite_taps != NULL) {
        nci_mark_padded_nonfinite(p, plan->padded_nonfinite_taps, job->output, &range);
    }
    if (p->layout == NC_LAYOUT_NCHW16C && range.channel_end == p->out_channels) {
        nci_zero_padding_lanes(job->output, p->out_channels, p->out_height, p->out_width, range.batch_begin,
                               range.batch_end, range.row_begin, range.row_end);
    }
}

void nci_conv2d_plan_run(const nc_conv2d_plan *plan, const float *input, float *output,
                         const nc_executor *executor)
{
    if (plan->sizes.output_count == 0) {
        return;
    }
    conv_job job = {.plan = plan, .input = input, .output = output};
    /* A task over some rows and every channel streams all the packed weights; one over some channels and every
     * row streams the input of their groups: the whole image when there is one group, and in NCHW, where each
     * group's planes are contiguous, just those planes (a depthwise NCHW task then reads its own planes only;
     * cut into rows, every task touched every plane and 2 threads ran barely faster than 1). Split the side
     * whose re-reading costs less, counting one group's input against the weights: a rough rule that leans
     * to channel splits, which cost nothing extra when tasks hold whole groups. Kernels that ask for whole
     * planes (planes_first) split channels first whatever the sizes. */
    const int64_t image_bytes = plan->sizes.input_count / (plan->params.batch > 0 ? plan->params.batch : 1) *
                                (int64_t)sizeof(float);
    const int64_t group_bytes = plan->params.layout == NC_LAYOUT_NCHW ? image_bytes / plan->params.groups : image_bytes;
    const bool channels_first = (int64_t)plan->weights_size > group_bytes || plan->kernel->planes_first;
    const int64_t units = plan->params.groups * plan->channel_units_per_group;
    size_t tasks = 0;
    const bool nchw_depthwise = plan->params.layout == NC_LAYOUT_NCHW && plan->params.group_in_channels == 1;
    if (plan->sizes.input_count + plan->sizes.output_count <= CACHED_CONV_FLOATS && plan->work >= CACHED_CONV_MIN_WORK &&
        !nchw_depthwise) {
        tasks = nci_task_grid_init(&job.grid, plan->params.batch, units, plan->params.out_height,
                                   nci_thread_budget(executor, plan->work), channels_first);
    }
    if (tasks == 0 || !nci_task_grid_balanced(&job.grid)) {
        tasks = nci_task_grid_init(&job.grid, plan->params.batch, units, plan->params.out_height,
                                   nci_task_budget(executor, plan->work), channels_first);
    }
    nci_run_tasks(executor, conv_task, &job, tasks);
}

void nci_conv2d_plan_free(nc_conv2d_plan *plan)
{
    if (plan != NULL) {
        free(plan->storage);
        free(plan->padded_nonfinite_taps);
        free(plan);
    }
}
