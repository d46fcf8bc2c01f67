/* Tensors of more than 2^31 elements (1 x 1 x 46341 x 46341) must work: any index computed in 32 bits
 * would wrap and read or write the wrong element, or crash. The input lives in an untouched anonymous
 * mapping, so reading it costs no memory (the kernel maps the shared zero page); only a few elements
 * far past 2^31 are written.
 *   - Sparse: a 1x1 kernel with stride 46340 reads just the four corners, for convolution and pooling
 *     in both layouts; needs almost no memory and always runs.
 *   - Dense: the same input with stride 1, so the output has 2^31 + 4633 elements too (8.6 GB); runs
 *     only when /proc/meminfo shows enough available memory, and says so when it skips. */
#define _DEFAULT_SOURCE

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "nativeconv.h"
#include "test_util.h"

#define SIDE 46341
#define ELEMENTS ((size_t)SIDE * SIDE) /* 2147488281 > 2^31 */

static float *map_floats(size_t count)
{
    void *p = mmap(NULL, count * sizeof(float), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* The input's four corners and its last row's middle get distinct values; the rest stays zero. */
static void mark_input(float *x)
{
    x[0] = 1.0f;
    x[SIDE - 1] = 2.0f;
    x[(size_t)(SIDE - 1) * SIDE] = 3.0f;
    x[ELEMENTS - 1] = 4.0f;
    x[(size_t)(SIDE - 1) * SIDE + SIDE / 2] = 5.0f;
}

static void sparse_cases(float *x)
{
    for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NHWC; layout++) {
        /* With one channel NCHW and NHWC have the same memory order. */
        nc_conv2d_desc conv = {.batch = 1, .in_channels = 1, .in_height = SIDE, .in_width = SIDE,
                               .out_channels = 1, .kernel_height = 1, .kernel_width = 1,
                               .stride_height = SIDE - 1, .stride_width = SIDE - 1, .dilation_height = 1,
                               .dilation_width = 1, .groups = 1, .layout = layout};
        nc_tensor_sizes s;
        CHECK_STATUS(nc_conv2d_query(&conv, &s, NULL, 0), NC_STATUS_OK);
        CHECK(s.input_count == (int64_t)ELEMENTS && s.output_count == 4);
        const float w = 2.0f, b = 0.5f;
        float y[4] = {-1, -1, -1, -1};
        CHECK_STATUS(nc_conv2d(&conv, x, ELEMENTS, &w, 1, &b, 1, y, 4, NULL), NC_STATUS_OK);
        CHECK(y[0] == 2.5f && y[1] == 4.5f && y[2] == 6.5f && y[3] == 8.5f);

        nc_pool2d_desc pool = {.batch = 1, .channels = 1, .in_height = SIDE, .in_width = SIDE, .kernel_height = 1,
                               .kernel_width = 1, .stride_height = SIDE - 1, .stride_width = SIDE - 1,
                               .dilation_height = 1, .dilation_width = 1, .kind = NC_POOL_MAX, .layout = layout};
        float p[4] = {-1, -1, -1, -1};
        CHECK_STATUS(nc_pool2d(&pool, x, ELEMENTS, p, 4, NULL), NC_STATUS_OK);
        CHECK(p[0] == 1.0f && p[1] == 2.0f && p[2] == 3.0f && p[3] == 4.0f);

        /* Global average over all 2^31+ elements: (1+2+3+4+5) / ELEMENTS. */
        pool.kind = NC_POOL_AVERAGE;
        pool.flags = NC_POOL2D_GLOBAL;
        float mean = -1;
        CHECK_STATUS(nc_pool2d(&pool, x, ELEMENTS, &mean, 1, NULL), NC_STATUS_OK);
        const double expected = 15.0 / (double)ELEMENTS;
        CHECK(mean > expected * 0.999 && mean < expected * 1.001);
    }
}

static long long available_kib(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (f == NULL) {
        return 0;
    }
    char line[256];
    long long kib = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "MemAvailable: %lld kB", &kib) == 1) {
            break;
        }
    }
    fclose(f);
    return kib;
}

static void dense_case(const float *x)
{
    /* The output must fit with 6 GiB to spare, for the rest of the machine. */
    const long long needed_kib = (long long)(ELEMENTS * sizeof(float) / 1024) + 6LL * 1024 * 1024;
    const long long have_kib = available_kib();
    if (have_kib < needed_kib) {
        printf("dense case skipped: %lld MiB available, %lld MiB needed\n", have_kib / 1024, needed_kib / 1024);
        return;
    }
    float *y = map_floats(ELEMENTS);
    if (y == NULL) {
        printf("dense case skipped: cannot map the output\n");
        return;
    }
    nc_conv2d_desc conv = {.batch = 1, .in_channels = 1, .in_height = SIDE, .in_width = SIDE, .out_channels = 1,
                           .kernel_height = 1, .kernel_width = 1, .stride_height = 1, .stride_width = 1,
                           .dilation_height = 1, .dilation_width = 1, .groups = 1};
    const float w = 2.0f, b = 0.5f;
    CHECK_STATUS(nc_conv2d(&conv, x, ELEMENTS, &w, 1, &b, 1, y, ELEMENTS, NULL), NC_STATUS_OK);
    size_t wrong = 0;
    for (size_t i = 0; i < ELEMENTS; i++) {
        if (y[i] != 2.0f * x[i] + 0.5f) {
            wrong++;
        }
    }
    CHECK(wrong == 0);
    CHECK(y[ELEMENTS - 1] == 8.5f && y[(size_t)(SIDE - 1) * SIDE + SIDE / 2] == 10.5f);
    printf("dense case: %zu output elements, %zu wrong\n", ELEMENTS, wrong);
    munmap(y, ELEMENTS * sizeof(float));
}

int main(void)
{
    if (sizeof(size_t) < 8) {
        printf("test_large_tensor: skipped on a 32-bit platform\n");
        return 0;
    }
    float *x = map_floats(ELEMENTS);
    if (x == NULL) {
        printf("test_large_tensor: skipped, cannot reserve %zu bytes of address space\n", ELEMENTS * sizeof(float));
        return 0;
    }
    mark_input(x);
    sparse_cases(x);
    dense_case(x);
    munmap(x, ELEMENTS * sizeof(float));
    return test_finish("test_large_tensor");
}
