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
#define VECTOR_CASES 600

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
    d.layout = (int32_t)test_int(rng, NC_LAYOUT_NCHW, NC_LAYOUT_NCHW16C);
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
    d.activation = (int32_t)test_int(rng, NC_ACTIVATION_NONE, NC_ACTIVATION_CLAMP);
    d.activation_min = -0.5f;
    d.activation_max = 0.25f;
    if (index % 11 == 0) {
        d.flags |= NC_POOL2D_GLOBAL;
        d.kernel_height = 99; /* ignored under NC_POOL2D_GLOBAL, even though invalid here */
        d.pad_top = -5;
    }
    return d;
}

/* Shapes sized for the vector kernels: widths past three AVX-512 vectors, channels past two, every
 * stride mode (unit, pairs, gather) and kernel widths the NCHW kernels specialise. */
static nc_pool2d_desc vector_desc(test_rng *rng, int index)
{
    nc_pool2d_desc d = {0};
    d.batch = test_int(rng, 1, 2);
    d.channels = test_int(rng, 1, 33);
    d.in_height = test_int(rng, 1, 6);
    d.in_width = test_int(rng, 1, 49);
    d.kind = (int32_t)(index % 2);
    d.layout = (int32_t)(index / 2 % 3);
    d.kernel_height = test_int(rng, 1, 5);
    d.kernel_width = test_int(rng, 1, 5);
    d.stride_height = test_int(rng, 1, 3);
    d.stride_width = test_int(rng, 1, 3);
    d.pad_top = test_int(rng, 0, d.kernel_height / 2);
    d.pad_bottom = test_int(rng, 0, d.kernel_height / 2);
    d.pad_left = test_int(rng, 0, d.kernel_width / 2);
    d.pad_right = test_int(rng, 0, d.kernel_width / 2);
    d.dilation_height = d.kind == NC_POOL_MAX ? test_int(rng, 1, 3) : 1;
    d.dilation_width = d.kind == NC_POOL_MAX ? test_int(rng, 1, 3) : 1;
    d.flags = (uint32_t)test_int(rng, 0, 3);
    if (index % 13 == 0) {
        d.flags |= NC_POOL2D_GLOBAL;
    }
    d.activation = (int32_t)(index / 6 % 3);
    d.activation_min = -0.25f;
    d.activation_max = 0.5f;
    if (d.in_height < (d.kernel_height - 1) * d.dilation_height + 1) {
        d.in_height = (d.kernel_height - 1) * d.dilation_height + 1; /* mostly valid shapes */
    }
    return d;
}

/* Input styles: random values with a few NaN (distinct payloads) and infinities; all negative, so a
 * padded tap read as 0 would win; and only signed zeros and NaN, where ties and NaN order decide the bits. */
enum { STYLE_RANDOM, STYLE_NEGATIVE, STYLE_ZEROS, STYLE_COUNT };

static float nan_with_payload(test_rng *rng)
{
    uint32_t bits = 0x7fc00000u | (uint32_t)test_int(rng, 1, 0x3fffff);
    if (test_int(rng, 0, 1) != 0) {
        bits |= 0x80000000u;
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static float random_input(test_rng *rng, int style)
{
    const int64_t pick = test_int(rng, 0, 99);
    if (style == STYLE_ZEROS) {
        return pick < 45 ? 0.0f : pick < 90 ? -0.0f : nan_with_payload(rng);
    }
    if (style == STYLE_NEGATIVE) {
        return -1.0f - fabsf(test_float(rng));
    }
    return pick == 0 ? nan_with_payload(rng) : pick == 1 ? -INFINITY : pick == 2 ? INFINITY : test_float(rng);
}

static bool same_float(float a, float b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* Runs d on the calling thread with a fresh plan under the current ISA cap; returns the kernel name. */
static void run_library(const nc_pool2d_desc *d, const float *x, int64_t in_count, float *y, int64_t out_count,
                        bool use_plan, char *kernel, size_t kernel_capacity)
{
    const float *in_arg = in_count > 0 ? x : NULL;
    float *out_arg = out_count > 0 ? y : NULL;
    nc_pool2d_plan *plan = NULL;
    CHECK_STATUS(nc_pool2d_plan_create(d, &plan), NC_STATUS_OK);
    CHECK(plan != NULL && nc_pool2d_plan_kernel_name(plan) != NULL);
    if (plan != NULL && kernel != NULL) {
        snprintf(kernel, kernel_capacity, "%s", nc_pool2d_plan_kernel_name(plan));
    }
    if (use_plan) {
        CHECK_STATUS(nc_pool2d_plan_execute(plan, in_arg, (size_t)in_count, out_arg, (size_t)out_count, NULL),
                     NC_STATUS_OK);
    } else {
        CHECK_STATUS(nc_pool2d(d, in_arg, (size_t)in_count, out_arg, (size_t)out_count, NULL), NC_STATUS_OK);
    }
    nc_pool2d_plan_destroy(plan);
}

/* Returns false when the shape is invalid (the library must then agree it is). The result must match
 * the reference (exactly for max) and, for every kernel that promises it, the scalar kernel bit for bit. */
static bool run_case(test_rng *rng, const nc_pool2d_desc *d, bool use_plan, int style, char *kernel,
                     size_t kernel_capacity)
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
    const int64_t in_lib = ref_layout_count(d->layout, d->batch, d->channels, d->in_height, d->in_width);
    const int64_t out_lib = ref_layout_count(d->layout, d->batch, d->channels, oh, ow);
    CHECK(sizes.input_count == in_lib && sizes.output_count == out_lib);
    CHECK(sizes.filter_count == 0 && sizes.bias_count == 0);

    float *x = alloc_floats(in_count), *x_lib = alloc_floats(in_lib);
    float *y_lib = alloc_floats(out_lib), *y_scalar = alloc_floats(out_lib);
    float *y = alloc_floats(out_count), *expected = alloc_floats(out_count);
    double *scale = malloc((size_t)(out_count > 0 ? out_count : 1) * sizeof(double));
    for (int64_t i = 0; i < in_count; i++) {
        x[i] = random_input(rng, style);
    }
    if (d->kind == NC_POOL_AVERAGE) {
        for (int64_t i = 0; i < in_count; i++) {
            x[i] = isfinite(x[i]) ? x[i] : 0.5f; /* keeps the tolerance meaningful */
        }
    }
    /* NCHW16c padding lanes hold NaN on the way in: nothing may read them into a real channel. */
    ref_from_nchw(d->layout, x, x_lib, d->batch, d->channels, d->in_height, d->in_width, NAN);
    for (int64_t i = 0; i < out_lib; i++) {
        y_lib[i] = NAN;
    }
    run_library(d, x_lib, in_lib, y_lib, out_lib, use_plan, kernel, kernel_capacity);
    const int32_t cap = nc_active_isa();
    CHECK_STATUS(nc_set_max_isa(NC_ISA_SCALAR), NC_STATUS_OK);
    run_library(d, x_lib, in_lib, y_scalar, out_lib, true, NULL, 0);
    CHECK_STATUS(nc_set_max_isa(cap), NC_STATUS_OK);
    /* The whole-plane kernels, the vector NCHW kernels (each row's taps, then the rows) and the vector
     * channels-last kernels' windows three columns wide at stride 1 (each column's taps, then the columns; a
     * single output column counts as stride 1, as the plan takes it) sum in another order than the scalar
     * kernels. */
    const bool slides = kernel != NULL && (global ? d->in_width : d->kernel_width) == 3 &&
                        (ow == 1 || d->stride_width == 1) && strstr(kernel, "pool_nhwc_") != NULL &&
                        strstr(kernel, "__scalar") == NULL;
    const bool bitwise = d->kind == NC_POOL_MAX || kernel == NULL ||
                         (strstr(kernel, "global") == NULL && !slides &&
                          (strstr(kernel, "pool_nchw__") == NULL || strcmp(kernel, "pool_nchw__scalar") == 0));
    int64_t bad_bits = 0;
    for (int64_t i = 0; bitwise && i < out_lib; i++) {
        if (memcmp(&y_lib[i], &y_scalar[i], sizeof(float)) != 0 && bad_bits++ == 0) {
            fprintf(stderr,
                    "kernel %s differs from scalar at %" PRId64 ": %.9g vs %.9g (style %d, kind %d layout %d c %" PRId64
                    " in %" PRId64 "x%" PRId64 " kernel %" PRId64 "x%" PRId64 " stride %" PRId64 "x%" PRId64 ")\n",
                    kernel != NULL ? kernel : "?", i, (double)y_lib[i], (double)y_scalar[i], style, d->kind, d->layout,
                    d->channels, d->in_height, d->in_width, d->kernel_height, d->kernel_width, d->stride_height,
                    d->stride_width);
        }
    }
    CHECK(bad_bits == 0);
    ref_to_nchw(d->layout, y_lib, y, d->batch, d->channels, oh, ow);
    CHECK(ref_nonzero_padding_lanes(d->layout, y_lib, d->batch, d->channels, oh, ow) == 0);
    ref_pool2d(d, oh, ow, x, expected, scale);
    int64_t bad = 0;
    for (int64_t i = 0; i < out_count; i++) {
        /* Max is a selection, so it must be exact; the average may round differently in float. */
        bool ok = d->kind == NC_POOL_MAX
                      ? same_float(y[i], expected[i])
                      : fabs((double)y[i] - (double)expected[i]) <=
                            (double)(d->kernel_height * d->kernel_width + 2) * FLT_EPSILON * scale[i];
        if (global && d->kind == NC_POOL_AVERAGE) {
            ok = fabs((double)y[i] - (double)expected[i]) <=
                 (double)(d->in_height * d->in_width + 2) * FLT_EPSILON * scale[i];
        }
        if (!ok && bad++ == 0) {
            fprintf(stderr,
                    "%s mismatch at %" PRId64 ": got %.9g expected %.9g (kind %d layout %d flags %u, c %" PRId64
                    " in %" PRId64 "x%" PRId64 " kernel %" PRId64 "x%" PRId64 " stride %" PRId64 "x%" PRId64
                    " dilation %" PRId64 "x%" PRId64 ")\n",
                    kernel != NULL ? kernel : "pool", i, (double)y[i], (double)expected[i], d->kind, d->layout,
                    d->flags, d->channels, d->in_height, d->in_width, d->kernel_height, d->kernel_width,
                    d->stride_height, d->stride_width, d->dilation_height, d->dilation_width);
        }
    }
    CHECK(bad == 0);
    free(x);
    free(x_lib);
    free(y_lib);
    free(y_scalar);
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

/* Every pool kernel registered for each ISA, kept in step with kernel_registry.c: each must serve at
 * least one case under its ISA's cap, so a can_handle bug cannot silently hide one. */
#define MAX_NAMES 4
static const char *const isa_kernels[][MAX_NAMES] = {
    [NC_ISA_SCALAR] = {"pool_nchw__scalar", "pool_nhwc__scalar"},
    [NC_ISA_AVX2] = {"pool_global_nchw__avx2", "pool_nchw__avx2", "pool_nhwc_2x4v__avx2"},
    [NC_ISA_AVX512] = {"pool_global_nchw__avx512", "pool_nchw__avx512", "pool_nhwc_4x4v__avx512"},
    [NC_ISA_NEON] = {"pool_global_nchw__neon", "pool_nchw__neon", "pool_nhwc_4x4v__neon"},
};

typedef struct kernel_tally {
    char names[16][64];
    int counts[16];
    int used;
} kernel_tally;

static void tally_add(kernel_tally *tally, const char *name)
{
    for (int i = 0; i < tally->used; i++) {
        if (strcmp(tally->names[i], name) == 0) {
            tally->counts[i]++;
            return;
        }
    }
    if (tally->used < 16) {
        snprintf(tally->names[tally->used], sizeof tally->names[0], "%s", name);
        tally->counts[tally->used++] = 1;
    }
}

static void check_kernels_selected(int32_t isa, const kernel_tally *tally)
{
    printf("cap %-6s:", nc_isa_name(isa));
    for (int i = 0; i < tally->used; i++) {
        printf(" %s %d", tally->names[i], tally->counts[i]);
    }
    printf("\n");
    if (nc_active_isa() != isa) {
        return;
    }
    for (int k = 0; k < MAX_NAMES && isa_kernels[isa][k] != NULL; k++) {
        bool seen = false;
        for (int i = 0; i < tally->used; i++) {
            seen = seen || strcmp(tally->names[i], isa_kernels[isa][k]) == 0;
        }
        if (!seen) {
            fprintf(stderr, "kernel %s never selected under cap %s\n", isa_kernels[isa][k], nc_isa_name(isa));
            test_failures++;
        }
    }
}

/* Descriptors at the edge of what validation accepts: a one-tap axis with dilation INT64_MAX (the fuzzer's
 * find), and ceil-mode windows wider than the padded input, with one output along that axis, by their size or
 * by a dilation of 2^62; every layout. */
static nc_pool2d_desc extreme_desc(int index)
{
    const int variant = index / 3 % 3;
    nc_pool2d_desc d = {.batch = 2, .channels = 19, .in_height = 4, .in_width = 5, .kernel_height = 3,
                        .kernel_width = 3, .stride_height = 1, .stride_width = 2, .pad_top = 1, .pad_bottom = 1,
                        .pad_left = 1, .pad_right = 0, .dilation_height = 1, .dilation_width = 1,
                        .kind = index / 9 % 2 == 0 ? NC_POOL_MAX : NC_POOL_AVERAGE,
                        .layout = index % 3 == 0 ? NC_LAYOUT_NCHW : index % 3 == 1 ? NC_LAYOUT_NHWC : NC_LAYOUT_NCHW16C,
                        .flags = NC_POOL2D_CEIL_MODE | (index / 18 % 2 == 1 ? NC_POOL2D_COUNT_INCLUDE_PAD : 0)};
    if (variant == 0) {
        d.kind = NC_POOL_MAX;
        d.kernel_height = 1;
        d.dilation_height = INT64_MAX;
        d.pad_top = 0;
        d.pad_bottom = 0;
    } else if (variant == 1) {
        d.kernel_height = 10;
        d.pad_top = 5;
        d.pad_bottom = 0;
        d.stride_height = 100;
    } else {
        d.kind = NC_POOL_MAX;
        d.kernel_height = 2;
        d.dilation_height = (int64_t)1 << 62;
        d.stride_height = (int64_t)1 << 62;
    }
    return d;
}

int main(void)
{
    const int32_t best = nc_active_isa();
    for (int32_t isa = NC_ISA_SCALAR; isa <= best; isa++) {
        CHECK_STATUS(nc_set_max_isa(isa), NC_STATUS_OK);
        kernel_tally tally = {.used = 0};
        char kernel[64];
        test_rng rng = {777u};
        int valid = 0;
        for (int i = 0; i < CASES; i++) {
            nc_pool2d_desc d = random_desc(&rng, i);
            kernel[0] = 0;
            if (run_case(&rng, &d, i % 2 == 0, i % STYLE_COUNT, kernel, sizeof kernel)) {
                valid++;
                tally_add(&tally, kernel);
            }
        }
        for (int i = 0; i < VECTOR_CASES; i++) {
            nc_pool2d_desc d = vector_desc(&rng, i);
            kernel[0] = 0;
            if (run_case(&rng, &d, true, i / 4 % STYLE_COUNT, kernel, sizeof kernel)) {
                valid++;
                tally_add(&tally, kernel);
            }
        }
        /* A one-pixel NCHW16c input is contiguous across blocks; its padded, ceil-mode output is not. */
        for (int i = 0; i < 8; i++) {
            const nc_pool2d_desc d = {.batch = 2, .channels = 20 + 12 * (i % 2), .in_height = 1, .in_width = 1,
                                      .kernel_height = 2, .kernel_width = 2, .stride_height = 1, .stride_width = 1,
                                      .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1,
                                      .dilation_height = 1, .dilation_width = 1, .kind = i / 2 % 2,
                                      .layout = NC_LAYOUT_NCHW16C, .flags = i / 4 == 1 ? NC_POOL2D_CEIL_MODE : 0};
            CHECK(run_case(&rng, &d, true, STYLE_RANDOM, kernel, sizeof kernel));
        }
        /* NCHW16c tiles whose vectors lie in neighbouring blocks (x86; a NEON tile is one block): 64 channels
         * fill AVX-512's four-vector tile with four blocks, 96 leave a two-block group, 72 and 104 a partial
         * last block, and 48 give AVX2 a full tile and a lone block, each for max and average. */
        for (int i = 0; i < 20; i++) {
            const int64_t channels[5] = {48, 64, 72, 96, 104};
            const bool overlapping = i < 10;
            const int64_t k = overlapping ? 3 : 2, stride = overlapping ? 1 : 2, pad = overlapping ? 1 : 0;
            const nc_pool2d_desc d = {.batch = 2, .channels = channels[i % 5], .in_height = 9, .in_width = 23,
                                      .kernel_height = k, .kernel_width = k, .stride_height = stride,
                                      .stride_width = stride, .pad_top = pad, .pad_bottom = pad, .pad_left = pad,
                                      .pad_right = pad, .dilation_height = 1, .dilation_width = 1, .kind = i / 5 % 2,
                                      .layout = NC_LAYOUT_NCHW16C, .flags = overlapping ? 0 : NC_POOL2D_CEIL_MODE};
            CHECK(run_case(&rng, &d, true, i % STYLE_COUNT, kernel, sizeof kernel));
        }
        /* NHWC windows of 16 to 36 taps over 256 or more channels, where a lone output pixel sums in
         * place in the output: global, whole-image and padded windows. */
        for (int i = 0; i < 12; i++) {
            const int64_t k = 4 + i % 3, pad = i % 4 == 3 ? 1 : 0;
            const uint32_t flags = i % 6 == 5 ? NC_POOL2D_GLOBAL : (i / 3 % 2 != 0 ? NC_POOL2D_COUNT_INCLUDE_PAD : 0);
            const nc_pool2d_desc d = {.batch = 2, .channels = 256 + 37 * (i % 2), .in_height = k + 1, .in_width = k,
                                      .kernel_height = k, .kernel_width = k, .stride_height = 1, .stride_width = 1,
                                      .pad_top = pad, .pad_bottom = pad, .pad_left = pad, .pad_right = pad,
                                      .dilation_height = 1, .dilation_width = 1, .kind = i / 2 % 2,
                                      .layout = NC_LAYOUT_NHWC, .flags = flags};
            CHECK(run_case(&rng, &d, true, i % STYLE_COUNT, kernel, sizeof kernel));
        }
        /* Averages three columns wide at stride 1 over many channels: the NHWC slides take tiles, then a block,
         * then (1051) single vectors under a lane mask, at AVX2 a whole one before the tail; the NCHW16c slide
         * runs over as many blocks, its last one part. */
        for (int i = 0; i < 4; i++) {
            const nc_pool2d_desc d = {.batch = 1, .channels = i % 2 == 0 ? 1040 : 1051, .in_height = 4, .in_width = 6,
                                      .kernel_height = 3, .kernel_width = 3, .stride_height = 1, .stride_width = 1,
                                      .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1,
                                      .dilation_height = 1, .dilation_width = 1, .kind = NC_POOL_AVERAGE,
                                      .layout = i < 2 ? NC_LAYOUT_NHWC : NC_LAYOUT_NCHW16C,
                                      .flags = i % 2 == 0 ? NC_POOL2D_COUNT_INCLUDE_PAD : 0};
            CHECK(run_case(&rng, &d, true, i % STYLE_COUNT, kernel, sizeof kernel));
        }
        /* Inputs of 9 MiB, past NCI_POOL_PREFETCH_MIN_BYTES: NCHW runs its steady rows one call at a time
         * with prefetches between them, the ring carrying overlapping rows across calls, and NCHW16c
         * prefetches the next output row's input. */
        for (int i = 0; i < 4; i++) {
            const bool overlapping = i % 2 == 0;
            const nc_pool2d_desc d = {.batch = 1, .channels = 36, .in_height = 256, .in_width = 256,
                                      .kernel_height = 3, .kernel_width = 3, .stride_height = overlapping ? 1 : 2,
                                      .stride_width = overlapping ? 1 : 2, .pad_top = 1, .pad_bottom = 1,
                                      .pad_left = 1, .pad_right = 1, .dilation_height = 1, .dilation_width = 1,
                                      .kind = overlapping ? NC_POOL_MAX : NC_POOL_AVERAGE,
                                      .layout = i < 2 ? NC_LAYOUT_NCHW : NC_LAYOUT_NCHW16C,
                                      .flags = overlapping ? 0 : NC_POOL2D_CEIL_MODE};
            CHECK(run_case(&rng, &d, true, STYLE_RANDOM, kernel, sizeof kernel));
        }
        /* 2x2 averages in NCHW, whose steady rows multiply by the reciprocals of their divisors (2 and 4):
         * padded columns at both ends, counted or not, at stride 1 (a row shared) and 2, and in ceil mode,
         * whose last window may hold one column even when padding counts. */
        for (int i = 0; i < 6; i++) {
            const int64_t stride = i >= 4 ? 2 : 1 + i % 2;
            const nc_pool2d_desc d = {.batch = 2, .channels = 3, .in_height = 13, .in_width = 37 + 2 * i,
                                      .kernel_height = 2, .kernel_width = 2, .stride_height = stride,
                                      .stride_width = stride, .pad_top = 1, .pad_bottom = 1, .pad_left = 1,
                                      .pad_right = 1, .dilation_height = 1, .dilation_width = 1,
                                      .kind = NC_POOL_AVERAGE, .layout = NC_LAYOUT_NCHW,
                                      .flags = (i < 2 || i == 4 ? NC_POOL2D_COUNT_INCLUDE_PAD : 0) |
                                               (i >= 4 ? NC_POOL2D_CEIL_MODE : 0)};
            CHECK(run_case(&rng, &d, true, i % STYLE_COUNT, kernel, sizeof kernel));
        }
        /* 2x2 windows in NCHW whose output rows end in a part vector of 1 to 15 outputs after one to three
         * whole ones at either width: in the steady rows it moves back to end at the row's last output and
         * stores whole, recomputing outputs of the vector before; a padded column at the right end keeps it
         * in place. Max and average, stride 1 (a row shared) and 2, with and without an unread last column. */
        for (int i = 0; i < 24; i++) {
            const int64_t stride = 1 + i % 2, outputs = 9 + 2 * i, pad_right = i % 6 == 5;
            const int64_t unread = stride == 2 && i % 4 == 1;
            const nc_pool2d_desc d = {.batch = 1, .channels = 3, .in_height = 11,
                                      .in_width = stride * outputs + (stride == 1) - pad_right + unread,
                                      .kernel_height = 2, .kernel_width = 2, .stride_height = stride,
                                      .stride_width = stride, .pad_top = i % 3 == 0, .pad_right = pad_right,
                                      .dilation_height = 1, .dilation_width = 1, .kind = i / 2 % 2,
                                      .layout = NC_LAYOUT_NCHW};
            CHECK(run_case(&rng, &d, true, i % STYLE_COUNT, kernel, sizeof kernel));
        }
        /* The same with rectangular strides: stride 2 along the rows and 1 down them (2x2 windows sharing a row
         * at even and odd columns: the ring holds row reductions in the pairs' lane order, which a vector moved
         * back by a part of a vector must not read), and the transpose of that. */
        for (int i = 0; i < 16; i++) {
            const int64_t stride_width = 2 - i % 2, outputs = 9 + 3 * i;
            const nc_pool2d_desc d = {.batch = 1, .channels = 2, .in_height = 7 + i % 3,
                                      .in_width = stride_width * outputs + (stride_width == 1) + i / 8,
                                      .kernel_height = 2, .kernel_width = 2, .stride_height = 3 - stride_width,
                                      .stride_width = stride_width, .pad_top = i % 4 == 2, .dilation_height = 1,
                                      .dilation_width = 1, .kind = i / 2 % 2, .layout = NC_LAYOUT_NCHW};
            CHECK(run_case(&rng, &d, true, i % STYLE_COUNT, kernel, sizeof kernel));
        }
        for (int i = 0; i < 36; i++) {
            const nc_pool2d_desc d = extreme_desc(i);
            CHECK(run_case(&rng, &d, i % 2 == 0, i % STYLE_COUNT, kernel, sizeof kernel));
        }
        printf("%d of %d shapes valid; ", valid, CASES + VECTOR_CASES);
        CHECK(valid > (CASES + VECTOR_CASES) / 2);
        check_kernels_selected(isa, &tally);
        check_ceil_mode();
        check_average_padding();
        check_nan_policy();
        check_global();
    }
    CHECK_STATUS(nc_set_max_isa(best), NC_STATUS_OK);
    return test_finish("test_pool");
}
