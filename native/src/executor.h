/* Splitting an operation's output into tasks and running them serially or on the caller's executor. */
#ifndef NATIVECONV_EXECUTOR_H
#define NATIVECONV_EXECUTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "nativeconv.h"

/* The output as a batch x row x channel grid cut into chunks[i] near-equal pieces per dimension. */
typedef struct nci_task_grid {
    int64_t extent[3];
    int64_t chunks[3];
} nci_task_grid;

/* How many tasks are worth making for `work` multiply-adds (or comparisons) on this executor. */
size_t nci_task_budget(const nc_executor *executor, int64_t work);

/* How many threads are worth using for `work`, for work whose data stays in cache and is cut into one task a
 * thread; nci_task_grid_balanced tells whether those tasks came out near-equal. */
size_t nci_thread_budget(const nc_executor *executor, int64_t work);

/* Fills grid and returns its task count (>= 1 when every extent is >= 1). The budget goes to images first, then
 * to rows, or to channels before rows when channels_first is set. */
size_t nci_task_grid_init(nci_task_grid *grid, int64_t batch, int64_t channels, int64_t rows, size_t budget,
                          bool channels_first);

/* True when no task of the grid holds more than 1.25 times the mean task's share of the extents. */
bool nci_task_grid_balanced(const nci_task_grid *grid);

void nci_task_grid_range(const nci_task_grid *grid, size_t index, nci_task_range *range);

/* Runs task(context, i) for i in [0, count); on the calling thread unless a parallel executor helps. */
void nci_run_tasks(const nc_executor *executor, nc_task_fn task, void *context, size_t count);

#endif
