#include "measure.h"

#include <stdlib.h>
#include <time.h>

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double measure_wall_seconds(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

/* Idle time before each timing: OpenMP's threads spin for a while after oneDNN's last call (libgomp's default),
 * and on a 2-CPU machine a spinning thread takes a CPU from the contender timed next. With this gap NativeConv's
 * 2-thread figures matched those under OMP_WAIT_POLICY=passive (batch8-c3 NHWC, AVX2: 110-120 GFLOP/s, against
 * 84-93 without it). */
#define QUIET_GAP_NANOSECONDS 20000000L

double measure_seconds_per_call(measured_fn fn, void *context, measure_clock clock, double min_seconds)
{
    const struct timespec gap = {.tv_sec = 0, .tv_nsec = QUIET_GAP_NANOSECONDS};
    nanosleep(&gap, NULL);
    const clockid_t id = clock == MEASURE_THREAD_CPU ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
    long calls = 0;
    const double start = clock_seconds(id);
    double elapsed;
    do {
        fn(context);
        calls++;
        elapsed = clock_seconds(id) - start;
    } while (elapsed < min_seconds);
    return elapsed / (double)calls;
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double measure_median(double *values, size_t count)
{
    qsort(values, count, sizeof *values, compare_doubles);
    return count % 2 ? values[count / 2] : 0.5 * (values[count / 2 - 1] + values[count / 2]);
}

double measure_spread(const double *sorted, size_t count)
{
    const double median = count % 2 ? sorted[count / 2] : 0.5 * (sorted[count / 2 - 1] + sorted[count / 2]);
    return (sorted[count - 1] - sorted[0]) / median;
}
