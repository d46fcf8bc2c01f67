/* Results must be bitwise identical whatever the executor's thread count, because the work is split
 * over output elements only. Uses a small pthread executor like one a caller would write. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "nativeconv.h"
#include "test_util.h"

typedef struct job {
    nc_task_fn task;
    void *task_context;
    size_t task_count;
    atomic_size_t next;
} job;

typedef struct pool_stats {
    atomic_size_t calls; /* parallel_for invocations, to prove the executor was used */
} pool_stats;

static void *worker(void *argument)
{
    job *j = argument;
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->task_count;) {
        j->task(j->task_context, i);
    }
    return NULL;
}

/* Starts up to 7 threads per call; each pulls task indices until none are left. */
static void parallel_for(void *context, nc_task_fn task, void *task_context, size_t task_count)
{
    pool_stats *stats = context;
    atomic_fetch_add(&stats->calls, 1);
    job j = {.task = task, .task_context = task_context, .task_count = task_count};
    atomic_init(&j.next, 0);
    pthread_t threads[7];
    size_t started = 0;
    while (started < 7 && started < task_count && pthread_create(&threads[started], NULL, worker, &j) == 0) {
        started++;
    }
    worker(&j); /* the calling thread helps, so progress never depends on thread creation */
    for (size_t t = 0; t < started; t++) {
        pthread_join(threads[t], NULL);
    }
}

static float *random_floats(test_rng *rng, size_t count)
{
    float *p = malloc(count * sizeof(float));
    if (p == NULL) {
        exit(2);
    }
    for (size_t i = 0; i < count; i++) {
        p[i] = test_float(rng);
    }
    return p;
}

static void check_conv(test_rng *rng, nc_conv2d_desc d, pool_stats *stats)
{
    nc_tensor_sizes s;
    CHECK_STATUS(nc_conv2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    float *x = random_floats(rng, (size_t)s.input_count), *w = random_floats(rng, (size_t)s.filter_count);
    float *b = random_floats(rng, (size_t)s.bias_count), *previous = random_floats(rng, (size_t)s.output_count);
    float *serial = malloc((size_t)s.output_count * sizeof(float));
    float *threaded = malloc((size_t)s.output_count * sizeof(float));
    nc_conv2d_plan *plan = NULL;
    CHECK_STATUS(nc_conv2d_plan_create(&d, w, (size_t)s.filter_count, b, (size_t)s.bias_count, &plan),
                 NC_STATUS_OK);
    memcpy(serial, previous, (size_t)s.output_count * sizeof(float));
    CHECK_STATUS(nc_conv2d_plan_execute(plan, x, (size_t)s.input_count, serial, (size_t)s.output_count, NULL),
                 NC_STATUS_OK);
    const size_t thread_counts[] = {1, 2, 3, 4, 7};
    for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
        nc_executor executor = {.context = stats, .parallel_for = parallel_for, .max_threads = thread_counts[t]};
        memcpy(threaded, previous, (size_t)s.output_count * sizeof(float));
        CHECK_STATUS(nc_conv2d_plan_execute(plan, x, (size_t)s.input_count, threaded, (size_t)s.output_count,
                                            &executor),
                     NC_STATUS_OK);
        CHECK(memcmp(serial, threaded, (size_t)s.output_count * sizeof(float)) == 0);
    }
    nc_conv2d_plan_destroy(plan);
    free(x);
    free(w);
    free(b);
    free(previous);
    free(serial);
    free(threaded);
}

static void check_pool(test_rng *rng, nc_pool2d_desc d, pool_stats *stats)
{
    nc_tensor_sizes s;
    CHECK_STATUS(nc_pool2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    float *x = random_floats(rng, (size_t)s.input_count);
    float *serial = malloc((size_t)s.output_count * sizeof(float));
    float *threaded = malloc((size_t)s.output_count * sizeof(float));
    CHECK_STATUS(nc_pool2d(&d, x, (size_t)s.input_count, serial, (size_t)s.output_count, NULL), NC_STATUS_OK);
    const size_t thread_counts[] = {1, 2, 3, 4, 7};
    for (size_t t = 0; t < sizeof thread_counts / sizeof thread_counts[0]; t++) {
        nc_executor executor = {.context = stats, .parallel_for = parallel_for, .max_threads = thread_counts[t]};
        memset(threaded, 0xff, (size_t)s.output_count * sizeof(float));
        CHECK_STATUS(nc_pool2d(&d, x, (size_t)s.input_count, threaded, (size_t)s.output_count, &executor),
                     NC_STATUS_OK);
        CHECK(memcmp(serial, threaded, (size_t)s.output_count * sizeof(float)) == 0);
    }
    free(x);
    free(serial);
    free(threaded);
}

int main(void)
{
    test_rng rng = {99u};
    pool_stats stats;
    atomic_init(&stats.calls, 0);
    for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NCHW16C; layout++) {
        /* Large enough to be split, with sizes that do not divide evenly into tasks. */
        nc_conv2d_desc conv = {.batch = 3, .in_channels = 6, .in_height = 23, .in_width = 19, .out_channels = 10,
                               .kernel_height = 3, .kernel_width = 3, .stride_height = 1, .stride_width = 2,
                               .pad_top = 1, .pad_bottom = 2, .pad_left = 1, .pad_right = 0,
                               .dilation_height = 1, .dilation_width = 1, .groups = 2, .layout = layout,
                               .activation = NC_ACTIVATION_RELU, .flags = NC_CONV2D_ACCUMULATE};
        check_conv(&rng, conv, &stats);
        conv.batch = 1; /* one image: the split must go over rows and channels */
        conv.groups = 6;
        conv.out_channels = 24; /* channel multiplier 4 */
        conv.filter_layout = NC_FILTER_HWIO;
        check_conv(&rng, conv, &stats);
        /* 9 rows leave channel chunks of 5 for 7 threads, which start inside a group of 10 channels. */
        conv.in_height = 9;
        conv.groups = 2;
        conv.out_channels = 20;
        check_conv(&rng, conv, &stats);
        /* Channel counts past the SIMD kernels' channel blocks (64, 24, 8, 4 per group) with tails, so
         * tasks split groups at block boundaries. */
        conv.in_channels = 40;
        conv.out_channels = 150;
        conv.in_width = 37;
        check_conv(&rng, conv, &stats);
        /* Depthwise: channel-in-lane kernels see task channel ranges starting anywhere (in NCHW16c on AVX-512,
         * ranges that hold four whole blocks from a block's start take tiles across them). */
        conv.in_channels = conv.out_channels = conv.groups = 70;
        conv.stride_width = 1;
        check_conv(&rng, conv, &stats);
        /* Depthwise with output rows as wide as the input's: AVX2 runs tiles over whole planes. With fewer
         * channels than tasks the split also cuts rows, so a task's row range moves where tiles start (tall
         * enough to be split at all). */
        conv.in_channels = conv.out_channels = conv.groups = 3;
        conv.in_height = 40;
        conv.pad_right = 1;
        check_conv(&rng, conv, &stats);
        /* The same on rows at most DW_PLANE_MAX_WIDTH wide, where AVX-512 runs plane tiles too. */
        conv.in_height = 80;
        conv.in_width = 20;
        check_conv(&rng, conv, &stats);
        conv.in_width = 37;
        /* Stride 1 with output rows as wide as the input rows: NCHW tiles run across row boundaries, so a
         * task's row range moves where tiles start. */
        conv.in_channels = 4;
        conv.groups = 2;
        conv.out_channels = 34;
        conv.in_height = 21;
        conv.pad_right = 1;
        check_conv(&rng, conv, &stats);
        /* More input channels than the NCHW plane kernel sums in one slice: running sums cross slices. */
        conv.in_channels = 240;
        conv.out_channels = 20;
        conv.in_height = 9;
        check_conv(&rng, conv, &stats);
        /* Planes of 1024+ pixels: tiles crossing a border copy their taps per slice on AVX2 and NEON
         * (COPY_MIN_PLANE in conv_nchw_plane_template.h), also in tasks whose rows start mid-plane. */
        conv.in_channels = 48;
        conv.out_channels = 36;
        conv.in_height = 40;
        check_conv(&rng, conv, &stats);
        /* Fewer rows than tasks: the split cuts channel ranges, so some tasks hold chunks of one block,
         * which read the tensor, next to tasks that copy. */
        conv.in_height = 4;
        conv.in_width = 300;
        check_conv(&rng, conv, &stats);

        nc_pool2d_desc pool = {.batch = 2, .channels = 16, .in_height = 32, .in_width = 29, .kernel_height = 3,
                               .kernel_width = 3, .stride_height = 2, .stride_width = 2, .pad_top = 1,
                               .pad_bottom = 1, .pad_left = 1, .pad_right = 1, .dilation_height = 1,
                               .dilation_width = 1, .kind = NC_POOL_MAX, .layout = layout,
                               .flags = NC_POOL2D_CEIL_MODE};
        check_pool(&rng, pool, &stats);
        pool.kind = NC_POOL_AVERAGE;
        pool.batch = 1;
        check_pool(&rng, pool, &stats);
        /* Global pooling folds planes in vector-wide groups: a task's channel range that ends mid-group must
         * not change how a plane sums (35 channels leave remainders for every split). */
        nc_pool2d_desc global = {.batch = 3, .channels = 35, .in_height = 11, .in_width = 36, .kind = NC_POOL_AVERAGE,
                                 .layout = layout, .flags = NC_POOL2D_GLOBAL};
        check_pool(&rng, global, &stats);
        global.kind = NC_POOL_MAX;
        check_pool(&rng, global, &stats);
    }
    /* NCHW16c pooling tiles span neighbouring blocks, as many as each ISA's tile holds. With few rows the split
     * cuts the channels too, and a task's range must keep to whole blocks. With 9 blocks, 2 threads' 8 tasks
     * take whole blocks of every row (pool_plan.c's short row pieces), and 3, 4 and 7 threads split rows first. */
    const int32_t best = nc_active_isa();
    size_t capped_runs = 0;
    for (int32_t isa = NC_ISA_SCALAR; isa <= best; isa++) {
        CHECK_STATUS(nc_set_max_isa(isa), NC_STATUS_OK);
        for (int64_t channels = 72; channels <= 136; channels += 64) {
            nc_pool2d_desc blocked = {.batch = 1, .channels = channels, .in_height = 6, .in_width = 40,
                                      .kernel_height = 3, .kernel_width = 3, .stride_height = 1, .stride_width = 1,
                                      .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1,
                                      .dilation_height = 1, .dilation_width = 1, .kind = NC_POOL_MAX,
                                      .layout = NC_LAYOUT_NCHW16C};
            check_pool(&rng, blocked, &stats);
            blocked.kind = NC_POOL_AVERAGE;
            check_pool(&rng, blocked, &stats);
        }
        capped_runs++;
    }
    CHECK_STATUS(nc_set_max_isa(best), NC_STATUS_OK);
    /* max_threads 1 and small jobs run inline; everything else must have gone through the executor: four
     * thread counts above 1 for each of the 15 cases in each of the 3 layouts, and the capped cases. */
    CHECK(atomic_load(&stats.calls) == 3 * 60 + 16 * capped_runs);
    return test_finish("test_threads");
}
