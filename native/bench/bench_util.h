/* What both single-library benchmarks need: a CPU-time clock (the machine is shared, so wall time
 * overstates), a median helper and deterministic inputs. */
#ifndef NATIVECONV_BENCH_UTIL_H
#define NATIVECONV_BENCH_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline double cpu_seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static inline int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static inline float *random_buffer(int64_t count)
{
    float *p = malloc((size_t)count * sizeof(float));
    if (p == NULL) {
        exit(2);
    }
    uint32_t state = 12345u;
    for (int64_t i = 0; i < count; i++) {
        state = state * 1664525u + 1013904223u;
        p[i] = (float)(state >> 8) / (float)(1u << 24) - 0.5f;
    }
    return p;
}

static const char *layout_name(int32_t layout)
{
    return layout == NC_LAYOUT_NCHW ? "NCHW" : layout == NC_LAYOUT_NHWC ? "NHWC" : "nChw16c";
}

#endif
