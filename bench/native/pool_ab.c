/* Two builds of the library on one pooling, in one process, alternating (ab_rounds.h).
 *
 * Usage: pool_ab LIB_A LIB_B BATCH C SIZE KERNEL STRIDE PAD KIND LAYOUT FLAGS [ROUNDS [THREADS]]
 *   LIB_A, LIB_B  paths of two libnativeconv builds
 *   BATCH, C      images and channels; SIZE the square input's side; KERNEL the square window's side
 *   STRIDE, PAD   both dimensions; KIND 0 max, 1 average; LAYOUT 0 NCHW, 1 NHWC, 2 NCHW16C; FLAGS as in
 *                 nc_pool2d_desc (1 ceil mode, 2 count padding, 4 global)
 *   ROUNDS        default 20, rounded up to groups of 4 (ab_rounds.h)
 *   THREADS       default 1; more run through bench/native's pthread executor
 * Prints each build's best GB/s ((input + output bytes) / time) and the median (and quartiles) over the groups
 * of time A / time B (so the default's 5 groups make the quartiles nearly the extremes): above 1 means B is
 * faster. Both builds must give the same output to a relative 1e-6. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_rounds.h"
#include "bench_data.h"
#include "measure.h"
#include "nativeconv.h"
#include "pthread_executor.h"

typedef nc_status (*query_fn)(const nc_pool2d_desc *, nc_tensor_sizes *, char *, size_t);
typedef nc_status (*create_fn)(const nc_pool2d_desc *, nc_pool2d_plan **);
typedef nc_status (*execute_fn)(const nc_pool2d_plan *, const float *, size_t, float *, size_t, const nc_executor *);

typedef struct contest {
    execute_fn execute[2];
    nc_pool2d_plan *plan[2];
    float *output[2]; /* by slot: each build writes both in turn (ab_run_rounds) */
    const float *input;
    const nc_executor *executor;
    nc_tensor_sizes sizes;
    int calls; /* per batch: about 1 GB moved, enough for the clock to resolve */
} contest;

static double time_batch(void *context, int which, int slot)
{
    const contest *c = context;
    const double start = measure_wall_seconds();
    for (int i = 0; i < c->calls; i++) {
        c->execute[which](c->plan[which], c->input, (size_t)c->sizes.input_count, c->output[slot],
                          (size_t)c->sizes.output_count, c->executor);
    }
    return (measure_wall_seconds() - start) / c->calls;
}

int main(int argc, char **argv)
{
    if (argc < 12 || argc > 14) {
        fprintf(stderr,
                "usage: pool_ab LIB_A LIB_B BATCH C SIZE KERNEL STRIDE PAD KIND LAYOUT FLAGS [ROUNDS [THREADS]]\n");
        return 2;
    }
    const int64_t size = atoll(argv[5]), kernel = atoll(argv[6]), stride = atoll(argv[7]), pad = atoll(argv[8]);
    const nc_pool2d_desc desc = {.batch = atoll(argv[3]), .channels = atoll(argv[4]), .in_height = size,
                                 .in_width = size, .kernel_height = kernel, .kernel_width = kernel,
                                 .stride_height = stride, .stride_width = stride, .pad_top = pad,
                                 .pad_bottom = pad, .pad_left = pad, .pad_right = pad, .dilation_height = 1,
                                 .dilation_width = 1, .kind = atoi(argv[9]), .layout = atoi(argv[10]),
                                 .flags = (uint32_t)atoi(argv[11])};
    const int rounds = argc >= 13 ? atoi(argv[12]) : 20, threads = argc == 14 ? atoi(argv[13]) : 1;
    if (rounds < 1 || threads < 1) {
        fprintf(stderr, "ROUNDS and THREADS must be at least 1\n");
        return 2;
    }
    pthread_executor *pool = threads > 1 ? pthread_executor_create((size_t)threads) : NULL;
    if (threads > 1 && pool == NULL) {
        fprintf(stderr, "could not start %d threads\n", threads);
        return 1;
    }
    contest c = {.executor = pool != NULL ? pthread_executor_get(pool) : NULL};
    for (int i = 0; i < 2; i++) {
        void *library = ab_open(argv[1 + i]);
        if (library == NULL) {
            return 1;
        }
        query_fn query;
        create_fn create;
        AB_LOAD_SYMBOL(library, "nc_pool2d_query", query);
        AB_LOAD_SYMBOL(library, "nc_pool2d_plan_create", create);
        AB_LOAD_SYMBOL(library, "nc_pool2d_plan_execute", c.execute[i]);
        char message[256];
        if (query == NULL || create == NULL || c.execute[i] == NULL ||
            query(&desc, &c.sizes, message, sizeof message) != NC_STATUS_OK ||
            create(&desc, &c.plan[i]) != NC_STATUS_OK) {
            fprintf(stderr, "%s: %s\n", argv[1 + i], query == NULL ? "not a NativeConv library" : message);
            return 1;
        }
        c.output[i] = bench_random_buffer(c.sizes.output_count, 3);
    }
    float *input = bench_random_buffer(c.sizes.input_count, 2);
    const double bytes = (double)(c.sizes.input_count + c.sizes.output_count) * sizeof(float);
    c.input = input;
    c.calls = bytes >= 1e9 ? 1 : (int)(1e9 / bytes) + 1;
    if (ab_run_rounds(rounds, time_batch, &c, bytes, "GB/s") != 0) {
        return 1;
    }
    const double difference = bench_relative_difference(c.output[1], c.output[0], (size_t)c.sizes.output_count);
    if (pool != NULL) {
        pthread_executor_destroy(pool);
    }
    if (difference > 1e-6) {
        fprintf(stderr, "the builds disagree: relative difference %g\n", difference);
        return 1;
    }
    return 0;
}
