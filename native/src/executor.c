#include "executor.h"

/* Below this much work a second thread costs more than it saves. */
#define MIN_PARALLEL_WORK ((int64_t)1 << 15)
/* A few tasks per thread even out uneven rows and threads that start late. */
#define TASKS_PER_THREAD 4
/* Keeps budget arithmetic far from overflow whatever max_threads claims. */
#define MAX_THREADS 4096

size_t nci_task_budget(const nc_executor *executor, int64_t work)
{
    if (executor == NULL || executor->max_threads <= 1 || work < MIN_PARALLEL_WORK) {
        return 1;
    }
    size_t threads = executor->max_threads < MAX_THREADS ? executor->max_threads : MAX_THREADS;
    return threads * TASKS_PER_THREAD;
}

size_t nci_thread_budget(const nc_executor *executor, int64_t work)
{
    const size_t tasks = nci_task_budget(executor, work);
    return tasks > 1 ? tasks / TASKS_PER_THREAD : 1;
}

size_t nci_task_grid_init(nci_task_grid *grid, int64_t batch, int64_t channels, int64_t rows, size_t budget,
                          bool channels_first)
{
    /* Images first (fully independent), then rows (keep each task's channel loop long), then channels; or
     * channels before rows, when every task re-reading all the weights would cost more than re-reading input. */
    grid->extent[0] = batch;
    grid->extent[1] = rows;
    grid->extent[2] = channels;
    const int order[2][3] = {{0, 1, 2}, {0, 2, 1}};
    int64_t remaining = (int64_t)budget;
    size_t count = 1;
    for (int step = 0; step < 3; step++) {
        const int i = order[channels_first][step];
        int64_t chunks = grid->extent[i] < remaining ? grid->extent[i] : remaining;
        if (chunks < 1) {
            chunks = 1;
        }
        grid->chunks[i] = chunks;
        remaining = (remaining + chunks - 1) / chunks;
        count *= (size_t)chunks;
    }
    return count;
}

bool nci_task_grid_balanced(const nci_task_grid *grid)
{
    /* With one task a thread, the largest task sets the time: four threads' worth of tasks would even out. */
    int64_t largest = 1, total = 1, count = 1;
    for (int i = 0; i < 3; i++) {
        largest *= (grid->extent[i] + grid->chunks[i] - 1) / grid->chunks[i];
        total *= grid->extent[i];
        count *= grid->chunks[i];
    }
    return (double)largest * (double)count * 4.0 <= (double)total * 5.0;
}

/* Piece `index` of `extent` cut into `chunks` pieces whose sizes differ by at most one. */
static void piece(int64_t extent, int64_t chunks, int64_t index, int64_t *begin, int64_t *end)
{
    int64_t size = extent / chunks;
    int64_t extra = extent % chunks;
    *begin = index * size + (index < extra ? index : extra);
    *end = *begin + size + (index < extra ? 1 : 0);
}

void nci_task_grid_range(const nci_task_grid *grid, size_t index, nci_task_range *range)
{
    int64_t i = (int64_t)index;
    int64_t channel = i % grid->chunks[2];
    i /= grid->chunks[2];
    int64_t row = i % grid->chunks[1];
    int64_t image = i / grid->chunks[1];
    piece(grid->extent[0], grid->chunks[0], image, &range->batch_begin, &range->batch_end);
    piece(grid->extent[1], grid->chunks[1], row, &range->row_begin, &range->row_end);
    piece(grid->extent[2], grid->chunks[2], channel, &range->channel_begin, &range->channel_end);
}

void nci_run_tasks(const nc_executor *executor, nc_task_fn task, void *context, size_t count)
{
    if (executor == NULL || executor->max_threads <= 1 || count <= 1) {
        for (size_t i = 0; i < count; i++) {
            task(context, i);
        }
        return;
    }
    executor->parallel_for(executor->context, task, context, count);
}
