/* Single-thread GFLOP/s of nc_conv2d_plan_execute on a fixed set of layers, both layouts.
 * Usage: conv_bench [repetitions] [isa] [layer]   (isa: scalar|avx2|avx512, default: best available;
 * layer: run only the layers whose name contains it)
 * Prints the median and the best of `repetitions` timed runs per layer; each run repeats the execution
 * until it has used at least 50 ms. Times are process CPU time (clock), so a benchmark sharing the
 * machine with other work is not charged for the time it waits descheduled. GFLOP/s = 2 * N * K * (C / groups) * R * S * P * Q / seconds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nativeconv.h"

#include "bench_util.h"

typedef struct layer {
    const char *name;
    int64_t c, k, hw, kernel, stride, groups;
} layer;

static const layer layers[] = {
    {"vgg-conv1_2", 64, 64, 224, 3, 1, 1},      {"vgg-conv3_2", 256, 256, 56, 3, 1, 1},
    {"resnet-3x3-c4", 256, 256, 14, 3, 1, 1},   {"resnet-1x1-c3", 512, 128, 28, 1, 1, 1},
    {"seed-5x5", 3, 32, 224, 5, 1, 1},          {"resnet-conv1", 3, 64, 224, 7, 2, 1},
    {"resnet-3x3-s2", 128, 128, 56, 3, 2, 1},   {"mobilenet-dw", 256, 256, 28, 3, 1, 256},
};

static double now_seconds(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC); /* C11, so the benchmark also builds where POSIX clocks are absent */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    const int repetitions = argc > 1 ? atoi(argv[1]) : 7;
    if (argc > 2) {
        for (int32_t isa = NC_ISA_SCALAR; isa <= NC_ISA_NEON; isa++) {
            if (strcmp(argv[2], nc_isa_name(isa)) == 0) {
                nc_set_max_isa(isa);
            }
        }
    }
    printf("%-15s %-7s %-28s %10s %10s %10s %9s\n", "layer", "layout", "kernel", "median ms", "GFLOP/s",
           "best", "plan ms");
    for (size_t l = 0; l < sizeof layers / sizeof layers[0]; l++) {
        const layer *ly = &layers[l];
        if (argc > 3 && strstr(ly->name, argv[3]) == NULL) {
            continue;
        }
        for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NCHW16C; layout++) {
            const int64_t pad = (ly->kernel - 1) / 2;
            nc_conv2d_desc d = {.batch = 1, .in_channels = ly->c, .in_height = ly->hw, .in_width = ly->hw,
                                .out_channels = ly->k, .kernel_height = ly->kernel, .kernel_width = ly->kernel,
                                .stride_height = ly->stride, .stride_width = ly->stride, .pad_top = pad,
                                .pad_bottom = pad, .pad_left = pad, .pad_right = pad, .dilation_height = 1,
                                .dilation_width = 1, .groups = ly->groups, .layout = layout,
                                .activation = NC_ACTIVATION_RELU};
            nc_tensor_sizes s;
            if (nc_conv2d_query(&d, &s, NULL, 0) != NC_STATUS_OK) {
                return 1;
            }
            float *x = random_buffer(s.input_count), *w = random_buffer(s.filter_count);
            float *b = random_buffer(s.bias_count), *y = random_buffer(s.output_count);
            nc_conv2d_plan *plan = NULL;
            const double plan_start = now_seconds();
            if (nc_conv2d_plan_create(&d, w, (size_t)s.filter_count, b, (size_t)s.bias_count, &plan) !=
                NC_STATUS_OK) {
                return 1;
            }
            const double plan_ms = 1e3 * (now_seconds() - plan_start);
            const double flops = 2.0 * (double)(ly->k * (ly->c / ly->groups) * ly->kernel * ly->kernel) *
                                 (double)(s.out_height * s.out_width);
            double seconds[64];
            const int runs = repetitions < 1 ? 1 : repetitions > 64 ? 64 : repetitions;
            nc_conv2d_plan_execute(plan, x, (size_t)s.input_count, y, (size_t)s.output_count, NULL);
            for (int r = 0; r < runs; r++) {
                int iterations = 0;
                const double start = cpu_seconds();
                double elapsed;
                do {
                    nc_conv2d_plan_execute(plan, x, (size_t)s.input_count, y, (size_t)s.output_count, NULL);
                    iterations++;
                    elapsed = cpu_seconds() - start;
                } while (elapsed < 0.05);
                seconds[r] = elapsed / iterations;
            }
            qsort(seconds, (size_t)runs, sizeof seconds[0], compare_doubles);
            const double median = seconds[runs / 2];
            printf("%-15s %-7s %-28s %10.3f %10.1f %10.1f %9.3f\n", ly->name, layout_name(layout),
                   nc_conv2d_plan_kernel_name(plan), 1e3 * median, flops / median * 1e-9, flops / seconds[0] * 1e-9,
                   plan_ms);
            nc_conv2d_plan_destroy(plan);
            free(x);
            free(w);
            free(b);
            free(y);
        }
    }
    return 0;
}
