/* Checks of the C API that the plan fuzzers make alike, whatever the operation: the query's message and
 * status, and the refusal of wrong buffers. */
#ifndef NATIVECONV_FUZZ_API_CHECKS_H
#define NATIVECONV_FUZZ_API_CHECKS_H

#include <stddef.h>
#include <string.h>

#include "fuzz_expect.h"
#include "nativeconv.h"

/* A plan's execute, serial; each fuzzer adapts its plan type to this. */
typedef nc_status (*fuzz_execute_fn)(const void *plan, const float *input, size_t input_count, float *output,
                                     size_t output_count);

/* The message is NUL-terminated whatever the outcome; a refused descriptor gets a validation status and says
 * why. */
static inline void fuzz_check_query(nc_status queried, const char *message, size_t capacity)
{
    FUZZ_REQUIRE(memchr(message, 0, capacity) != NULL, "message not NUL-terminated");
    if (queried != NC_STATUS_OK) {
        FUZZ_REQUIRE(queried == NC_STATUS_INVALID_ARGUMENT || queried == NC_STATUS_OVERFLOW,
                     "query status %d: %s", (int)queried, message);
        FUZZ_REQUIRE(message[0] != 0, "failure without a message");
    }
}

/* Wrong counts and overlapping buffers must be refused before anything is read or written. */
static inline void fuzz_check_refusals(fuzz_execute_fn execute, const void *plan, size_t nx, size_t ny, float *x,
                                       float *y)
{
    if (nx > 0) {
        FUZZ_REQUIRE(execute(plan, x, nx - 1, y, ny) == NC_STATUS_BUFFER_SIZE, "short input");
        FUZZ_REQUIRE(execute(plan, NULL, nx, y, ny) == NC_STATUS_NULL_POINTER, "NULL input");
    }
    if (ny > 0) {
        FUZZ_REQUIRE(execute(plan, x, nx, y, ny - 1) == NC_STATUS_BUFFER_SIZE, "short output");
        FUZZ_REQUIRE(execute(plan, x, nx, NULL, ny) == NC_STATUS_NULL_POINTER, "NULL output");
    }
    if (ny > 0 && ny <= nx) {
        /* The output placed over the tail of the input. */
        const nc_status st = execute(plan, x, nx, x + (nx - ny), ny);
        FUZZ_REQUIRE(st == NC_STATUS_INVALID_ARGUMENT, "overlapping buffers accepted: status %d", (int)st);
    }
}

#endif
