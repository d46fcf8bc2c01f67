#include "bench_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

float *bench_random_buffer(int64_t count, uint32_t seed)
{
    /* oneDNN's buffers are 64-byte aligned; malloc's 16 bytes made every AVX-512 access of ours split a
     * cache line (pool_ab: NHWC 3x3 pooling 0.65x, NCHW16c 0.78x on Zen 5). */
    const size_t bytes = ((size_t)(count > 0 ? count : 1) * sizeof(float) + 63) / 64 * 64;
    float *p = aligned_alloc(64, bytes);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    uint32_t state = seed;
    for (int64_t i = 0; i < count; i++) {
        state = state * 1664525u + 1013904223u;
        p[i] = (float)(state >> 8) / (float)(1u << 24) - 0.5f;
    }
    return p;
}

double bench_relative_difference(const float *a, const float *b, size_t count)
{
    double worst = 0.0, scale = 1.0;
    for (size_t i = 0; i < count; i++) {
        worst = fmax(worst, fabs((double)a[i] - (double)b[i]));
        scale = fmax(scale, fabs((double)b[i]));
    }
    return worst / scale;
}
