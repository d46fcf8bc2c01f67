/* NativeConv against oneDNN on the pooling suite, same process, contenders taking turns, both in the
 * row's layout, except where oneDNN has no usable nChw16c pooling (onednn_pool_create): its nChw8c then
 * stands in for the NCHW16c rows, named onednn-blocked in the CSV. Options and clocks as conv_vs_onednn;
 * --csv appends lines "row,layout,threads,isa,nativeconv_gbps,peer,peer_gbps,ratio" with
 * GB/s = (input + output bytes) / time. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_options.h"
#include "measure.h"
#include "nativeconv.h"
#include "onednn_peer.h"
#include "pthread_executor.h"

typedef struct pool_row {
    const char *name;
    int32_t kind;
    uint32_t flags;
    int64_t batch, channels, size, kernel, stride, pad;
} pool_row;

static const pool_row rows[] = {
    {"maxpool-2x2s2-64x224", NC_POOL_MAX, 0, 1, 64, 224, 2, 2, 0},
    {"maxpool-2x2s2-256x56", NC_POOL_MAX, 0, 1, 256, 56, 2, 2, 0},
    {"maxpool-3x3s2p1-64x112", NC_POOL_MAX, 0, 1, 64, 112, 3, 2, 1},
    {"avgpool-2x2s2-256x56", NC_POOL_AVERAGE, 0, 1, 256, 56, 2, 2, 0},
    {"avgpool-3x3s1p1-128x56", NC_POOL_AVERAGE, 0, 1, 128, 56, 3, 1, 1},
    {"globalavg-8x2048x7", NC_POOL_AVERAGE, NC_POOL2D_GLOBAL, 8, 2048, 7, 1, 1, 0},
};

typedef struct nativeconv_call {
    const nc_pool2d_plan *plan;
    const float *input;
    float *output;
    size_t input_count, output_count;
    const nc_executor *executor;
} nativeconv_call;

static void run_nativeconv(void *context)
{
    const nativeconv_call *c = context;
    nc_pool2d_plan_execute(c->plan, c->input, c->input_count, c->output, c->output_count, c->executor);
}

static void run_case(const pool_row *row, int32_t layout, int threads, const pthread_executor *pool,
                     const bench_options *opt, FILE *csv)
{
    const char *layout_name = layout == NC_LAYOUT_NCHW ? "nchw" : layout == NC_LAYOUT_NHWC ? "nhwc" : "nchw16c";
    const char *isa = nc_isa_name(nc_active_isa());
    const nc_pool2d_desc d = {.batch = row->batch, .channels = row->channels, .in_height = row->size,
                              .in_width = row->size, .kernel_height = row->kernel, .kernel_width = row->kernel,
                              .stride_height = row->stride, .stride_width = row->stride, .pad_top = row->pad,
                              .pad_bottom = row->pad, .pad_left = row->pad, .pad_right = row->pad,
                              .dilation_height = 1, .dilation_width = 1, .kind = row->kind, .layout = layout,
                              .flags = row->flags};
    nc_tensor_sizes s;
    nc_pool2d_plan *plan = NULL;
    char message[256];
    if (nc_pool2d_query(&d, &s, message, sizeof message) != NC_STATUS_OK || nc_pool2d_plan_create(&d, &plan) != NC_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", row->name, message);
        exit(1);
    }
    float *x = bench_random_buffer(s.input_count, 1), *y = bench_random_buffer(s.output_count, 2);
    float *peer_y = bench_random_buffer(s.output_count, 3);
    nativeconv_call call = {plan, x, y, (size_t)s.input_count, (size_t)s.output_count,
                            pool != NULL ? pthread_executor_get(pool) : NULL};
    onednn_primitive *peer = onednn_pool_create(&d, x);
    const measure_clock clock = threads == 1 ? MEASURE_THREAD_CPU : MEASURE_WALL;

    run_nativeconv(&call);
    if (peer != NULL) {
        onednn_run(peer);
        onednn_copy_output(peer, peer_y);
        const double diff = bench_relative_difference(y, peer_y, (size_t)s.output_count);
        if (diff > 1e-5) {
            fprintf(stderr, "MISMATCH %s %s: relative difference %.3g\n", row->name, layout_name, diff);
        }
    }
    double nc_times[BENCH_MAX_REPS], peer_times[BENCH_MAX_REPS];
    for (int r = 0; r < opt->reps; r++) {
        nc_times[r] = measure_seconds_per_call(run_nativeconv, &call, clock, opt->min_seconds);
        if (peer != NULL) {
            peer_times[r] = measure_seconds_per_call(onednn_run, peer, clock, opt->min_seconds);
        }
    }
    const double bytes = (double)(s.input_count + s.output_count) * sizeof(float);
    const double nc_gbps = 1e-9 * bytes / measure_median(nc_times, (size_t)opt->reps);
    printf("%-24s %-7s %d %-6s %8.1f ±%3.0f%% %-22s", row->name, layout_name, threads, isa, nc_gbps,
           100 * measure_spread(nc_times, (size_t)opt->reps), nc_pool2d_plan_kernel_name(plan));
    if (peer != NULL) {
        const double peer_gbps = 1e-9 * bytes / measure_median(peer_times, (size_t)opt->reps);
        /* oneDNN's blocked layout can be nChw8c where NativeConv's is NCHW16c: the same bytes, blocked by 8. */
        const bool same_layout = strcmp(onednn_format_name(peer), layout_name) == 0;
        printf(" | %8.1f ±%3.0f%% %5.2fx %s %s", peer_gbps, 100 * measure_spread(peer_times, (size_t)opt->reps),
               nc_gbps / peer_gbps, onednn_impl_name(peer), onednn_format_name(peer));
        if (csv != NULL) {
            fprintf(csv, "%s,%s,%d,%s,%.2f,%s,%.2f,%.3f\n", row->name, layout_name, threads, isa, nc_gbps,
                    same_layout ? "onednn-same-layout" : "onednn-blocked", peer_gbps, nc_gbps / peer_gbps);
        }
        onednn_destroy(peer);
    } else if (csv != NULL) {
        fprintf(csv, "%s,%s,%d,%s,%.2f,none,,\n", row->name, layout_name, threads, isa, nc_gbps);
    }
    printf("\n");
    fflush(stdout);
    nc_pool2d_plan_destroy(plan);
    free(x);
    free(y);
    free(peer_y);
}

int main(int argc, char **argv)
{
    onednn_bind_threads(argv);
    const bench_options opt = bench_parse_options(argc, argv, false);
    FILE *csv = opt.csv != NULL ? fopen(opt.csv, "a") : NULL;
    printf("NativeConv %s, isa %s; %s%s\n", nc_version_string(), nc_isa_name(nc_active_isa()),
           onednn_available() ? "oneDNN " : "oneDNN not found: skipped", onednn_version_string());
    printf("%-24s %-4s %s %-6s %15s %-22s | %s\n", "row", "lay", "t", "isa", "NativeConv GB/s", "kernel",
           "oneDNN GB/s, NativeConv/oneDNN, impl, layout");
    for (int threads = 1; threads <= 2; threads++) {
        onednn_set_threads(threads);
        pthread_executor *pool = threads > 1 ? pthread_executor_create((size_t)threads) : NULL;
        for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
            if (!bench_row_selected(&opt, rows[r].name)) {
                continue;
            }
            for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NCHW16C; layout++) {
                run_case(&rows[r], layout, threads, pool, &opt, csv);
            }
        }
        pthread_executor_destroy(pool);
    }
    if (csv != NULL) {
        fclose(csv);
    }
    return 0;
}
