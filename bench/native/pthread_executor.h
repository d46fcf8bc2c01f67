/* An nc_executor backed by a fixed set of pthreads; the calling thread takes tasks too. */
#ifndef PTHREAD_EXECUTOR_H
#define PTHREAD_EXECUTOR_H

#include <stddef.h>

#include "nativeconv.h"

typedef struct pthread_executor pthread_executor;

/* threads >= 1 counts the calling thread, so threads - 1 workers are started. The caller is pinned to the first
 * online CPU and each worker to one of the next (see pin_thread); destroy, called from the same thread, gives the
 * caller back its CPUs. NULL on failure. */
pthread_executor *pthread_executor_create(size_t threads);
/* The nc_executor to pass to nc_*_plan_execute; valid as long as the executor. */
const nc_executor *pthread_executor_get(const pthread_executor *executor);
void pthread_executor_destroy(pthread_executor *executor);

#endif
