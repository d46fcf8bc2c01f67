#include "bench_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bench_options bench_parse_options(int argc, char **argv, bool accepts_plan_csv)
{
    bench_options opt = {.reps = 7, .min_seconds = 0.05};
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 == argc) {
            fprintf(stderr, "option %s needs a value\n", argv[i]);
            exit(2);
        }
        if (strcmp(argv[i], "--reps") == 0) {
            opt.reps = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--min-ms") == 0) {
            opt.min_seconds = atof(argv[i + 1]) * 1e-3;
        } else if (strcmp(argv[i], "--csv") == 0) {
            opt.csv = argv[i + 1];
        } else if (strcmp(argv[i], "--row") == 0) {
            opt.only_row = argv[i + 1];
        } else if (accepts_plan_csv && strcmp(argv[i], "--plan-csv") == 0) {
            opt.plan_csv = argv[i + 1];
        } else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            exit(2);
        }
    }
    opt.reps = opt.reps < 1 ? 1 : opt.reps > BENCH_MAX_REPS ? BENCH_MAX_REPS : opt.reps;
    return opt;
}

bool bench_row_selected(const bench_options *options, const char *name)
{
    return options->only_row == NULL || strcmp(options->only_row, name) == 0;
}
