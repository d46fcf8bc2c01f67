#include "ab_rounds.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void *ab_open(const char *path)
{
    void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        fprintf(stderr, "%s\n", dlerror());
    }
    return library;
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int ab_run_rounds(int rounds, ab_time_fn time, void *context, double unit, const char *unit_name)
{
    const int groups = rounds / 4 + (rounds % 4 != 0);
    double *ratios = malloc((size_t)groups * sizeof *ratios);
    if (ratios == NULL) {
        return 1;
    }
    double best[2] = {1e30, 1e30};
    for (int g = 0; g < groups; g++) {
        double log_ratio = 0.0;
        for (int r = 0; r < 4; r++) {
            double seconds[2];
            for (int turn = 0; turn < 2; turn++) {
                const int i = r % 2 == 0 ? turn : 1 - turn;
                seconds[i] = time(context, i, (i + r / 2) % 2);
                best[i] = seconds[i] < best[i] ? seconds[i] : best[i];
            }
            log_ratio += log(seconds[0] / seconds[1]);
        }
        ratios[g] = exp(log_ratio / 4.0);
    }
    qsort(ratios, (size_t)groups, sizeof *ratios, compare_doubles);
    printf("A %.1f %s, B %.1f %s (best of %d rounds); time A / time B: median %.3f, quartiles %.3f-%.3f "
           "(%d groups of 4 rounds)\n",
           unit / best[0] * 1e-9, unit_name, unit / best[1] * 1e-9, unit_name, 4 * groups, ratios[groups / 2],
           ratios[groups / 4], ratios[3 * groups / 4], groups);
    free(ratios);
    return 0;
}

nc_conv2d_desc ab_conv_desc(char **args)
{
    const int64_t c = atoll(args[0]), k = atoll(args[1]), size = atoll(args[2]), kernel = atoll(args[3]);
    const int64_t stride = atoll(args[4]), pad = atoll(args[5]);
    return (nc_conv2d_desc){.batch = 1, .in_channels = c, .in_height = size, .in_width = size, .out_channels = k,
                            .kernel_height = kernel, .kernel_width = kernel, .stride_height = stride,
                            .stride_width = stride, .pad_top = pad, .pad_bottom = pad, .pad_left = pad,
                            .pad_right = pad, .dilation_height = 1, .dilation_width = 1, .groups = atoll(args[6]),
                            .layout = atoi(args[7]), .filter_layout = NC_FILTER_OIHW};
}
