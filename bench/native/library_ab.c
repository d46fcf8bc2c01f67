/* Two builds of the library on one convolution, in one process, alternating: for judging a kernel change on a
 * noisy machine. On a shared 2-vCPU guest the same library measured 45 and then 75 GFLOP/s minutes apart,
 * so timings taken in separate runs cannot tell a 10 % change; timed round by round, in turns, both builds
 * see the same machine, and the median of the per-round time ratios held to a few percent.
 *
 * Usage: library_ab LIB_A LIB_B C K SIZE KERNEL STRIDE PAD GROUPS LAYOUT [ROUNDS]
 *   LIB_A, LIB_B  paths of two libnativeconv builds (dlopen'ed privately, so neither is linked here)
 *   C, K          input and output channels; SIZE the square input's side; KERNEL the square kernel's side
 *   STRIDE, PAD   both dimensions; GROUPS as in nc_conv2d_desc; LAYOUT 0 NCHW, 1 NHWC, 2 NCHW16C
 *   ROUNDS        default 20; each round times a batch of calls of A and of B, in alternating order
 * Prints each build's best GFLOP/s and the median (and quartiles) of time A / time B over the rounds: above 1
 * means B is faster. Both builds must compute the same output to a relative 1e-4. One thread. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_data.h"
#include "measure.h"
#include "nativeconv.h"

typedef nc_status (*query_fn)(const nc_conv2d_desc *, nc_tensor_sizes *, char *, size_t);
typedef nc_status (*create_fn)(const nc_conv2d_desc *, const float *, size_t, const float *, size_t,
                               nc_conv2d_plan **);
typedef nc_status (*execute_fn)(const nc_conv2d_plan *, const float *, size_t, float *, size_t, const nc_executor *);
typedef void (*destroy_fn)(nc_conv2d_plan *);

/* dlsym gives an object pointer. POSIX makes it convertible to a function pointer and ISO C does not, so
 * its bits are copied. */
#define LOAD_SYMBOL(library, name, function)                 \
    do {                                                     \
        void *address_ = dlsym(library, name);               \
        memcpy(&(function), &address_, sizeof(function));    \
    } while (0)

typedef struct build {
    void *library;
    execute_fn execute;
    destroy_fn destroy;
    nc_conv2d_plan *plan;
    float *output;
    double best;
} build;

/* A batch of calls long enough (about 2 GFLOP) for the clock to resolve, at least one. */
static double time_batch(const build *b, const float *input, const nc_tensor_sizes *sizes, int calls)
{
    const double start = measure_wall_seconds();
    for (int i = 0; i < calls; i++) {
        b->execute(b->plan, input, (size_t)sizes->input_count, b->output, (size_t)sizes->output_count, NULL);
    }
    return (measure_wall_seconds() - start) / calls;
}

static int open_build(const char *path, const nc_conv2d_desc *desc, const float *filter, nc_tensor_sizes *sizes,
                      build *b)
{
    b->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (b->library == NULL) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    query_fn query;
    create_fn create;
    LOAD_SYMBOL(b->library, "nc_conv2d_query", query);
    LOAD_SYMBOL(b->library, "nc_conv2d_plan_create", create);
    LOAD_SYMBOL(b->library, "nc_conv2d_plan_execute", b->execute);
    LOAD_SYMBOL(b->library, "nc_conv2d_plan_destroy", b->destroy);
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
    b->best = 1e30;
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 11 || argc > 12) {
        fprintf(stderr, "usage: library_ab LIB_A LIB_B C K SIZE KERNEL STRIDE PAD GROUPS LAYOUT [ROUNDS]\n");
        return 2;
    }
    const int64_t c = atoll(argv[3]), k = atoll(argv[4]), size = atoll(argv[5]), kernel = atoll(argv[6]);
    const int64_t stride = atoll(argv[7]), pad = atoll(argv[8]), groups = atoll(argv[9]);
    const int rounds = argc == 12 ? atoi(argv[11]) : 20;
    const nc_conv2d_desc desc = {.batch = 1, .in_channels = c, .in_height = size, .in_width = size,
                                 .out_channels = k, .kernel_height = kernel, .kernel_width = kernel,
                                 .stride_height = stride, .stride_width = stride, .pad_top = pad,
                                 .pad_bottom = pad, .pad_left = pad, .pad_right = pad, .dilation_height = 1,
                                 .dilation_width = 1, .groups = groups, .layout = atoi(argv[10]),
                                 .filter_layout = NC_FILTER_OIHW};
    if (rounds < 1) {
        fprintf(stderr, "ROUNDS must be at least 1\n");
        return 2;
    }
    nc_tensor_sizes sizes;
    const size_t filter_count = (size_t)(k * (c / (groups > 0 ? groups : 1)) * kernel * kernel);
    float *filter = bench_random_buffer((int64_t)filter_count, 1);
    build builds[2];
    for (int i = 0; i < 2; i++) {
        if (open_build(argv[1 + i], &desc, filter, &sizes, &builds[i]) != 0) {
            return 1;
        }
    }
    float *input = bench_random_buffer(sizes.input_count, 2);
    const double flops = 2.0 * (double)k * (double)(c / groups) * (double)(kernel * kernel) *
                         (double)(sizes.out_height * sizes.out_width);
    const int calls = flops >= 2e9 ? 1 : (int)(2e9 / flops) + 1;
    double *ratios = malloc((size_t)rounds * sizeof *ratios);
    if (ratios == NULL) {
        return 1;
    }
    for (int r = 0; r < rounds; r++) {
        double seconds[2];
        for (int turn = 0; turn < 2; turn++) {
            const int i = r % 2 == 0 ? turn : 1 - turn; /* who goes first alternates */
            seconds[i] = time_batch(&builds[i], input, &sizes, calls);
            builds[i].best = seconds[i] < builds[i].best ? seconds[i] : builds[i].best;
        }
        ratios[r] = seconds[0] / seconds[1];
    }
    const double difference = bench_relative_difference(builds[1].output, builds[0].output,
                                                        (size_t)sizes.output_count);
    qsort(ratios, (size_t)rounds, sizeof *ratios, compare_doubles);
    printf("A %.1f GFLOP/s, B %.1f GFLOP/s (best of %d rounds); time A / time B: median %.3f, quartiles %.3f-%.3f\n",
           flops / builds[0].best * 1e-9, flops / builds[1].best * 1e-9, rounds, ratios[rounds / 2],
           ratios[rounds / 4], ratios[3 * rounds / 4]);
    for (int i = 0; i < 2; i++) {
        builds[i].destroy(builds[i].plan);
        free(builds[i].output);
    }
    free(ratios);
    free(input);
    free(filter);
    if (difference > 1e-4) {
        fprintf(stderr, "the builds disagree: relative difference %g\n", difference);
        return 1;
    }
    return 0;
}
