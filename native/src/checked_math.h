/* Overflow-checked int64_t arithmetic for size computations. Each helper stores the (possibly wrapped)
 * result and returns true when the exact result does not fit, like the GCC/Clang builtins it wraps. */
#ifndef NATIVECONV_CHECKED_MATH_H
#define NATIVECONV_CHECKED_MATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)

static inline bool nci_mul_overflow(int64_t a, int64_t b, int64_t *result)
{
    return __builtin_mul_overflow(a, b, result);
}

static inline bool nci_add_overflow(int64_t a, int64_t b, int64_t *result)
{
    return __builtin_add_overflow(a, b, result);
}

#else

static inline bool nci_mul_overflow(int64_t a, int64_t b, int64_t *result)
{
    bool overflow;
    if (a == 0 || b == 0) {
        overflow = false;
    } else if (a > 0) {
        overflow = b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a;
    } else {
        overflow = b > 0 ? a < INT64_MIN / b : b < INT64_MAX / a;
    }
    *result = overflow ? 0 : a * b;
    return overflow;
}

static inline bool nci_add_overflow(int64_t a, int64_t b, int64_t *result)
{
    bool overflow = (b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b);
    *result = overflow ? 0 : a + b;
    return overflow;
}

#endif

/* For cost estimates only, where "very large" is precise enough. Operands must be >= 0. */
static inline int64_t nci_mul_saturate(int64_t a, int64_t b)
{
    int64_t result;
    return nci_mul_overflow(a, b, &result) ? INT64_MAX : result;
}

/* Largest element count of a float buffer whose byte size fits in both int64_t and size_t. */
#if SIZE_MAX < INT64_MAX
#define NCI_MAX_FLOAT_COUNT ((int64_t)(SIZE_MAX / sizeof(float)))
#else
#define NCI_MAX_FLOAT_COUNT ((int64_t)(INT64_MAX / (int64_t)sizeof(float)))
#endif

#endif
