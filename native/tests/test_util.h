/* Minimal test support: failure counting checks and a seeded random generator. */
#ifndef NATIVECONV_TEST_UTIL_H
#define NATIVECONV_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>

static int test_failures = 0;

/* Keeps going after a failure so one run shows every broken case. */
#define CHECK(condition)                                                                    \
    do {                                                                                    \
        if (!(condition)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition);   \
            test_failures++;                                                                \
        }                                                                                   \
    } while (0)

#define CHECK_STATUS(call, expected)                                                                  \
    do {                                                                                              \
        int check_status_actual = (int)(call);                                                        \
        if (check_status_actual != (int)(expected)) {                                                 \
            fprintf(stderr, "%s:%d: %s returned %d, expected %d\n", __FILE__, __LINE__, #call,        \
                    check_status_actual, (int)(expected));                                            \
            test_failures++;                                                                          \
        }                                                                                             \
    } while (0)

static inline int test_finish(const char *name)
{
    if (test_failures != 0) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

/* splitmix64: tiny, seedable, and the same sequence on every platform. */
typedef struct test_rng {
    uint64_t state;
} test_rng;

static inline uint64_t test_next(test_rng *rng)
{
    uint64_t z = (rng->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [low, high]. */
static inline int64_t test_int(test_rng *rng, int64_t low, int64_t high)
{
    return low + (int64_t)(test_next(rng) % (uint64_t)(high - low + 1));
}

/* Uniform in [-1, 1), with 24 random bits so every value is exact in float. */
static inline float test_float(test_rng *rng)
{
    return (float)((int64_t)(test_next(rng) >> 40) - (1 << 23)) / (float)(1 << 23);
}

#endif
