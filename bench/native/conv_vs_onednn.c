/* NativeConv against oneDNN on the convolution suite, in one process, the contenders taking turns.
 *
 * Usage: conv_vs_onednn [--reps N] [--min-ms M] [--csv FILE] [--plan-csv FILE] [--row NAME]
 * For every row x layout x thread count, each repetition times NativeConv, then oneDNN with blocked
 * layouts, then oneDNN with the row's plain layout; the medians are compared. One timing repeats the
 * call until M ms have passed. One thread: CPU time of the calling thread; two threads: wall time.
 * The ISA is NativeConv's active one, capped by NATIVECONV_MAX_ISA; run a second process with
 * NATIVECONV_MAX_ISA=avx2 ONEDNN_MAX_CPU_ISA=AVX2 for the AVX2 rows (oneDNN reads its cap once).
 * --csv appends lines "row,layout,threads,isa,nativeconv_gflops,peer,peer_gflops,ratio";
 * --plan-csv appends "row,layout,isa,kernel,plan_ms" (median of the plan creation wall times). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_options.h"
#include "measure.h"
#include "nativeconv.h"
#include "onednn_peer.h"
#include "pthread_executor.h"

#define PLAN_REPS 5

typedef struct conv_row {
    const char *name;
    int64_t batch, in_channels, out_channels, size, kernel, stride, groups;
    int64_t pad; /* -1: 'same' (SAME_UPPER) */
} conv_row;

static const conv_row rows[] = {
    {"seed-5x5", 1, 3, 32, 224, 5, 1, 1, -1},         {"vgg-conv1_2", 1, 64, 64, 224, 3, 1, 1, -1},
    {"vgg-conv3_2", 1, 256, 256, 56, 3, 1, 1, -1},    {"vgg-conv5_2", 1, 512, 512, 14, 3, 1, 1, -1},
    {"resnet-conv1", 1, 3, 64, 224, 7, 2, 1, 3},      {"resnet-3x3-c2", 1, 64, 64, 56, 3, 1, 1, -1},
    {"resnet-3x3-c4", 1, 256, 256, 14, 3, 1, 1, -1},  {"resnet-1x1-c3", 1, 512, 128, 28, 1, 1, 1, 0},
    {"resnet-3x3-s2", 1, 128, 128, 56, 3, 2, 1, -1},  {"mobilenet-dw", 1, 256, 256, 28, 3, 1, 256, -1},
    {"batch8-c3", 8, 128, 128, 28, 3, 1, 1, -1},
};

static const char *const peer_names[] = {"onednn-blocked", "onednn-same-layout"};

typedef struct nativeconv_call {
    const nc_conv2d_plan *plan;
    const float *input;
    float *output;
    size_t input_count, output_count;
    const nc_executor *executor;
} nativeconv_call;

static void run_nativeconv(void *context)
{
    const nativeconv_call *c = context;
    nc_conv2d_plan_execute(c->plan, c->input, c->input_count, c->output, c->output_count, c->executor);
}

static nc_conv2d_desc row_desc(const conv_row *row, int32_t layout)
{
    int64_t pad_begin = row->pad, pad_end = row->pad;
    if (row->pad < 0) {
        nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, row->size, row->kernel, row->stride, 1, &pad_begin, &pad_end);
    }
    return (nc_conv2d_desc){.batch = row->batch, .in_channels = row->in_channels, .in_height = row->size,
                            .in_width = row->size, .out_channels = row->out_channels,
                            .kernel_height = row->kernel, .kernel_width = row->kernel,
                            .stride_height = row->stride, .stride_width = row->stride, .pad_top = pad_begin,
                            .pad_bottom = pad_end, .pad_left = pad_begin, .pad_right = pad_end,
                            .dilation_height = 1, .dilation_width = 1, .groups = row->groups,
                            .layout = layout, .filter_layout = NC_FILTER_OIHW};
}

static double plan_create_ms(const nc_conv2d_desc *d, const float *filter, const float *bias,
                             const nc_tensor_sizes *s)
{
    double ms[PLAN_REPS];
    for (int r = 0; r < PLAN_REPS; r++) {
        nc_conv2d_plan *plan = NULL;
        const double start = measure_wall_seconds();
        nc_conv2d_plan_create(d, filter, (size_t)s->filter_count, bias, (size_t)s->bias_count, &plan);
        ms[r] = 1e3 * (measure_wall_seconds() - start);
        nc_conv2d_plan_destroy(plan);
    }
    return measure_median(ms, PLAN_REPS);
}

static void run_case(const conv_row *row, int32_t layout, int threads, const pthread_executor *pool,
                     const bench_options *opt, FILE *csv, FILE *plan_csv)
{
    const char *layout_name = layout == NC_LAYOUT_NCHW ? "nchw" : layout == NC_LAYOUT_NHWC ? "nhwc" : "nchw16c";
    const char *isa = nc_isa_name(nc_active_isa());
    const nc_conv2d_desc d = row_desc(row, layout);
    nc_tensor_sizes s;
    char message[256];
    if (nc_conv2d_query(&d, &s, message, sizeof message) != NC_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", row->name, message);
        exit(1);
    }
    float *x = bench_random_buffer(s.input_count, 1), *w = bench_random_buffer(s.filter_count, 2);
    float *b = bench_random_buffer(s.bias_count, 3), *y = bench_random_buffer(s.output_count, 4);
    float *peer_y = bench_random_buffer(s.output_count, 5);
    nc_conv2d_plan *plan = NULL;
    if (nc_conv2d_plan_create(&d, w, (size_t)s.filter_count, b, (size_t)s.bias_count, &plan) != NC_STATUS_OK) {
        fprintf(stderr, "%s: plan creation failed\n", row->name);
        exit(1);
    }
    if (threads == 1) {
        const double ms = plan_create_ms(&d, w, b, &s);
        if (plan_csv != NULL) {
            fprintf(plan_csv, "%s,%s,%s,%s,%.3f\n", row->name, layout_name, isa, nc_conv2d_plan_kernel_name(plan), ms);
        }
    }
    nativeconv_call call = {plan, x, y, (size_t)s.input_count, (size_t)s.output_count,
                            pool != NULL ? pthread_executor_get(pool) : NULL};
    onednn_primitive *peers[2] = {onednn_conv_create(&d, ONEDNN_BLOCKED, x, w, b),
                                  onednn_conv_create(&d, ONEDNN_SAME_LAYOUT, x, w, b)};
    const measure_clock clock = threads == 1 ? MEASURE_THREAD_CPU : MEASURE_WALL;

    run_nativeconv(&call);
    for (int p = 0; p < 2; p++) {
        if (peers[p] != NULL) {
            onednn_run(peers[p]);
            onednn_copy_output(peers[p], peer_y);
            const double diff = bench_relative_difference(y, peer_y, (size_t)s.output_count);
            if (diff > 1e-4) {
                fprintf(stderr, "MISMATCH %s %s %s: relative difference %.3g\n", row->name, layout_name,
                        peer_names[p], diff);
            }
        }
    }

    double nc_times[BENCH_MAX_REPS], peer_times[2][BENCH_MAX_REPS];
    for (int r = 0; r < opt->reps; r++) {
        nc_times[r] = measure_seconds_per_call(run_nativeconv, &call, clock, opt->min_seconds);
        for (int p = 0; p < 2; p++) {
            if (peers[p] != NULL) {
                peer_times[p][r] = measure_seconds_per_call(onednn_run, peers[p], clock, opt->min_seconds);
            }
        }
    }
    const double flops = 2.0 * (double)d.batch * (double)(d.out_channels * (d.in_channels / d.groups)) *
                         (double)(d.kernel_height * d.kernel_width) * (double)(s.out_height * s.out_width);
    const double nc_gflops = 1e-9 * flops / measure_median(nc_times, (size_t)opt->reps);
    printf("%-14s %-7s %d %-6s %8.1f ±%3.0f%% %-24s", row->name, layout_name, threads, isa, nc_gflops,
           100 * measure_spread(nc_times, (size_t)opt->reps), nc_conv2d_plan_kernel_name(plan));
    bool any_peer = false;
    for (int p = 0; p < 2; p++) {
        if (peers[p] == NULL) {
            continue;
        }
        any_peer = true;
        const double peer_gflops = 1e-9 * flops / measure_median(peer_times[p], (size_t)opt->reps);
        printf(" | %8.1f ±%3.0f%% %5.2fx %-22s", peer_gflops, 100 * measure_spread(peer_times[p], (size_t)opt->reps),
               nc_gflops / peer_gflops, onednn_impl_name(peers[p]));
        if (csv != NULL) {
            fprintf(csv, "%s,%s,%d,%s,%.2f,%s,%.2f,%.3f\n", row->name, layout_name, threads, isa, nc_gflops,
                    peer_names[p], peer_gflops, nc_gflops / peer_gflops);
        }
        onednn_destroy(peers[p]);
    }
    if (!any_peer && csv != NULL) {
        fprintf(csv, "%s,%s,%d,%s,%.2f,none,,\n", row->name, layout_name, threads, isa, nc_gflops);
    }
    printf("\n");
    fflush(stdout);
    nc_conv2d_plan_destroy(plan);
    free(x);
    free(w);
    free(b);
    free(y);
    free(peer_y);
}

int main(int argc, char **argv)
{
    onednn_bind_threads(argv);
    const bench_options opt = bench_parse_options(argc, argv, true);
    FILE *csv = opt.csv != NULL ? fopen(opt.csv, "a") : NULL;
    FILE *plan_csv = opt.plan_csv != NULL ? fopen(opt.plan_csv, "a") : NULL;
    const char *onednn_cap = getenv("ONEDNN_MAX_CPU_ISA");
    printf("NativeConv %s, isa %s; ", nc_version_string(), nc_isa_name(nc_active_isa()));
    if (onednn_available()) {
        printf("oneDNN %s, ONEDNN_MAX_CPU_ISA=%s\n", onednn_version_string(), onednn_cap != NULL ? onednn_cap : "(unset)");
    } else {
        printf("oneDNN not found: skipped\n");
    }
    printf("%d repetitions of >= %.0f ms each; GFLOP/s from the median, ± (max-min)/median\n", opt.reps,
           opt.min_seconds * 1e3);
    printf("%-14s %-4s %s %-6s %15s %-24s | %-45s | %s\n", "row", "lay", "t", "isa", "NativeConv GF/s", "kernel",
           "oneDNN blocked GF/s, NativeConv/oneDNN, impl", "oneDNN same layout");
    for (int threads = 1; threads <= 2; threads++) {
        onednn_set_threads(threads);
        pthread_executor *pool = threads > 1 ? pthread_executor_create((size_t)threads) : NULL;
        for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
            if (!bench_row_selected(&opt, rows[r].name)) {
                continue;
            }
            for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NCHW16C; layout++) {
                run_case(&rows[r], layout, threads, pool, &opt, csv, plan_csv);
            }
        }
        pthread_executor_destroy(pool);
    }
    if (csv != NULL) {
        fclose(csv);
    }
    if (plan_csv != NULL) {
        fclose(plan_csv);
    }
    return 0;
}
