/* NativeConv's layout reorders beside a plain memcpy of the same bytes, in one process, taking turns.
 *
 * Usage: reorder_vs_memcpy [--reps N] [--min-ms M] [--csv FILE] [--row NAME]
 * For every shape x layout pair x thread count, each repetition times nc_reorder, then memcpy of the
 * tensor (with two threads, each thread copies half, through the same executor); the medians are
 * compared. GB/s = (source + destination bytes) / time, for both. Clocks as conv_vs_onednn.
 * --csv appends lines "row,layout,threads,isa,nativeconv_gbps,peer,peer_gbps,ratio", where layout
 * names the pair (e.g. nchw-nhwc) and peer is memcpy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "bench_options.h"
#include "measure.h"
#include "nativeconv.h"
#include "pthread_executor.h"

typedef struct reorder_row {
    const char *name;
    int64_t channels, size;
} reorder_row;

static const reorder_row rows[] = {
    {"reorder-64x224", 64, 224},
    {"reorder-512x14", 512, 14},
};

static const int32_t pairs[][2] = {
    {NC_LAYOUT_NCHW, NC_LAYOUT_NHWC},    {NC_LAYOUT_NHWC, NC_LAYOUT_NCHW},
    {NC_LAYOUT_NCHW, NC_LAYOUT_NCHW16C}, {NC_LAYOUT_NCHW16C, NC_LAYOUT_NCHW},
    {NC_LAYOUT_NHWC, NC_LAYOUT_NCHW16C}, {NC_LAYOUT_NCHW16C, NC_LAYOUT_NHWC},
};

static const char *layout_name(int32_t layout)
{
    return layout == NC_LAYOUT_NCHW ? "nchw" : layout == NC_LAYOUT_NHWC ? "nhwc" : "nchw16c";
}

typedef struct reorder_call {
    int32_t from, to;
    int64_t channels, size;
    const float *src;
    float *dst;
    size_t src_count, dst_count;
    const nc_executor *executor;
} reorder_call;

static void run_reorder(void *context)
{
    const reorder_call *c = context;
    nc_reorder(c->from, c->to, 1, c->channels, c->size, c->size, c->src, c->src_count, c->dst, c->dst_count,
               c->executor);
}

typedef struct copy_call {
    const float *src;
    float *dst;
    size_t count;
    const nc_executor *executor;
} copy_call;

static void copy_piece(void *context, size_t index)
{
    const copy_call *c = context;
    const size_t pieces = c->executor != NULL ? c->executor->max_threads : 1;
    const size_t begin = c->count * index / pieces, end = c->count * (index + 1) / pieces;
    memcpy(c->dst + begin, c->src + begin, (end - begin) * sizeof(float));
}

static void run_copy(void *context)
{
    const copy_call *c = context;
    if (c->executor == NULL) {
        copy_piece(context, 0);
    } else {
        c->executor->parallel_for(c->executor->context, copy_piece, context, c->executor->max_threads);
    }
}

static size_t tensor_count(int32_t layout, int64_t channels, int64_t size)
{
    const int64_t blocks = (channels + NC_CHANNEL_BLOCK - 1) / NC_CHANNEL_BLOCK;
    const int64_t stored = layout == NC_LAYOUT_NCHW16C ? blocks * NC_CHANNEL_BLOCK : channels;
    return (size_t)(stored * size * size);
}

static void run_case(const reorder_row *row, const int32_t pair[2], int threads, const pthread_executor *pool,
                     const bench_options *opt, FILE *csv)
{
    const char *isa = nc_isa_name(nc_active_isa());
    const size_t src_count = tensor_count(pair[0], row->channels, row->size);
    const size_t dst_count = tensor_count(pair[1], row->channels, row->size);
    float *src = bench_random_buffer((int64_t)src_count, 1), *dst = bench_random_buffer((int64_t)dst_count, 2);
    float *copy = bench_random_buffer((int64_t)src_count, 3);
    const nc_executor *executor = pool != NULL ? pthread_executor_get(pool) : NULL;
    reorder_call reorder = {pair[0], pair[1], row->channels, row->size, src, dst, src_count, dst_count, executor};
    copy_call memcpy_call = {src, copy, src_count, executor};
    const measure_clock clock = threads == 1 ? MEASURE_THREAD_CPU : MEASURE_WALL;
    const nc_status status = nc_reorder(pair[0], pair[1], 1, row->channels, row->size, row->size, src, src_count,
                                        dst, dst_count, executor);
    if (status != NC_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", row->name, nc_status_message(status));
        exit(1);
    }
    run_copy(&memcpy_call);
    double nc_times[BENCH_MAX_REPS], copy_times[BENCH_MAX_REPS];
    for (int r = 0; r < opt->reps; r++) {
        nc_times[r] = measure_seconds_per_call(run_reorder, &reorder, clock, opt->min_seconds);
        copy_times[r] = measure_seconds_per_call(run_copy, &memcpy_call, clock, opt->min_seconds);
    }
    char pair_name[32];
    snprintf(pair_name, sizeof pair_name, "%s-%s", layout_name(pair[0]), layout_name(pair[1]));
    const double nc_gbps = 1e-9 * (double)(src_count + dst_count) * sizeof(float) /
                           measure_median(nc_times, (size_t)opt->reps);
    const double copy_gbps =
        1e-9 * 2.0 * (double)src_count * sizeof(float) / measure_median(copy_times, (size_t)opt->reps);
    printf("%-16s %-16s %d %-6s %8.1f ±%3.0f%% | %8.1f ±%3.0f%% %5.2fx\n", row->name, pair_name, threads, isa,
           nc_gbps, 100 * measure_spread(nc_times, (size_t)opt->reps), copy_gbps,
           100 * measure_spread(copy_times, (size_t)opt->reps), nc_gbps / copy_gbps);
    if (csv != NULL) {
        fprintf(csv, "%s,%s,%d,%s,%.2f,memcpy,%.2f,%.3f\n", row->name, pair_name, threads, isa, nc_gbps, copy_gbps,
                nc_gbps / copy_gbps);
    }
    fflush(stdout);
    free(src);
    free(dst);
    free(copy);
}

int main(int argc, char **argv)
{
    const bench_options opt = bench_parse_options(argc, argv, false);
    FILE *csv = opt.csv != NULL ? fopen(opt.csv, "a") : NULL;
    printf("NativeConv %s, isa %s; %d repetitions of >= %.0f ms each; GB/s from the median, ± (max-min)/median\n",
           nc_version_string(), nc_isa_name(nc_active_isa()), opt.reps, opt.min_seconds * 1e3);
    printf("%-16s %-16s %s %-6s %15s | %s\n", "row", "layouts", "t", "isa", "nc_reorder GB/s",
           "memcpy GB/s, reorder/memcpy");
    for (int threads = 1; threads <= 2; threads++) {
        pthread_executor *pool = threads > 1 ? pthread_executor_create((size_t)threads) : NULL;
        for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
            if (!bench_row_selected(&opt, rows[r].name)) {
                continue;
            }
            for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
                run_case(&rows[r], pairs[p], threads, pool, &opt, csv);
            }
        }
        pthread_executor_destroy(pool);
    }
    if (csv != NULL) {
        fclose(csv);
    }
    return 0;
}
