/* The byte format shared by the fuzz targets and the seed writer. A descriptor field takes one byte:
 * most byte values decode to a small number near the field's useful range (so most inputs reach the
 * kernels quickly), a few to values that stress validation (zero, negative, near-overflow), and 0xFF
 * to the next eight bytes taken raw. Tensor elements take one byte each, looked up in a table of
 * small exact values plus IEEE specials. Running out of bytes reads zeros, so every input decodes. */
#ifndef NATIVECONV_FUZZ_INPUT_H
#define NATIVECONV_FUZZ_INPUT_H

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fuzz_input {
    const uint8_t *data;
    size_t size;
    size_t offset;
} fuzz_input;

/* Byte values at or above FUZZ_HOSTILE_FIRST select hostile values instead of small ones. */
#define FUZZ_HOSTILE_FIRST 0xF0u
#define FUZZ_RAW 0xFFu

static inline uint8_t fuzz_byte(fuzz_input *in)
{
    return in->offset < in->size ? in->data[in->offset++] : 0;
}

static inline uint64_t fuzz_raw64(fuzz_input *in)
{
    uint64_t value = 0;
    for (int i = 0; i < 8; i++) {
        value |= (uint64_t)fuzz_byte(in) << (8 * i);
    }
    return value;
}

static const int64_t fuzz_hostile_sizes[FUZZ_RAW - FUZZ_HOSTILE_FIRST] = {
    INT64_MAX, INT64_MIN, -1, (int64_t)1 << 31, ((int64_t)1 << 31) - 1, (int64_t)1 << 32, 46341,
    (int64_t)1 << 62, 3037000500 /* just above sqrt(INT64_MAX) */, (int64_t)1 << 21, 0, 65536,
    INT64_MAX / 2, -((int64_t)1 << 40), 1000003};

/* A descriptor size in [-2, limit] for most bytes; the seed writer encodes v as (uint8_t)(v + 2). */
static inline int64_t fuzz_size(fuzz_input *in, int64_t limit)
{
    uint8_t b = fuzz_byte(in);
    if (b == FUZZ_RAW) {
        return (int64_t)fuzz_raw64(in);
    }
    if (b >= FUZZ_HOSTILE_FIRST) {
        return fuzz_hostile_sizes[b - FUZZ_HOSTILE_FIRST];
    }
    return (int64_t)(b % (uint64_t)(limit + 3)) - 2;
}

/* An enum field: a valid value (b % count) for most bytes, out-of-range values for the hostile ones. */
static inline int32_t fuzz_enum(fuzz_input *in, int32_t count)
{
    uint8_t b = fuzz_byte(in);
    if (b == FUZZ_RAW) {
        return (int32_t)(uint32_t)fuzz_raw64(in);
    }
    if (b >= FUZZ_HOSTILE_FIRST) {
        return (int32_t)b - (int32_t)FUZZ_HOSTILE_FIRST - 7; /* -7 .. 7 */
    }
    return (int32_t)(b % (uint32_t)count);
}

/* A flags word: the low bits of most bytes, any 32 bits after FUZZ_RAW. */
static inline uint32_t fuzz_flags(fuzz_input *in, uint32_t known_bits)
{
    uint8_t b = fuzz_byte(in);
    if (b == FUZZ_RAW) {
        return (uint32_t)fuzz_raw64(in);
    }
    if (b >= FUZZ_HOSTILE_FIRST) {
        return (uint32_t)b << 24 | (b & known_bits);
    }
    return b & known_bits;
}

/* Tensor element values: 240 multiples of 1/16 in [-7.5, 7.4375] (exact, so sums are well
 * conditioned) and 16 IEEE specials. */
#define FUZZ_SPECIALS_FIRST 240u

static inline float fuzz_value_of(uint8_t b)
{
    static const float specials[256 - FUZZ_SPECIALS_FIRST] = {
        NAN, -NAN, INFINITY, -INFINITY, -0.0f, FLT_MIN, 1e-40f, -1e-40f,
        FLT_TRUE_MIN, 1e30f, -1e30f, 3e38f, -3e38f, FLT_MAX, 1e-20f, 65504.0f};
    if (b >= FUZZ_SPECIALS_FIRST) {
        return specials[b - FUZZ_SPECIALS_FIRST];
    }
    return ((float)b - 120.0f) / 16.0f;
}

/* Fills count elements; once the input is used up the remaining bytes repeat from the start so that
 * short inputs still give varied tensors. */
static inline void fuzz_floats(fuzz_input *in, float *out, size_t count)
{
    size_t start = in->offset;
    for (size_t i = 0; i < count; i++) {
        uint8_t b;
        if (in->offset < in->size) {
            b = in->data[in->offset++];
        } else if (in->size > start) {
            b = in->data[start + (i % (in->size - start))];
        } else {
            b = (uint8_t)(i * 37u + 11u) % FUZZ_SPECIALS_FIRST;
        }
        out[i] = fuzz_value_of(b);
    }
}

/* A clamp bound: ordinary values, and NaN and infinities to test validation. */
static inline float fuzz_bound(fuzz_input *in)
{
    static const float bounds[16] = {0.0f, 6.0f, -1.0f, 1.0f, 0.5f, -0.5f, 2.0f, -3.0f,
                                     -INFINITY, INFINITY, NAN, 100.0f, -100.0f, 0.0f, 6.0f, 1e-40f};
    return bounds[fuzz_byte(in) % 16];
}

#endif
