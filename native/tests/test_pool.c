/* nc_pool2d against the reference over seeded random shapes, plus the PyTorch corner rules. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nativeconv.h"
#include "reference.h"
#include "test_util.h"

#define CASES 400

static float *alloc_floats(int64_t count)
{
    float *p = malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static nc_pool2d_desc random_desc(test_rng *rng, int index)
{
    nc_pool2d_desc d = {0};
    d.batch = index % 23 == 0 ? 0 : test_int(rng, 1, 3);
    d.channels = test_int(rng, 1, 5);
    d.in_height = test_int(rng, 1, 9);
    d.in_width = test_int(rng, 1, 9);
    d.kind = (int32_t)test_int(rng, 0, 1);
    d.layout = (int32_t)test_int(rng, 0, 1);
    d.kernel_height = test_int(rng, 1, 4);
    d.kernel_width = test_int(rng, 1, 4);
    d.stride_height = test_int(rng, 1, 4);
    d.stride_width = test_int(rng, 1, 4);
    d.pad_top = test_int(rng, 0, d.kernel_height / 2);
    d.pad_bottom = test_int(rng, 0, d.kernel_height / 2);
    d.pad_left = test_int(rng, 0, d.kernel_width / 2);
    d.pad_right = test_int(rng, 0, d.kernel_width / 2);
    d.dilation_height = d.kind == NC_POOL_MAX ? test_int(rng, 1, 3) : 1;
    d.dilation_width = d.kind == NC_POOL_MAX ? test_int(rng, 1, 3) : 1;
    d.flags = (uint32_t)test_int(rng, 0, 3); /* ceil mode and include-pad in every combination */
    if (index % 11 == 0) {
        d.flags |= NC_POOL2D_GLOBAL;
        d.kernel_height = 99; /* ignored under NC_POOL2D_GLOBAL, even though invalid here */
        d.pad_top = -5;
    }
    return d;
}

static bool same_float(float a, float b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* Returns false when the shape is invalid (the library must then agree it is). */
static bool run_case(test_rng *rng, const nc_pool2d_desc *d, bool use_plan)
{
    const bool global = (d->flags & NC_POOL2D_GLOBAL) != 0, ceil_mode = (d->flags & NC_POOL2D_CEIL_MODE) != 0;
    const int64_t oh = global ? 1
                              : ref_pool_out_size(d->in_height, d->pad_top, d->pad_bottom, d->kernel_height,
                                                  d->stride_height, d->dilation_height, ceil_mode);
    const int64_t ow = global ? 1
                              : ref_pool_out_size(d->in_width, d->pad_left, d->pad_right, d->kernel_width,
                                                  d->stride_width, d->dilation_width, ceil_mode);
    nc_tensor_sizes sizes;
    char message[256];
    nc_status status = nc_pool2d_query(d, &sizes, message, sizeof message);
    if (oh < 1 || ow < 1) {
        CHECK_STATUS(status, NC_STATUS_INVALID_ARGUMENT);
        return false;
    }
    CHECK_STATUS(status, NC_STATUS_OK);
    CHECK(sizes.out_height == oh && sizes.out_width == ow);
    const int64_t in_count = d->batch * d->channels * d->in_height * d->in_width;
    const int64_t out_count = d->batch * d->channels * oh * ow;
    CHECK(sizes.input_count == in_count && sizes.output_count == out_count);
    CHECK(sizes.filter_count == 0 && sizes.bias_count == 0);

    float *x = alloc_floats(in_count), *x_lib = alloc_floats(in_count);
    float *y_lib = alloc_floats(out_count), *y = alloc_floats(out_count), *expected = alloc_floats(out_count);
    double *scale = malloc((size_t)(out_count > 0 ? out_count : 1) * sizeof(double));
    for (int64_t i = 0; i < in_count; i++) {
        int64_t pick = test_int(rng, 0, 99);
        x[i] = pick == 0 ? NAN : pick == 1 ? -INFINITY : pick == 2 ? INFINITY : test_float(rng);
    }
    if (d->kind == NC_POOL_AVERAGE) {
        for (int64_t i = 0; i < in_count; i++) {
            x[i] = isfinite(x[i]) ? x[i] : 0.5f; /* keeps the tolerance meaningful */
        }
    }
    if (d->layout == NC_LAYOUT_NHWC) {
        ref_nchw_to_nhwc(x, x_lib, d->batch, d->channels, d->in_height, d->in_width);
    } else {
        memcpy(x_lib, x, (size_t)in_count * sizeof(float));
    }
    const float *in_arg = in_count > 0 ? x_lib : NULL;
    float *out_arg = out_count > 0 ? y_lib : NULL;
    if (use_plan) {
        nc_pool2d_plan *plan = NULL;
        CHECK_STATUS(nc_pool2d_plan_create(d, &plan), NC_STATUS_OK);
        CHECK(plan != NULL && nc_pool2d_plan_kernel_name(plan) != NULL);
        CHECK_STATUS(nc_pool2d_plan_execute(plan, in_arg, (size_t)in_count, out_arg, (size_t)out_count, NULL),
                     NC_STATUS_OK);
        nc_pool2d_plan_destroy(plan);
    } else {
        CHECK_STATUS(nc_pool2d(d, in_arg, (size_t)in_count, out_arg, (size_t)out_count, NULL), NC_STATUS_OK);
    }
    if (d->layout == NC_LAYOUT_NHWC) {
        ref_nhwc_to_nchw(y_lib, y, d->batch, d->channels, oh, ow);
    } else {
        memcpy(y, y_lib, (size_t)out_count * sizeof(float));
    }
    ref_pool2d(d, oh, ow, x, expected, scale);
    int64_t bad = 0;
    for (int64_t i = 0; i < out_count; i++) {
        /* Max is a selection, so it must be exact; the average may round differently in float. */
        bool ok = d->kind == NC_POOL_MAX
                      ? same_float(y[i], expected[i])
                      : fabs((double)y[i] - (double)expected[i]) <=
                            (double)(d->kernel_height * d->kernel_width + 2) * FLT_EPSILON * scale[i];
        if (!ok && bad++ == 0) {
            fprintf(stderr,
                    "pool mismatch at %" PRId64 ": got %.9g expected %.9g (kind %d layout %d flags %u, in %" PRId64
                    "x%" PRId64 " kernel %" PRId64 "x%" PRId64 " stride %" PRId64 "x%" PRId64 ")\n",
                    i, (double)y[i], (double)expected[i], d->kind, d->layout, d->flags, d->in_height, d->in_width,
                    d->kernel_height, d->kernel_width, d->stride_height, d->stride_width);
        }
    }
    CHECK(bad == 0);
    free(x);
    free(x_lib);
    free(y_lib);
    free(y);
    free(expected);
    free(scale);
    return true;
}

static nc_pool2d_desc window_1d(int32_t kind, int64_t in_width, int64_t kernel, int64_t stride, int64_t pad,
                                uint32_t flags)
{
    return (nc_pool2d_desc){.batch = 1, .channels = 1, .in_height = 1, .in_width = in_width, .kernel_height = 1,
                            .kernel_width = kernel, .stride_height = 1, .stride_width = stride, .pad_left = pad,
                            .pad_right = pad, .dilation_height = 1, .dilation_width = 1, .kind = kind,
                            .flags = flags};
}

static void check_ceil_mode(void)
{
    nc_tensor_sizes s;
    /* in 3, kernel 2, stride 2, pad 1: ceil gives 3 windows, but the third would start at padded
     * index 4 = in + pad_left, entirely in the end padding, so it is dropped: 2, same as floor. */
    nc_pool2d_desc d = window_1d(NC_POOL_MAX, 3, 2, 2, 1, NC_POOL2D_CEIL_MODE);
    CHECK_STATUS(nc_pool2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    CHECK(s.out_width == 2);
    /* in 4, kernel 3, stride 2, no pad: floor gives 1, ceil gives 2 (the second window is partial). */
    d = window_1d(NC_POOL_MAX, 4, 3, 2, 0, 0);
    CHECK_STATUS(nc_pool2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    CHECK(s.out_width == 1);
    d.flags = NC_POOL2D_CEIL_MODE;
    CHECK_STATUS(nc_pool2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    CHECK(s.out_width == 2);
    const float x[4] = {1, 2, 3, 4};
    float y[2];
    CHECK_STATUS(nc_pool2d(&d, x, 4, y, 2, NULL), NC_STATUS_OK);
    CHECK(y[0] == 3 && y[1] == 4);
    d.kind = NC_POOL_AVERAGE;
    CHECK_STATUS(nc_pool2d(&d, x, 4, y, 2, NULL), NC_STATUS_OK);
    CHECK(y[0] == 2 && y[1] == 3.5f); /* (1+2+3)/3 and (3+4)/2: a ceil window has no padding to count */
    d.flags |= NC_POOL2D_COUNT_INCLUDE_PAD;
    CHECK_STATUS(nc_pool2d(&d, x, 4, y, 2, NULL), NC_STATUS_OK);
    CHECK(y[0] == 2 && y[1] == 3.5f); /* clipped to in + pad_right = 4, so still divided by 2 */
}

static void check_average_padding(void)
{
    /* in {1,2,3}, kernel 3, stride 1, pad 1: windows {pad,1,2} {1,2,3} {2,3,pad}. */
    nc_pool2d_desc d = window_1d(NC_POOL_AVERAGE, 3, 3, 1, 1, 0);
    const float x[3] = {1, 2, 3};
    float y[3];
    CHECK_STATUS(nc_pool2d(&d, x, 3, y, 3, NULL), NC_STATUS_OK);
    CHECK(y[0] == 1.5f && y[1] == 2.0f && y[2] == 2.5f); /* divided by the real taps: 2, 3, 2 */
    d.flags = NC_POOL2D_COUNT_INCLUDE_PAD;
    CHECK_STATUS(nc_pool2d(&d, x, 3, y, 3, NULL), NC_STATUS_OK);
    CHECK(y[0] == 1.0f && y[1] == 2.0f && y[2] == 5.0f / 3.0f); /* always divided by 3 */
}

static void check_nan_policy(void)
{
    /* A NaN wins wherever it is in the window, also before a larger value; padding never wins. */
    const float x[4] = {NAN, 5, -1, -2};
    float y[2];
    nc_pool2d_desc d = window_1d(NC_POOL_MAX, 4, 2, 2, 1, 0);
    d.pad_right = 0;
    CHECK_STATUS(nc_pool2d(&d, x, 4, y, 2, NULL), NC_STATUS_OK); /* windows {pad,NaN} {5,-1} */
    CHECK(isnan(y[0]) && y[1] == 5);
    d = window_1d(NC_POOL_MAX, 4, 3, 1, 0, 0); /* windows {NaN,5,-1} {5,-1,-2} */
    CHECK_STATUS(nc_pool2d(&d, x, 4, y, 2, NULL), NC_STATUS_OK);
    CHECK(isnan(y[0]) && y[1] == 5);
    const float negative[2] = {-3, -4};
    d = window_1d(NC_POOL_MAX, 2, 2, 2, 1, 0); /* windows {pad,-3} {-4,pad}: the zero padding must not win */
    CHECK_STATUS(nc_pool2d(&d, negative, 2, y, 2, NULL), NC_STATUS_OK);
    CHECK(y[0] == -3 && y[1] == -4);
}

static void check_global(void)
{
    nc_pool2d_desc d = {.batch = 2, .channels = 2, .in_height = 2, .in_width = 3, .kind = NC_POOL_AVERAGE,
                        .layout = NC_LAYOUT_NHWC, .flags = NC_POOL2D_GLOBAL};
    float x[24], y[4];
    for (int i = 0; i < 24; i++) {
        x[i] = (float)i; /* NHWC: channel 0 holds the even values of its image, channel 1 the odd ones */
    }
    CHECK_STATUS(nc_pool2d(&d, x, 24, y, 4, NULL), NC_STATUS_OK);
    CHECK(y[0] == 5 && y[1] == 6 && y[2] == 17 && y[3] == 18); /* (0+2+..+10)/6 = 5, and so on */
    d.kind = NC_POOL_MAX;
    CHECK_STATUS(nc_pool2d(&d, x, 24, y, 4, NULL), NC_STATUS_OK);
    CHECK(y[0] == 10 && y[1] == 11 && y[2] == 22 && y[3] == 23);
}

int main(void)
{
    test_rng rng = {777u};
    int valid = 0;
    for (int i = 0; i < CASES; i++) {
        nc_pool2d_desc d = random_desc(&rng, i);
        valid += run_case(&rng, &d, i % 2 == 0);
    }
    printf("%d of %d random shapes valid\n", valid, CASES);
    CHECK(valid > CASES / 2);
    check_ceil_mode();
    check_average_padding();
    check_nan_policy();
    check_global();
    return test_finish("test_pool");
}
