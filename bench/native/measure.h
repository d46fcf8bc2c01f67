/* Timing of one contender: seconds per call, from calls repeated until a minimum time has passed. */
#ifndef MEASURE_H
#define MEASURE_H

#include <stddef.h>

typedef void (*measured_fn)(void *context);

typedef enum measure_clock {
    /* CPU time of the calling thread: a single-threaded run is not charged for time it spends
     * descheduled while other work shares the machine. */
    MEASURE_THREAD_CPU,
    /* Wall time: the only honest clock once other threads do part of the work. */
    MEASURE_WALL
} measure_clock;

/* Sleeps 20 ms, then calls fn until min_seconds of the clock have passed; seconds per call. */
double measure_seconds_per_call(measured_fn fn, void *context, measure_clock clock, double min_seconds);
/* Wall-clock seconds since an arbitrary start. */
double measure_wall_seconds(void);
/* Sorts values in place and returns the median. */
double measure_median(double *values, size_t count);
/* (max - min) / median of a sorted sample, as a noise figure. */
double measure_spread(const double *sorted, size_t count);

#endif
