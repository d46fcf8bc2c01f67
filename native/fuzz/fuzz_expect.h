/* What a float computation of a sum may return, derived in double from the exact terms. Besides the
 * sum it tracks the IEEE classes of the terms: any NaN (or +Inf meeting -Inf) makes the result NaN,
 * an infinity without its opposite makes the result that infinity, provided the finite terms cannot
 * overflow float on their own. A finite result is allowed the worst-case error of any summation
 * order, so kernels may reorder, block or fuse freely without a false alarm. */
#ifndef NATIVECONV_FUZZ_EXPECT_H
#define NATIVECONV_FUZZ_EXPECT_H

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fuzz_sum {
    double sum;       /* of the finite terms, exact enough: at most a few thousand terms of 2^-4 .. 2^128 */
    double magnitude; /* sum of |finite term| */
    int64_t terms;
    bool nan, positive_infinity, negative_infinity;
} fuzz_sum;

static inline void fuzz_sum_add(fuzz_sum *s, double term)
{
    s->terms++;
    if (isnan(term)) {
        s->nan = true;
    } else if (isinf(term)) {
        if (term > 0) {
            s->positive_infinity = true;
        } else {
            s->negative_infinity = true;
        }
    } else {
        s->sum += term;
        s->magnitude += fabs(term);
    }
}

typedef enum fuzz_class { FUZZ_FINITE, FUZZ_NAN, FUZZ_INFINITE, FUZZ_UNDETERMINED } fuzz_class;

typedef struct fuzz_expected {
    fuzz_class kind;
    double value;     /* the exact result, or the signed infinity */
    double tolerance; /* for FUZZ_FINITE */
} fuzz_expected;

/* The float result of summing s's terms in any order with `extra_ops` further rounded operations
 * (a division, a final add), then divided by divisor. */
static inline fuzz_expected fuzz_sum_expect(const fuzz_sum *s, int64_t extra_ops, double divisor)
{
    fuzz_expected e = {FUZZ_UNDETERMINED, 0, 0};
    /* Every partial sum of the finite terms stays below this, so float cannot overflow. */
    const bool bounded = s->magnitude * 1.01 < (double)FLT_MAX / 2;
    if (s->nan || (s->positive_infinity && s->negative_infinity)) {
        e.kind = FUZZ_NAN;
    } else if (s->positive_infinity || s->negative_infinity) {
        if (bounded) {
            e.kind = FUZZ_INFINITE;
            e.value = s->positive_infinity ? INFINITY : -INFINITY;
        }
    } else if (bounded) {
        /* gamma_n = n u / (1 - n u) bounds the error of any order of n - 1 additions and the rounding
         * of each product; FLT_TRUE_MIN per term covers products that underflow into subnormals. */
        const double u = ldexp(1.0, -24);
        const double n = (double)(s->terms + extra_ops + 1);
        const double gamma = n * u / (1 - n * u);
        e.kind = FUZZ_FINITE;
        e.value = s->sum / divisor;
        e.tolerance = gamma * s->magnitude / divisor + (double)(s->terms + 1) * FLT_TRUE_MIN;
    }
    return e;
}

/* Applies a monotonic function that fixes NaN (ReLU or clamp as PyTorch defines them) to e. */
static inline fuzz_expected fuzz_expect_clamp(fuzz_expected e, double low, double high)
{
    if (e.kind == FUZZ_FINITE || e.kind == FUZZ_INFINITE) {
        const bool was_finite = e.kind == FUZZ_FINITE;
        e.value = e.value < low ? low : e.value > high ? high : e.value;
        /* Clamp bounds may themselves be infinite (min = max = +Inf is a valid clamp). */
        if (!isfinite(e.value)) {
            e.kind = FUZZ_INFINITE;
        } else if (!was_finite) {
            e.kind = FUZZ_FINITE;
            e.tolerance = 0;
        }
    }
    return e;
}

static inline bool fuzz_matches(fuzz_expected e, float actual)
{
    switch (e.kind) {
    case FUZZ_NAN:
        return isnan(actual);
    case FUZZ_INFINITE:
        return (double)actual == e.value;
    case FUZZ_FINITE:
        return fabs((double)actual - e.value) <= e.tolerance;
    default:
        return true;
    }
}

/* Aborts so that libFuzzer saves the input and the run counts as a finding. */
#define FUZZ_REQUIRE(condition, ...)                                                       \
    do {                                                                                   \
        if (!(condition)) {                                                                \
            fprintf(stderr, "%s:%d: requirement failed: %s\n  ", __FILE__, __LINE__, #condition); \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

/* Equal bits, except that two NaNs match whatever their sign and payload: when several NaN operands meet,
 * x86 keeps the one in the first source register, and the compiler picks the FMA form per code path, so a
 * task split that sends an output through another tile shape may keep another of the input NaNs. */
static inline bool fuzz_same_results(const float *a, const float *b, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (memcmp(&a[i], &b[i], sizeof(float)) != 0 && !(isnan(a[i]) && isnan(b[i]))) {
            return false;
        }
    }
    return true;
}

#endif
