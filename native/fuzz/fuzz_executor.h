/* A caller-side executor for the fuzz targets. It runs every task on the calling thread but in an
 * order chosen by the input (forward, reverse, or alternating from both ends), so a kernel that
 * assumes task 0 runs first, or that neighbouring tasks run in order, gives a different result than
 * the library's own serial loop. It also checks the executor contract from the caller's side. */
#ifndef NATIVECONV_FUZZ_EXECUTOR_H
#define NATIVECONV_FUZZ_EXECUTOR_H

#include <stdlib.h>

#include "fuzz_expect.h"
#include "nativeconv.h"

typedef enum fuzz_order { FUZZ_FORWARD, FUZZ_REVERSE, FUZZ_ALTERNATE } fuzz_order;

typedef struct fuzz_executor_state {
    fuzz_order order;
    size_t calls;
    size_t max_tasks; /* a task count above this is a runaway split */
} fuzz_executor_state;

static void fuzz_parallel_for(void *context, nc_task_fn task, void *task_context, size_t task_count)
{
    fuzz_executor_state *state = context;
    state->calls++;
    FUZZ_REQUIRE(task_count >= 1 && task_count <= state->max_tasks, "task_count %zu, max %zu", task_count,
                 state->max_tasks);
    for (size_t i = 0; i < task_count; i++) {
        size_t index = i;
        if (state->order == FUZZ_REVERSE) {
            index = task_count - 1 - i;
        } else if (state->order == FUZZ_ALTERNATE) {
            index = i % 2 == 0 ? i / 2 : task_count - 1 - i / 2;
        }
        task(task_context, index);
    }
}

#endif
