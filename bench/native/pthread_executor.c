#include "pthread_executor.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct pthread_executor {
    nc_executor executor;
    pthread_t *workers;
    size_t worker_count;
    pthread_mutex_t lock;
    pthread_cond_t job_posted;
    pthread_cond_t job_finished;
    /* The current job; workers notice a new one by a changed generation. */
    uint64_t generation;
    nc_task_fn task;
    void *task_context;
    size_t task_count;
    atomic_size_t next_task;
    size_t busy_workers;
    bool stopping;
};

static void run_tasks(pthread_executor *pool, nc_task_fn task, void *task_context, size_t task_count)
{
    for (size_t i = atomic_fetch_add(&pool->next_task, 1); i < task_count;
         i = atomic_fetch_add(&pool->next_task, 1)) {
        task(task_context, i);
    }
}

static void *worker_main(void *argument)
{
    pthread_executor *pool = argument;
    uint64_t seen = 0;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (pool->generation == seen && !pool->stopping) {
            pthread_cond_wait(&pool->job_posted, &pool->lock);
        }
        if (pool->stopping) {
            break;
        }
        seen = pool->generation;
        nc_task_fn task = pool->task;
        void *task_context = pool->task_context;
        size_t task_count = pool->task_count;
        pthread_mutex_unlock(&pool->lock);
        run_tasks(pool, task, task_context, task_count);
        pthread_mutex_lock(&pool->lock);
        if (--pool->busy_workers == 0) {
            pthread_cond_signal(&pool->job_finished);
        }
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

static void parallel_for(void *context, nc_task_fn task, void *task_context, size_t task_count)
{
    pthread_executor *pool = context;
    if (pool->worker_count == 0 || task_count < 2) {
        for (size_t i = 0; i < task_count; i++) {
            task(task_context, i);
        }
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->task = task;
    pool->task_context = task_context;
    pool->task_count = task_count;
    atomic_store(&pool->next_task, 0);
    pool->busy_workers = pool->worker_count;
    pool->generation++;
    pthread_cond_broadcast(&pool->job_posted);
    pthread_mutex_unlock(&pool->lock);

    run_tasks(pool, task, task_context, task_count);

    pthread_mutex_lock(&pool->lock);
    while (pool->busy_workers > 0) {
        pthread_cond_wait(&pool->job_finished, &pool->lock);
    }
    pthread_mutex_unlock(&pool->lock);
}

pthread_executor *pthread_executor_create(size_t threads)
{
    pthread_executor *pool = calloc(1, sizeof *pool);
    if (pool == NULL || threads == 0) {
        free(pool);
        return NULL;
    }
    pool->executor = (nc_executor){.context = pool, .parallel_for = parallel_for, .max_threads = threads};
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->job_posted, NULL);
    pthread_cond_init(&pool->job_finished, NULL);
    pool->workers = calloc(threads, sizeof *pool->workers);
    if (pool->workers == NULL) {
        pthread_executor_destroy(pool);
        return NULL;
    }
    for (size_t i = 0; i + 1 < threads; i++) {
        if (pthread_create(&pool->workers[i], NULL, worker_main, pool) != 0) {
            pthread_executor_destroy(pool);
            return NULL;
        }
        pool->worker_count++;
    }
    return pool;
}

const nc_executor *pthread_executor_get(const pthread_executor *executor)
{
    return &executor->executor;
}

void pthread_executor_destroy(pthread_executor *executor)
{
    if (executor == NULL) {
        return;
    }
    pthread_mutex_lock(&executor->lock);
    executor->stopping = true;
    pthread_cond_broadcast(&executor->job_posted);
    pthread_mutex_unlock(&executor->lock);
    for (size_t i = 0; i < executor->worker_count; i++) {
        pthread_join(executor->workers[i], NULL);
    }
    pthread_cond_destroy(&executor->job_finished);
    pthread_cond_destroy(&executor->job_posted);
    pthread_mutex_destroy(&executor->lock);
    free(executor->workers);
    free(executor);
}
