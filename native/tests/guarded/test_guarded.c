/* Every kernel edge with its buffers against inaccessible pages: widths 1..40 (vector tails of every
 * length), channels 1..33 (channel-block tails), every padding combination, strides 1..3, dilation,
 * grouped and depthwise convolutions, both layouts and both filter layouts, each pooling mode, on every
 * ISA the machine has. Each case runs twice: with input, weights, bias and output ending at a PROT_NONE
 * page, then starting right after one. A stray access crashes the test; a wrong value fails a check;
 * a write into the input (which is const) fails a check too. */
#define _DEFAULT_SOURCE

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "guarded_buffer.h"
#include "nativeconv.h"
#include "reference.h"
#include "test_util.h"

typedef struct conv_case {
    int64_t n, c, h, w, k, r, s, stride_h, stride_w, pad_t, pad_b, pad_l, pad_r, dil_h, dil_w, groups;
} conv_case;

static int cases_run = 0;

static float *random_floats(test_rng *rng, size_t count)
{
    float *p = malloc(count > 0 ? count * sizeof(float) : 1);
    if (p == NULL) {
        exit(2);
    }
    for (size_t i = 0; i < count; i++) {
        p[i] = test_float(rng);
    }
    return p;
}

static float *copy_floats(const float *src, size_t count)
{
    float *p = malloc(count > 0 ? count * sizeof(float) : 1);
    if (p == NULL) {
        exit(2);
    }
    if (count > 0) {
        memcpy(p, src, count * sizeof(float));
    }
    return p;
}

/* Expected output in the descriptor's layout, with the rounding yardstick alongside. */
typedef struct expectation {
    float *y;
    double *scale;
} expectation;

static void check_close(const float *actual, const expectation *e, size_t count, const char *what)
{
    for (size_t i = 0; i < count; i++) {
        double allowed = 1e-5 * e->scale[i] + 1e-6;
        if (!(fabs((double)actual[i] - (double)e->y[i]) <= allowed)) {
            fprintf(stderr, "%s: element %zu is %.9g, expected %.9g\n", what, i, (double)actual[i], (double)e->y[i]);
            test_failures++;
            return;
        }
    }
}

static void run_conv(const nc_conv2d_desc *d, const nc_tensor_sizes *s, const float *x, const float *w,
                     const float *b, size_t nb, const float *previous, const expectation *e, const char *what)
{
    const size_t nx = (size_t)s->input_count, nw = (size_t)s->filter_count, ny = (size_t)s->output_count;
    for (int side = GUARD_AFTER; side <= GUARD_BEFORE; side++) {
        guarded_buffer gx = guarded_alloc(x, nx, (guard_side)side);
        guarded_buffer gw = guarded_alloc(w, nw, (guard_side)side);
        guarded_buffer gb = guarded_alloc(b, nb, (guard_side)side);
        guarded_buffer gy = guarded_alloc(previous, ny, (guard_side)side);
        nc_conv2d_plan *plan = NULL;
        CHECK_STATUS(nc_conv2d_plan_create(d, gw.data, nw, gb.data, nb, &plan), NC_STATUS_OK);
        CHECK_STATUS(nc_conv2d_plan_execute(plan, gx.data, nx, gy.data, ny, NULL), NC_STATUS_OK);
        check_close(gy.data, e, ny, what);
        CHECK(nx == 0 || memcmp(gx.data, x, nx * sizeof(float)) == 0);
        nc_conv2d_plan_destroy(plan);
        guarded_free(&gx);
        guarded_free(&gw);
        guarded_free(&gb);
        guarded_free(&gy);
        cases_run++;
    }
}

static void check_conv(test_rng *rng, const conv_case *c, int32_t layout, int32_t filter_layout, int variant)
{
    nc_conv2d_desc d = {.batch = c->n, .in_channels = c->c, .in_height = c->h, .in_width = c->w,
                        .out_channels = c->k, .kernel_height = c->r, .kernel_width = c->s,
                        .stride_height = c->stride_h, .stride_width = c->stride_w, .pad_top = c->pad_t,
                        .pad_bottom = c->pad_b, .pad_left = c->pad_l, .pad_right = c->pad_r,
                        .dilation_height = c->dil_h, .dilation_width = c->dil_w, .groups = c->groups,
                        .layout = layout, .filter_layout = filter_layout,
                        .activation = variant % 3, .activation_min = -0.5f, .activation_max = 0.75f,
                        .flags = variant % 2 ? NC_CONV2D_ACCUMULATE : 0};
    nc_tensor_sizes s;
    char message[200];
    nc_status status = nc_conv2d_query(&d, &s, message, sizeof message);
    if (status != NC_STATUS_OK) {
        fprintf(stderr, "case rejected: %s\n", message);
        test_failures++;
        return;
    }
    const size_t nx = (size_t)s.input_count, nw = (size_t)s.filter_count, ny = (size_t)s.output_count;
    const size_t nb = variant % 4 < 2 ? (size_t)s.bias_count : 0;
    /* Generated in NCHW / OIHW for the reference, converted for the library. */
    float *x = random_floats(rng, nx), *w = random_floats(rng, nw), *b = random_floats(rng, nb);
    float *previous = random_floats(rng, ny);
    double *y_ref = malloc((ny > 0 ? ny : 1) * sizeof(double)), *scale_ref = malloc((ny > 0 ? ny : 1) * sizeof(double));
    ref_conv2d(&d, s.out_height, s.out_width, x, w, nb > 0 ? b : NULL, (d.flags & NC_CONV2D_ACCUMULATE) ? previous : NULL,
               y_ref, scale_ref);
    float *y = malloc((ny > 0 ? ny : 1) * sizeof(float));
    expectation e = {malloc((ny > 0 ? ny : 1) * sizeof(float)), malloc((ny > 0 ? ny : 1) * sizeof(double))};
    for (size_t i = 0; i < ny; i++) {
        y[i] = (float)y_ref[i];
    }
    float *x_lib = copy_floats(x, nx), *w_lib = copy_floats(w, nw), *previous_lib = copy_floats(previous, ny);
    if (layout == NC_LAYOUT_NHWC) {
        ref_nchw_to_nhwc(x, x_lib, c->n, c->c, c->h, c->w);
        ref_nchw_to_nhwc(previous, previous_lib, c->n, c->k, s.out_height, s.out_width);
        ref_nchw_to_nhwc(y, e.y, c->n, c->k, s.out_height, s.out_width);
        /* ref_nchw_to_nhwc converts floats only; the double scale is moved by hand. */
        for (int64_t n = 0; n < c->n; n++)
            for (int64_t k = 0; k < c->k; k++)
                for (int64_t p = 0; p < s.out_height; p++)
                    for (int64_t q = 0; q < s.out_width; q++)
                        e.scale[((n * s.out_height + p) * s.out_width + q) * c->k + k] =
                            scale_ref[((n * c->k + k) * s.out_height + p) * s.out_width + q];
    } else {
        memcpy(e.y, y, ny * sizeof(float));
        memcpy(e.scale, scale_ref, ny * sizeof(double));
    }
    if (filter_layout == NC_FILTER_HWIO) {
        ref_oihw_to_hwio(w, w_lib, c->k, c->c / c->groups, c->r, c->s);
    }
    char what[200];
    snprintf(what, sizeof what,
             "conv %s/%s isa %s n%lld c%lld %lldx%lld k%lld %lldx%lld s%lld,%lld p%lld,%lld,%lld,%lld d%lld,%lld g%lld v%d",
             layout == NC_LAYOUT_NHWC ? "nhwc" : "nchw", filter_layout == NC_FILTER_HWIO ? "hwio" : "oihw",
             nc_isa_name(nc_active_isa()), (long long)c->n, (long long)c->c, (long long)c->h, (long long)c->w,
             (long long)c->k, (long long)c->r, (long long)c->s, (long long)c->stride_h, (long long)c->stride_w,
             (long long)c->pad_t, (long long)c->pad_b, (long long)c->pad_l, (long long)c->pad_r,
             (long long)c->dil_h, (long long)c->dil_w, (long long)c->groups, variant);
    run_conv(&d, &s, x_lib, w_lib, b, nb, previous_lib, &e, what);
    free(x);
    free(w);
    free(b);
    free(previous);
    free(y_ref);
    free(scale_ref);
    free(y);
    free(e.y);
    free(e.scale);
    free(x_lib);
    free(w_lib);
    free(previous_lib);
}

static void run_pool(const nc_pool2d_desc *d, const nc_tensor_sizes *s, const float *x, const expectation *e,
                     const char *what)
{
    const size_t nx = (size_t)s->input_count, ny = (size_t)s->output_count;
    float *garbage = malloc((ny > 0 ? ny : 1) * sizeof(float));
    for (size_t i = 0; i < ny; i++) {
        garbage[i] = NAN; /* pooling overwrites every element */
    }
    for (int side = GUARD_AFTER; side <= GUARD_BEFORE; side++) {
        guarded_buffer gx = guarded_alloc(x, nx, (guard_side)side);
        guarded_buffer gy = guarded_alloc(garbage, ny, (guard_side)side);
        nc_pool2d_plan *plan = NULL;
        CHECK_STATUS(nc_pool2d_plan_create(d, &plan), NC_STATUS_OK);
        CHECK_STATUS(nc_pool2d_plan_execute(plan, gx.data, nx, gy.data, ny, NULL), NC_STATUS_OK);
        check_close(gy.data, e, ny, what);
        CHECK(nx == 0 || memcmp(gx.data, x, nx * sizeof(float)) == 0);
        nc_pool2d_plan_destroy(plan);
        guarded_free(&gx);
        guarded_free(&gy);
        cases_run++;
    }
    free(garbage);
}

static void check_pool(test_rng *rng, nc_pool2d_desc d)
{
    nc_tensor_sizes s;
    char message[200];
    if (nc_pool2d_query(&d, &s, message, sizeof message) != NC_STATUS_OK) {
        fprintf(stderr, "pool case rejected: %s\n", message);
        test_failures++;
        return;
    }
    const size_t nx = (size_t)s.input_count, ny = (size_t)s.output_count;
    float *x = random_floats(rng, nx);
    nc_pool2d_desc nchw = d;
    nchw.layout = NC_LAYOUT_NCHW;
    float *y = malloc((ny > 0 ? ny : 1) * sizeof(float));
    double *scale = malloc((ny > 0 ? ny : 1) * sizeof(double));
    ref_pool2d(&nchw, s.out_height, s.out_width, x, y, scale);
    expectation e = {malloc((ny > 0 ? ny : 1) * sizeof(float)), malloc((ny > 0 ? ny : 1) * sizeof(double))};
    float *x_lib = copy_floats(x, nx);
    if (d.layout == NC_LAYOUT_NHWC) {
        ref_nchw_to_nhwc(x, x_lib, d.batch, d.channels, d.in_height, d.in_width);
        ref_nchw_to_nhwc(y, e.y, d.batch, d.channels, s.out_height, s.out_width);
        for (int64_t n = 0; n < d.batch; n++)
            for (int64_t c = 0; c < d.channels; c++)
                for (int64_t p = 0; p < s.out_height; p++)
                    for (int64_t q = 0; q < s.out_width; q++)
                        e.scale[((n * s.out_height + p) * s.out_width + q) * d.channels + c] =
                            scale[((n * d.channels + c) * s.out_height + p) * s.out_width + q];
    } else {
        memcpy(e.y, y, ny * sizeof(float));
        memcpy(e.scale, scale, ny * sizeof(double));
    }
    char what[200];
    snprintf(what, sizeof what, "pool kind %d %s isa %s c%lld %lldx%lld k%lldx%lld s%lld p%lld d%lld flags %u",
             (int)d.kind, d.layout == NC_LAYOUT_NHWC ? "nhwc" : "nchw", nc_isa_name(nc_active_isa()),
             (long long)d.channels, (long long)d.in_height, (long long)d.in_width, (long long)d.kernel_height,
             (long long)d.kernel_width, (long long)d.stride_height, (long long)d.pad_top,
             (long long)d.dilation_height, (unsigned)d.flags);
    run_pool(&d, &s, x_lib, &e, what);
    free(x);
    free(y);
    free(scale);
    free(e.y);
    free(e.scale);
    free(x_lib);
}

static void conv_cases(test_rng *rng, int32_t layout)
{
    int variant = 0;
    /* Widths 1..40 under four kernel families: dense 3x3, strided depthwise, pointwise, dilated 5x5. */
    for (int64_t w = 1; w <= 40; w++) {
        const conv_case family[] = {
            {1, 3, 5, w, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            {2, 8, 4, w, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 8},
            {1, 16, 2, w, 24, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1},
            {1, 2, 7, w, 3, 5, 5, 3, 3, 4, 4, 4, 4, 2, 2, 1},
        };
        for (size_t f = 0; f < sizeof family / sizeof family[0]; f++, variant++) {
            check_conv(rng, &family[f], layout, variant % 2, variant);
        }
    }
    /* Channels 1..33: dense with one more output channel, and depthwise with multiplier 2. */
    for (int64_t c = 1; c <= 33; c++) {
        const conv_case dense = {1, c, 4, 9, c + 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        const conv_case depthwise = {1, c, 5, 11, 2 * c, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1, c};
        check_conv(rng, &dense, layout, variant % 2, variant);
        variant++;
        check_conv(rng, &depthwise, layout, variant % 2, variant);
        variant++;
    }
    /* Every combination of 0..2 pixels of padding per side, with groups of 2. */
    for (int p = 0; p < 81; p++, variant++) {
        const conv_case padded = {1, 4, 6, 7, 6, 3, 3, 1, 1, p % 3, p / 3 % 3, p / 9 % 3, p / 27 % 3, 1, 1, 2};
        check_conv(rng, &padded, layout, variant % 2, variant);
    }
    /* A kernel as large as the padded input, and asymmetric strides and dilations. */
    const conv_case extremes[] = {
        {1, 3, 3, 4, 2, 5, 6, 1, 1, 1, 1, 1, 1, 1, 1, 1},
        {1, 6, 9, 13, 9, 3, 2, 3, 1, 0, 2, 1, 0, 2, 3, 3},
        {0, 4, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    };
    for (size_t i = 0; i < sizeof extremes / sizeof extremes[0]; i++, variant++) {
        check_conv(rng, &extremes[i], layout, variant % 2, variant);
    }
}

static void pool_cases(test_rng *rng, int32_t layout)
{
    for (int64_t w = 1; w <= 40; w++) {
        for (int32_t kind = NC_POOL_MAX; kind <= NC_POOL_AVERAGE; kind++) {
            const int64_t k = w < 3 ? w : 3;
            nc_pool2d_desc d = {.batch = 1, .channels = 5, .in_height = 4, .in_width = w, .kernel_height = 3,
                                .kernel_width = k, .stride_height = 2, .stride_width = 2, .pad_top = 1,
                                .pad_bottom = 1, .pad_left = k / 2, .pad_right = k / 2, .dilation_height = 1,
                                .dilation_width = 1, .kind = kind, .layout = layout,
                                .flags = NC_POOL2D_CEIL_MODE | (w % 2 ? NC_POOL2D_COUNT_INCLUDE_PAD : 0)};
            check_pool(rng, d);
            d.stride_height = d.stride_width = 1;
            d.flags = 0;
            if (kind == NC_POOL_MAX && w >= 5) {
                d.dilation_width = 2;
            }
            check_pool(rng, d);
            d.flags = NC_POOL2D_GLOBAL;
            check_pool(rng, d);
        }
    }
    for (int64_t c = 1; c <= 33; c++) {
        for (int32_t kind = NC_POOL_MAX; kind <= NC_POOL_AVERAGE; kind++) {
            nc_pool2d_desc d = {.batch = 2, .channels = c, .in_height = 5, .in_width = 6, .kernel_height = 2,
                                .kernel_width = 3, .stride_height = 1, .stride_width = 3, .pad_top = 1,
                                .pad_bottom = 0, .pad_left = 1, .pad_right = 1, .dilation_height = 1,
                                .dilation_width = 1, .kind = kind, .layout = layout, .flags = NC_POOL2D_CEIL_MODE};
            check_pool(rng, d);
        }
    }
}

int main(void)
{
    test_rng rng = {2024u};
    const int32_t best = nc_active_isa();
    for (int32_t cap = NC_ISA_SCALAR; cap <= NC_ISA_NEON; cap++) {
        CHECK_STATUS(nc_set_max_isa(cap), NC_STATUS_OK);
        /* A cap the hardware lacks changes nothing; run each ISA the machine has once. */
        if (nc_active_isa() != cap) {
            continue;
        }
        const int before = cases_run;
        for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NHWC; layout++) {
            conv_cases(&rng, layout);
            pool_cases(&rng, layout);
        }
        printf("isa %s: %d guarded runs\n", nc_isa_name(cap), cases_run - before);
    }
    CHECK_STATUS(nc_set_max_isa(best), NC_STATUS_OK);
    printf("%d guarded runs in total\n", cases_run);
    return test_finish("test_guarded");
}
