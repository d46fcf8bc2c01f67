/* How much slower the kernels run when every input is subnormal. Subnormal operands or results can cost
 * x86 cores a microcode assist per instruction; the library does not set flush-to-zero (results must
 * match IEEE), so this measures what a caller feeding denormals pays. Prints, per ISA and operation,
 * the median time with normal inputs, with subnormal inputs, and with normal inputs whose products are
 * subnormal, and the worst ratio. Exits 1 if a ratio exceeds the 2x budget of issue 6.
 * Build: cc -O2 -std=c11 denormal_bench.c -I native/include -L build/release/lib -lnativeconv */
#define _POSIX_C_SOURCE 199309L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nativeconv.h"

#define REPETITIONS 15

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static float *filled(size_t count, float low, float high, unsigned seed)
{
    float *p = malloc(count * sizeof(float));
    if (p == NULL) {
        exit(2);
    }
    srand(seed);
    for (size_t i = 0; i < count; i++) {
        p[i] = low + (high - low) * (float)rand() / (float)RAND_MAX;
    }
    return p;
}

static double median_conv(const nc_conv2d_plan *plan, const float *x, size_t nx, float *y, size_t ny)
{
    double times[REPETITIONS];
    for (int i = 0; i < REPETITIONS; i++) {
        double start = now_seconds();
        if (nc_conv2d_plan_execute(plan, x, nx, y, ny, NULL) != NC_STATUS_OK) {
            exit(2);
        }
        times[i] = now_seconds() - start;
    }
    qsort(times, REPETITIONS, sizeof times[0], compare_doubles);
    return times[REPETITIONS / 2];
}

static double median_pool(const nc_pool2d_plan *plan, const float *x, size_t nx, float *y, size_t ny)
{
    double times[REPETITIONS];
    for (int i = 0; i < REPETITIONS; i++) {
        double start = now_seconds();
        if (nc_pool2d_plan_execute(plan, x, nx, y, ny, NULL) != NC_STATUS_OK) {
            exit(2);
        }
        times[i] = now_seconds() - start;
    }
    qsort(times, REPETITIONS, sizeof times[0], compare_doubles);
    return times[REPETITIONS / 2];
}

static double report(const char *isa, const char *what, double normal, double subnormal, double products)
{
    double worst = subnormal / normal > products / normal ? subnormal / normal : products / normal;
    printf("%-7s %-22s normal %8.3f ms  subnormal inputs %8.3f ms (%.2fx)  subnormal products %8.3f ms (%.2fx)\n",
           isa, what, normal * 1e3, subnormal * 1e3, subnormal / normal, products * 1e3, products / normal);
    return worst;
}

int main(void)
{
    double worst = 0;
    for (int32_t isa = NC_ISA_SCALAR; isa <= NC_ISA_NEON; isa++) {
        nc_set_max_isa(isa);
        if (nc_active_isa() != isa) {
            continue;
        }
        for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NHWC; layout++) {
            nc_conv2d_desc d = {.batch = 1, .in_channels = 32, .in_height = 56, .in_width = 56, .out_channels = 32,
                                .kernel_height = 3, .kernel_width = 3, .stride_height = 1, .stride_width = 1,
                                .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1, .dilation_height = 1,
                                .dilation_width = 1, .groups = 1, .layout = layout};
            nc_tensor_sizes s;
            nc_conv2d_query(&d, &s, NULL, 0);
            const size_t nx = (size_t)s.input_count, nw = (size_t)s.filter_count, ny = (size_t)s.output_count;
            float *w = filled(nw, -1.0f, 1.0f, 1);
            float *w_tiny = filled(nw, -1e-20f, 1e-20f, 1);
            float *x = filled(nx, -1.0f, 1.0f, 2);
            float *x_sub = filled(nx, -1e-39f, 1e-39f, 2);
            float *x_small = filled(nx, -1e-20f, 1e-20f, 2);
            float *y = malloc(ny * sizeof(float));
            nc_conv2d_plan *plan = NULL, *tiny_plan = NULL;
            nc_conv2d_plan_create(&d, w, nw, NULL, 0, &plan);
            nc_conv2d_plan_create(&d, w_tiny, nw, NULL, 0, &tiny_plan);
            median_conv(plan, x, nx, y, ny); /* warm-up */
            double normal = median_conv(plan, x, nx, y, ny);
            double subnormal = median_conv(plan, x_sub, nx, y, ny);
            double products = median_conv(tiny_plan, x_small, nx, y, ny);
            char what[64];
            snprintf(what, sizeof what, "conv 3x3 32ch %s", layout == NC_LAYOUT_NHWC ? "nhwc" : "nchw");
            double r = report(nc_isa_name(isa), what, normal, subnormal, products);
            worst = r > worst ? r : worst;
            nc_conv2d_plan_destroy(plan);
            nc_conv2d_plan_destroy(tiny_plan);

            nc_pool2d_desc p = {.batch = 1, .channels = 64, .in_height = 112, .in_width = 112, .kernel_height = 3,
                                .kernel_width = 3, .stride_height = 2, .stride_width = 2, .pad_top = 1,
                                .pad_bottom = 1, .pad_left = 1, .pad_right = 1, .dilation_height = 1,
                                .dilation_width = 1, .kind = NC_POOL_AVERAGE, .layout = layout};
            nc_pool2d_query(&p, &s, NULL, 0);
            float *px = filled((size_t)s.input_count, -1.0f, 1.0f, 3);
            float *px_sub = filled((size_t)s.input_count, -1e-39f, 1e-39f, 3);
            float *py = malloc((size_t)s.output_count * sizeof(float));
            nc_pool2d_plan *pool = NULL;
            nc_pool2d_plan_create(&p, &pool);
            median_pool(pool, px, (size_t)s.input_count, py, (size_t)s.output_count);
            double pool_normal = median_pool(pool, px, (size_t)s.input_count, py, (size_t)s.output_count);
            double pool_sub = median_pool(pool, px_sub, (size_t)s.input_count, py, (size_t)s.output_count);
            snprintf(what, sizeof what, "avg pool 3x3/2 %s", layout == NC_LAYOUT_NHWC ? "nhwc" : "nchw");
            r = report(nc_isa_name(isa), what, pool_normal, pool_sub, pool_sub);
            worst = r > worst ? r : worst;
            nc_pool2d_plan_destroy(pool);
            free(w);
            free(w_tiny);
            free(x);
            free(x_sub);
            free(x_small);
            free(y);
            free(px);
            free(px_sub);
            free(py);
        }
    }
    printf("worst slowdown with subnormals: %.2fx (budget 2x)\n", worst);
    return worst > 2.0 ? 1 : 0;
}
