/* Single-thread GB/s of pooling (nc_pool2d_plan_execute) on the rows in both layouts, and of
 * NCHW <-> NHWC reorders beside memcpy of the same bytes.
 * Usage: pool_bench [repetitions] [isa]   (isa: scalar|avx2|avx512, default: best available)
 * GB/s = (input + output bytes) / median seconds; memcpy counts the bytes it reads and writes the same
 * way. Each timed run repeats the call until it has used 50 ms of process CPU time (clock), so other
 * work sharing the machine is not charged to the benchmark; the median of the runs is printed. A
 * reorder's ratio to memcpy is the median over runs each paired with a memcpy run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nativeconv.h"

#include "bench_util.h"

typedef struct pool_row {
    const char *name;
    int32_t kind;
    int64_t batch, channels, size, kernel, stride, pad;
    uint32_t flags;
} pool_row;

static const pool_row pool_rows[] = {
    {"maxpool 2x2 s2 64x224^2", NC_POOL_MAX, 1, 64, 224, 2, 2, 0, 0},
    {"maxpool 2x2 s2 256x56^2", NC_POOL_MAX, 1, 256, 56, 2, 2, 0, 0},
    {"maxpool 3x3 s2 p1 64x112^2", NC_POOL_MAX, 1, 64, 112, 3, 2, 1, 0},
    {"avgpool 2x2 s2 256x56^2", NC_POOL_AVERAGE, 1, 256, 56, 2, 2, 0, 0},
    {"avgpool 3x3 s1 p1 128x56^2", NC_POOL_AVERAGE, 1, 128, 56, 3, 1, 1, 0},
    {"global avg 2048x7^2 N=8", NC_POOL_AVERAGE, 8, 2048, 7, 7, 1, 0, NC_POOL2D_GLOBAL},
};

typedef struct reorder_row {
    const char *name;
    int64_t channels, size;
} reorder_row;

static const reorder_row reorder_rows[] = {{"64x224^2", 64, 224}, {"512x14^2", 512, 14}};

typedef enum job_kind { JOB_POOL, JOB_REORDER, JOB_MEMCPY } job_kind;

typedef struct job {
    job_kind kind;
    const nc_pool2d_plan *plan;
    int32_t src_layout, dst_layout;
    int64_t channels, size;
    const float *x;
    float *y;
    int64_t in_count, out_count;
} job;

static void run_job(const job *j)
{
    if (j->kind == JOB_POOL) {
        nc_pool2d_plan_execute(j->plan, j->x, (size_t)j->in_count, j->y, (size_t)j->out_count, NULL);
    } else if (j->kind == JOB_REORDER) {
        nc_reorder(j->src_layout, j->dst_layout, 1, j->channels, j->size, j->size, j->x, (size_t)j->in_count, j->y,
                   (size_t)j->out_count, NULL);
    } else {
        memcpy(j->y, j->x, (size_t)j->in_count * sizeof(float));
    }
}

/* Seconds of one call, averaged over as many calls as fill 50 ms of process CPU time. */
static double time_once(const job *j)
{
    int iterations = 0;
    const double start = cpu_seconds();
    double elapsed;
    do {
        run_job(j);
        iterations++;
        elapsed = cpu_seconds() - start;
    } while (elapsed < 0.05);
    return elapsed / iterations;
}

static int clamp_runs(int repetitions)
{
    return repetitions < 1 ? 1 : repetitions > 64 ? 64 : repetitions;
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof values[0], compare_doubles);
    return values[count / 2];
}

/* Median seconds of one call. */
static double time_job(const job *j, int repetitions)
{
    double seconds[64];
    const int runs = clamp_runs(repetitions);
    run_job(j);
    for (int r = 0; r < runs; r++) {
        seconds[r] = time_once(j);
    }
    return median(seconds, runs);
}

static double gbps(const job *j, double seconds)
{
    return (double)(j->in_count + j->out_count) * sizeof(float) / seconds * 1e-9;
}

int main(int argc, char **argv)
{
    const int repetitions = argc > 1 ? atoi(argv[1]) : 7;
    if (argc > 2) {
        for (int32_t isa = NC_ISA_SCALAR; isa <= NC_ISA_NEON; isa++) {
            if (strcmp(argv[2], nc_isa_name(isa)) == 0) {
                nc_set_max_isa(isa);
            }
        }
    }
    printf("isa %s, single thread, median of %d runs (process CPU time)\n", nc_isa_name(nc_active_isa()),
           repetitions);
    printf("%-28s %-7s %-26s %10s %8s\n", "row", "layout", "kernel", "median ms", "GB/s");
    for (size_t i = 0; i < sizeof pool_rows / sizeof pool_rows[0]; i++) {
        const pool_row *row = &pool_rows[i];
        for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NCHW16C; layout++) {
            const nc_pool2d_desc d = {.batch = row->batch, .channels = row->channels, .in_height = row->size,
                                      .in_width = row->size, .kernel_height = row->kernel,
                                      .kernel_width = row->kernel, .stride_height = row->stride,
                                      .stride_width = row->stride, .pad_top = row->pad, .pad_bottom = row->pad,
                                      .pad_left = row->pad, .pad_right = row->pad, .dilation_height = 1,
                                      .dilation_width = 1, .kind = row->kind, .layout = layout, .flags = row->flags};
            nc_tensor_sizes s;
            nc_pool2d_plan *plan = NULL;
            if (nc_pool2d_query(&d, &s, NULL, 0) != NC_STATUS_OK || nc_pool2d_plan_create(&d, &plan) != NC_STATUS_OK) {
                return 1;
            }
            float *x = random_buffer(s.input_count), *y = random_buffer(s.output_count);
            const job j = {.kind = JOB_POOL, .plan = plan, .x = x, .y = y, .in_count = s.input_count,
                           .out_count = s.output_count};
            const double median = time_job(&j, repetitions);
            printf("%-28s %-7s %-26s %10.3f %8.1f\n", row->name, layout_name(layout),
                   nc_pool2d_plan_kernel_name(plan), 1e3 * median, gbps(&j, median));
            nc_pool2d_plan_destroy(plan);
            free(x);
            free(y);
        }
    }
    printf("\n%-28s %-17s %10s %8s %12s %8s\n", "reorder", "direction", "median ms", "GB/s", "memcpy GB/s", "ratio");
    for (size_t i = 0; i < sizeof reorder_rows / sizeof reorder_rows[0]; i++) {
        const reorder_row *row = &reorder_rows[i];
        const int64_t count = row->channels * row->size * row->size;
        float *x = random_buffer(count), *y = random_buffer(count);
        const job copy = {.kind = JOB_MEMCPY, .x = x, .y = y, .in_count = count, .out_count = count};
        static const int32_t directions[][2] = {
            {NC_LAYOUT_NCHW, NC_LAYOUT_NHWC},    {NC_LAYOUT_NHWC, NC_LAYOUT_NCHW},    {NC_LAYOUT_NCHW, NC_LAYOUT_NCHW16C},
            {NC_LAYOUT_NCHW16C, NC_LAYOUT_NCHW}, {NC_LAYOUT_NHWC, NC_LAYOUT_NCHW16C}, {NC_LAYOUT_NCHW16C, NC_LAYOUT_NHWC},
        };
        for (size_t d = 0; d < sizeof directions / sizeof directions[0]; d++) {
            const job j = {.kind = JOB_REORDER, .src_layout = directions[d][0], .dst_layout = directions[d][1],
                           .channels = row->channels, .size = row->size, .x = x, .y = y, .in_count = count,
                           .out_count = count};
            /* Each reorder run is paired with a memcpy run right after it, and the ratio is the median of
             * the pairs' ratios: other work on a shared machine moves memory speed from run to run. */
            double reorder_seconds[64], copy_seconds[64], ratios[64];
            const int runs = clamp_runs(repetitions);
            run_job(&j);
            run_job(&copy);
            for (int r = 0; r < runs; r++) {
                reorder_seconds[r] = time_once(&j);
                copy_seconds[r] = time_once(&copy);
                ratios[r] = copy_seconds[r] / reorder_seconds[r];
            }
            const double median_seconds = median(reorder_seconds, runs);
            char direction[32];
            snprintf(direction, sizeof direction, "%s->%s", layout_name(directions[d][0]), layout_name(directions[d][1]));
            printf("%-28s %-17s %10.3f %8.1f %12.1f %8.2f\n", row->name, direction, 1e3 * median_seconds,
                   gbps(&j, median_seconds), gbps(&copy, median(copy_seconds, runs)), median(ratios, runs));
        }
        free(x);
        free(y);
    }
    return 0;
}
