/* Two builds of the library on one convolution, in one process, alternating (ab_rounds.h): for judging a
 * kernel change on a noisy machine.
 *
 * Usage: library_ab LIB_A LIB_B C K SIZE KERNEL STRIDE PAD GROUPS LAYOUT [ROUNDS [THREADS]]
 *   LIB_A, LIB_B  paths of two libnativeconv builds
 *   C, K          input and output channels; SIZE the square input's side; KERNEL the square kernel's side
 *   STRIDE, PAD   both dimensions; GROUPS as in nc_conv2d_desc; LAYOUT 0 NCHW, 1 NHWC, 2 NCHW16C
 *   ROUNDS        default 20, rounded up to groups of 4; each round times a batch of calls of A and of B
 *   THREADS       default 1; more run through bench/native's pthread executor
 * Prints each build's best GFLOP/s and the median (and quartiles) of time A / time B over the groups of rounds:
 * above 1 means B is faster. Both builds must compute the same output to a relative 1e-4. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_rounds.h"
#include "bench_data.h"
#include "measure.h"
#include "nativeconv.h"
#include "pthread_executor.h"

typedef nc_status (*query_fn)(const nc_conv2d_desc *, nc_tensor_sizes *, char *, size_t);
typedef nc_status (*create_fn)(const nc_conv2d_desc *, const float *, size_t, const float *, size_t,
                               nc_conv2d_plan **);
typedef nc_status (*execute_fn)(const nc_conv2d_plan *, const float *, size_t, float *, size_t, const nc_executor *);
typedef void (*destroy_fn)(nc_conv2d_plan *);

typedef struct build {
    void *library;
    execute_fn execute;
    destroy_fn destroy;
    nc_conv2d_plan *plan;
    float *output; /* the buffer of the slot numbered as this build; both builds write both in turn (ab_run_rounds) */
} build;

typedef struct contest {
    build builds[2];
    const float *input;
    const nc_executor *executor;
    nc_tensor_sizes sizes;
    int calls; /* per batch: about 2 GFLOP, enough for the clock to resolve, at least one */
} contest;

static double time_batch(void *context, int which, int slot)
{
    const contest *c = context;
    const build *b = &c->builds[which];
    float *output = c->builds[slot].output;
    const double start = measure_wall_seconds();
    for (int i = 0; i < c->calls; i++) {
        b->execute(b->plan, c->input, (size_t)c->sizes.input_count, output, (size_t)c->sizes.output_count,
                   c->executor);
    }
    return (measure_wall_seconds() - start) / c->calls;
}

static int open_build(const char *path, const nc_conv2d_desc *desc, const float *filter, nc_tensor_sizes *sizes,
                      build *b)
{
    b->library = ab_open(path);
    if (b->library == NULL) {
        return 1;
    }
    query_fn query;
    create_fn create;
    AB_LOAD_SYMBOL(b->library, "nc_conv2d_query", query);
    AB_LOAD_SYMBOL(b->library, "nc_conv2d_plan_create", create);
    AB_LOAD_SYMBOL(b->library, "nc_conv2d_plan_execute", b->execute);
    AB_LOAD_SYMBOL(b->library, "nc_conv2d_plan_destroy", b->destroy);
    char message[256];
    if (query == NULL || create == NULL || b->execute == NULL || b->destroy == NULL ||
        query(desc, sizes, message, sizeof message) != NC_STATUS_OK) {
        fprintf(stderr, "%s: %s\n", path, query == NULL ? "not a NativeConv library" : message);
        return 1;
    }
    if (create(desc, filter, (size_t)sizes->filter_count, NULL, 0, &b->plan) != NC_STATUS_OK) {
        fprintf(stderr, "%s: plan creation failed\n", path);
        return 1;
    }
    b->output = bench_random_buffer(sizes->output_count, 3);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 11 || argc > 13) {
        fprintf(stderr, "usage: library_ab LIB_A LIB_B C K SIZE KERNEL STRIDE PAD GROUPS LAYOUT [ROUNDS [THREADS]]\n");
        return 2;
    }
    const nc_conv2d_desc desc = ab_conv_desc(argv + 3);
    const int64_t c = desc.in_channels, k = desc.out_channels, kernel = desc.kernel_width, groups = desc.groups;
    const int rounds = argc >= 12 ? atoi(argv[11]) : 20, threads = argc == 13 ? atoi(argv[12]) : 1;
    if (rounds < 1 || threads < 1) {
        fprintf(stderr, "ROUNDS and THREADS must be at least 1\n");
        return 2;
    }
    pthread_executor *pool = threads > 1 ? pthread_executor_create((size_t)threads) : NULL;
    if (threads > 1 && pool == NULL) {
        fprintf(stderr, "could not start %d threads\n", threads);
        return 1;
    }
    contest run = {.executor = pool != NULL ? pthread_executor_get(pool) : NULL};
    const size_t filter_count = (size_t)(k * (c / (groups > 0 ? groups : 1)) * kernel * kernel);
    float *filter = bench_random_buffer((int64_t)filter_count, 1);
    for (int i = 0; i < 2; i++) {
        if (open_build(argv[1 + i], &desc, filter, &run.sizes, &run.builds[i]) != 0) {
            return 1;
        }
    }
    float *input = bench_random_buffer(run.sizes.input_count, 2);
    const double flops = 2.0 * (double)k * (double)(c / groups) * (double)(kernel * kernel) *
                         (double)(run.sizes.out_height * run.sizes.out_width);
    run.input = input;
    run.calls = flops >= 2e9 ? 1 : (int)(2e9 / flops) + 1;
    if (ab_run_rounds(rounds, time_batch, &run, flops, "GFLOP/s") != 0) {
        return 1;
    }
    const double difference = bench_relative_difference(run.builds[1].output, run.builds[0].output,
                                                        (size_t)run.sizes.output_count);
    for (int i = 0; i < 2; i++) {
        run.builds[i].destroy(run.builds[i].plan);
        free(run.builds[i].output);
    }
    free(input);
    free(filter);
    if (pool != NULL) {
        pthread_executor_destroy(pool);
    }
    if (difference > 1e-4) {
        fprintf(stderr, "the builds disagree: relative difference %g\n", difference);
        return 1;
    }
    return 0;
}
