/* The command line the side-by-side benchmarks share:
 *   --reps N      timings per contender (median and spread are taken over them), 1..BENCH_MAX_REPS
 *   --min-ms T    each timing repeats calls until T ms of its clock have passed
 *   --csv F       appends one line per case and peer to F
 *   --row NAME    runs only that row of the suite
 *   --plan-csv F  (conv_vs_onednn only) appends plan-creation times to F */
#ifndef BENCH_OPTIONS_H
#define BENCH_OPTIONS_H

#include <stdbool.h>

#define BENCH_MAX_REPS 64

typedef struct bench_options {
    int reps;
    double min_seconds;
    const char *csv;
    const char *plan_csv;
    const char *only_row;
} bench_options;

/* Exits with status 2 and a message on an unknown option, or on --plan-csv unless accepts_plan_csv. */
bench_options bench_parse_options(int argc, char **argv, bool accepts_plan_csv);

/* Whether the suite row called name runs under the options' --row. */
bool bench_row_selected(const bench_options *options, const char *name);

#endif
