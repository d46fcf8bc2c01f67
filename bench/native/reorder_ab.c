/* Two builds of the library on one layout reorder, in one process, alternating (ab_rounds.h).
 *
 * Usage: reorder_ab LIB_A LIB_B FROM TO C SIZE [ROUNDS [THREADS]]
 *   LIB_A, LIB_B  paths of two libnativeconv builds
 *   FROM, TO      layouts: 0 NCHW, 1 NHWC, 2 NCHW16C; C channels; SIZE the square image's side (batch 1)
 *   ROUNDS        default 20, rounded up to groups of 4 (ab_rounds.h)
 *   THREADS       default 1; more run through bench/native's pthread executor
 * Prints each build's best GB/s ((source + destination bytes) / time) and the median (and quartiles) over the
 * groups of time A / time B (so the default's 5 groups make the quartiles nearly the extremes): above 1 means B is faster. Both builds must write the same bytes. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab_rounds.h"
#include "bench_data.h"
#include "measure.h"
#include "nativeconv.h"
#include "pthread_executor.h"

typedef nc_status (*reorder_fn)(int32_t, int32_t, int64_t, int64_t, int64_t, int64_t, const float *, size_t,
                                float *, size_t, const nc_executor *);

typedef struct contest {
    reorder_fn reorder[2];
    float *dst[2]; /* by slot: each build writes both in turn (ab_run_rounds) */
    const float *src;
    int32_t from, to;
    int64_t channels, size;
    size_t src_count, dst_count;
    const nc_executor *executor;
    int calls; /* per batch: about 1 GB moved, enough for the clock to resolve */
} contest;

static size_t element_count(int32_t layout, int64_t channels, int64_t size)
{
    const int64_t stored = layout == NC_LAYOUT_NCHW16C ? (channels + 15) / 16 * 16 : channels;
    return (size_t)(stored * size * size);
}

static double time_batch(void *context, int which, int slot)
{
    const contest *c = context;
    const double start = measure_wall_seconds();
    for (int i = 0; i < c->calls; i++) {
        c->reorder[which](c->from, c->to, 1, c->channels, c->size, c->size, c->src, c->src_count, c->dst[slot],
                          c->dst_count, c->executor);
    }
    return (measure_wall_seconds() - start) / c->calls;
}

int main(int argc, char **argv)
{
    if (argc < 7 || argc > 9) {
        fprintf(stderr, "usage: reorder_ab LIB_A LIB_B FROM TO C SIZE [ROUNDS [THREADS]]\n");
        return 2;
    }
    contest c = {.from = atoi(argv[3]), .to = atoi(argv[4]), .channels = atoll(argv[5]), .size = atoll(argv[6])};
    const int rounds = argc >= 8 ? atoi(argv[7]) : 20, threads = argc == 9 ? atoi(argv[8]) : 1;
    if (rounds < 1 || threads < 1 || c.channels < 1 || c.size < 1) {
        fprintf(stderr, "ROUNDS, THREADS, C and SIZE must be at least 1\n");
        return 2;
    }
    c.src_count = element_count(c.from, c.channels, c.size);
    c.dst_count = element_count(c.to, c.channels, c.size);
    for (int i = 0; i < 2; i++) {
        void *library = ab_open(argv[1 + i]);
        if (library == NULL) {
            return 1;
        }
        AB_LOAD_SYMBOL(library, "nc_reorder", c.reorder[i]);
        if (c.reorder[i] == NULL) {
            fprintf(stderr, "%s: not a NativeConv library\n", argv[1 + i]);
            return 1;
        }
        c.dst[i] = bench_random_buffer((int64_t)c.dst_count, 3);
    }
    float *src = bench_random_buffer((int64_t)c.src_count, 2);
    pthread_executor *pool = threads > 1 ? pthread_executor_create((size_t)threads) : NULL;
    c.src = src;
    c.executor = pool != NULL ? pthread_executor_get(pool) : NULL;
    for (int i = 0; i < 2; i++) {
        const nc_status status = c.reorder[i](c.from, c.to, 1, c.channels, c.size, c.size, c.src, c.src_count,
                                              c.dst[i], c.dst_count, c.executor);
        if (status != NC_STATUS_OK) {
            fprintf(stderr, "%s: nc_reorder returned status %d\n", argv[1 + i], (int)status);
            return 1;
        }
    }
    const double bytes = (double)(c.src_count + c.dst_count) * sizeof(float);
    c.calls = bytes >= 1e9 ? 1 : (int)(1e9 / bytes) + 1;
    if (ab_run_rounds(rounds, time_batch, &c, bytes, "GB/s") != 0) {
        return 1;
    }
    const int same = memcmp(c.dst[0], c.dst[1], c.dst_count * sizeof(float)) == 0;
    if (pool != NULL) {
        pthread_executor_destroy(pool);
    }
    if (!same) {
        fprintf(stderr, "the builds disagree\n");
        return 1;
    }
    return 0;
}
