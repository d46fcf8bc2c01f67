/* For pthread_setaffinity_np and the CPU_* macros; before any header, which may include features.h. */
#define _GNU_SOURCE
#include "pthread_executor.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

/* Between calls in a loop of layers the next job comes within microseconds, and waking a sleeping thread
 * costs about as much as a small layer: 15-20 us per call on the 2-vCPU KVM guest, for pooling calls of
 * about 100 us. So workers, and the caller waiting for them, spin this long before they sleep, as OpenMP
 * runtimes (oneDNN's threads) and ONNX Runtime's pool do. */
#define SPIN_NANOSECONDS 100000

struct pthread_executor {
    nc_executor executor;
    pthread_t *workers;
    size_t worker_count;
    pthread_mutex_t lock;
    pthread_cond_t job_posted;
    pthread_cond_t job_finished;
    /* The current job. Its fields are written before the generation moves on, under the lock, and workers
     * read them after seeing the new generation. */
    atomic_uint_fast64_t generation;
    nc_task_fn task;
    void *task_context;
    size_t task_count;
    atomic_size_t next_task;
    atomic_size_t busy_workers;
    atomic_bool stopping;
#if defined(__linux__)
    /* The caller's CPUs before create pinned it; destroy gives them back. */
    cpu_set_t caller_cpus;
    bool caller_pinned;
#endif
};

static int64_t now_nanoseconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Spins until done(pool, argument) or SPIN_NANOSECONDS pass; returns whether it is done. The clock is read
 * once per 64 spins. */
static bool spin_until(const pthread_executor *pool, bool (*done)(const pthread_executor *, uint64_t),
                       uint64_t argument)
{
    const int64_t deadline = now_nanoseconds() + SPIN_NANOSECONDS;
    for (unsigned spins = 1;; spins++) {
        if (done(pool, argument)) {
            return true;
        }
        if (spins % 64 == 0 && now_nanoseconds() > deadline) {
            return false;
        }
        CPU_RELAX();
    }
}

static bool job_posted(const pthread_executor *pool, uint64_t seen)
{
    return atomic_load(&pool->generation) != seen || atomic_load(&pool->stopping);
}

static bool workers_idle(const pthread_executor *pool, uint64_t unused)
{
    (void)unused;
    return atomic_load(&pool->busy_workers) == 0;
}

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
    for (;;) {
        if (!spin_until(pool, job_posted, seen)) {
            pthread_mutex_lock(&pool->lock);
            while (!job_posted(pool, seen)) {
                pthread_cond_wait(&pool->job_posted, &pool->lock);
            }
            pthread_mutex_unlock(&pool->lock);
        }
        if (atomic_load(&pool->stopping)) {
            return NULL;
        }
        seen = atomic_load(&pool->generation);
        run_tasks(pool, pool->task, pool->task_context, pool->task_count);
        if (atomic_fetch_sub(&pool->busy_workers, 1) == 1) {
            /* Under the lock, so a caller that found workers busy is already waiting when the signal comes. */
            pthread_mutex_lock(&pool->lock);
            pthread_cond_signal(&pool->job_finished);
            pthread_mutex_unlock(&pool->lock);
        }
    }
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
    atomic_store(&pool->busy_workers, pool->worker_count);
    atomic_fetch_add(&pool->generation, 1);
    pthread_cond_broadcast(&pool->job_posted);
    pthread_mutex_unlock(&pool->lock);

    run_tasks(pool, task, task_context, task_count);

    if (!spin_until(pool, workers_idle, 0)) {
        pthread_mutex_lock(&pool->lock);
        while (!workers_idle(pool, 0)) {
            pthread_cond_wait(&pool->job_finished, &pool->lock);
        }
        pthread_mutex_unlock(&pool->lock);
    }
}

/* Pins thread to online CPU index, wrapping round when there are fewer CPUs than threads. Unpinned, on a
 * 2-vCPU Zen 5 guest whose kernel sees no cache shared between its CPUs, a woken thread often landed on the
 * CPU of the thread that woke it, and the two then shared that CPU for whole timings:
 * pool_vs_onednn's 2-thread rows ran at 10-19 GB/s after the first row, 46-114 GB/s pinned, and with only the
 * worker pinned conv_vs_onednn's 2-thread rows fell to 0.8x their 1-thread figure after a few rows. The caller
 * takes the first online CPU, the CPU oneDNN's master thread is bound to (onednn_bind_threads). CPUs 0 to N-1
 * are taken to be the process's: a taskset or cpuset narrower than that is not honoured. Linux only; elsewhere
 * the threads run unpinned. */
#if defined(__linux__)
static void pin_thread(pthread_t thread, size_t index)
{
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (online < 1) {
        return;
    }
    const int cpu = (int)(index % (size_t)(online < CPU_SETSIZE ? online : CPU_SETSIZE));
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (pthread_setaffinity_np(thread, sizeof one, &one) != 0) {
        fprintf(stderr, "pthread_executor: could not pin a thread to CPU %d; it runs unpinned\n", cpu);
    }
}
#endif

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
#if defined(__linux__)
    if (pool->worker_count > 0 &&
        pthread_getaffinity_np(pthread_self(), sizeof pool->caller_cpus, &pool->caller_cpus) == 0) {
        pool->caller_pinned = true;
        pin_thread(pthread_self(), 0);
        for (size_t i = 0; i < pool->worker_count; i++) {
            pin_thread(pool->workers[i], i + 1);
        }
    }
#endif
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
    atomic_store(&executor->stopping, true);
    pthread_cond_broadcast(&executor->job_posted);
    pthread_mutex_unlock(&executor->lock);
    for (size_t i = 0; i < executor->worker_count; i++) {
        pthread_join(executor->workers[i], NULL);
    }
#if defined(__linux__)
    if (executor->caller_pinned) {
        pthread_setaffinity_np(pthread_self(), sizeof executor->caller_cpus, &executor->caller_cpus);
    }
#endif
    pthread_cond_destroy(&executor->job_finished);
    pthread_cond_destroy(&executor->job_posted);
    pthread_mutex_destroy(&executor->lock);
    free(executor->workers);
    free(executor);
}
