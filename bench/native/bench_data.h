/* Test data for the benchmarks and the check that two libraries computed the same thing. */
#ifndef BENCH_DATA_H
#define BENCH_DATA_H

#include <stddef.h>
#include <stdint.h>

/* count floats, 64-byte aligned, uniformly in [-0.5, 0.5), the same sequence for the same seed; exits on OOM.
 * Release with free(). */
float *bench_random_buffer(int64_t count, uint32_t seed);
/* max |a - b| / max(1, max |b|): a scale-free error that tolerates different summation orders. */
double bench_relative_difference(const float *a, const float *b, size_t count);

#endif
