/* Two builds of the library creating the same convolution plan, in one process, alternating (ab_rounds.h): for
 * judging a change to packing or kernel choice on a noisy machine.
 *
 * Usage: plan_ab LIB_A LIB_B C K SIZE KERNEL STRIDE PAD GROUPS LAYOUT [ROUNDS]
 *   arguments as in library_ab; each round times a batch of PLANS_PER_BATCH creations and destructions
 * Prints each build's best rate of filter bytes packed (GB/s) and the median (and quartiles) over the groups of
 * rounds of time A / time B: above 1 means B is faster. One thread, as plan creation is. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "ab_rounds.h"
#include "bench_data.h"
#include "measure.h"
#include "nativeconv.h"

#define PLANS_PER_BATCH 10

typedef nc_status (*create_fn)(const nc_conv2d_desc *, const float *, size_t, const float *, size_t,
                               nc_conv2d_plan **);
typedef void (*destroy_fn)(nc_conv2d_plan *);

typedef struct contest {
    create_fn create[2];
    destroy_fn destroy[2];
    nc_conv2d_desc desc;
    const float *filter;
    size_t filter_count;
    int failed;
} contest;

/* Plans write no destination buffer, so the slot is not used. */
static double time_batch(void *context, int which, int slot)
{
    (void)slot;
    contest *c = context;
    const double start = measure_wall_seconds();
    for (int i = 0; i < PLANS_PER_BATCH; i++) {
        nc_conv2d_plan *plan = NULL;
        if (c->create[which](&c->desc, c->filter, c->filter_count, NULL, 0, &plan) != NC_STATUS_OK) {
            c->failed = 1;
        }
        c->destroy[which](plan);
    }
    return (measure_wall_seconds() - start) / PLANS_PER_BATCH;
}

int main(int argc, char **argv)
{
    if (argc < 11 || argc > 12) {
        fprintf(stderr, "usage: plan_ab LIB_A LIB_B C K SIZE KERNEL STRIDE PAD GROUPS LAYOUT [ROUNDS]\n");
        return 2;
    }
    const int rounds = argc == 12 ? atoi(argv[11]) : 20;
    contest run = {.desc = ab_conv_desc(argv + 3)};
    if (rounds < 1 || run.desc.groups < 1) {
        fprintf(stderr, "ROUNDS and GROUPS must be at least 1\n");
        return 2;
    }
    run.filter_count = (size_t)(run.desc.out_channels * (run.desc.in_channels / run.desc.groups) *
                                run.desc.kernel_height * run.desc.kernel_width);
    for (int i = 0; i < 2; i++) {
        void *library = ab_open(argv[1 + i]);
        if (library == NULL) {
            return 1;
        }
        AB_LOAD_SYMBOL(library, "nc_conv2d_plan_create", run.create[i]);
        AB_LOAD_SYMBOL(library, "nc_conv2d_plan_destroy", run.destroy[i]);
        if (run.create[i] == NULL || run.destroy[i] == NULL) {
            fprintf(stderr, "%s: not a NativeConv library\n", argv[1 + i]);
            return 1;
        }
    }
    float *filter = bench_random_buffer((int64_t)run.filter_count, 1);
    run.filter = filter;
    const int status = ab_run_rounds(rounds, time_batch, &run, (double)(run.filter_count * sizeof(float)), "GB/s");
    free(filter);
    if (run.failed) {
        fprintf(stderr, "plan creation failed\n");
        return 1;
    }
    return status;
}
