/* libFuzzer target for the pooling API; the counterpart of fuzz_conv2d.c. Max pooling must match the
 * reference exactly (a NaN anywhere in the window gives NaN); average pooling within the worst-case
 * rounding of its sum and division. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_api_checks.h"
#include "fuzz_executor.h"
#include "fuzz_expect.h"
#include "fuzz_input.h"
#include "nativeconv.h"
#include "reference.h"

#define MAX_ELEMENTS ((int64_t)1 << 16)
#define MAX_WORK ((int64_t)1 << 21)

typedef struct pool_request {
    nc_pool2d_desc desc;
    int32_t isa_cap;
    fuzz_executor_state executor_state;
    size_t max_threads;
} pool_request;

static pool_request decode(fuzz_input *in)
{
    pool_request r;
    memset(&r, 0, sizeof r);
    uint8_t isa = fuzz_byte(in), threads = fuzz_byte(in);
    r.isa_cap = isa == FUZZ_RAW ? (int32_t)isa : (int32_t)(isa % 4);
    r.max_threads = threads == FUZZ_RAW ? SIZE_MAX : (size_t)(threads % 16);
    r.executor_state.order = (fuzz_order)((threads >> 4) % 3);
    nc_pool2d_desc *d = &r.desc;
    d->batch = fuzz_size(in, 3);
    d->channels = fuzz_size(in, 40);
    d->in_height = fuzz_size(in, 12);
    d->in_width = fuzz_size(in, 36);
    d->kernel_height = fuzz_size(in, 5);
    d->kernel_width = fuzz_size(in, 5);
    d->stride_height = fuzz_size(in, 3);
    d->stride_width = fuzz_size(in, 3);
    d->pad_top = fuzz_size(in, 3);
    d->pad_bottom = fuzz_size(in, 3);
    d->pad_left = fuzz_size(in, 3);
    d->pad_right = fuzz_size(in, 3);
    d->dilation_height = fuzz_size(in, 3);
    d->dilation_width = fuzz_size(in, 3);
    d->kind = fuzz_enum(in, 2);
    d->layout = fuzz_enum(in, 3);
    d->flags = fuzz_flags(in, NC_POOL2D_CEIL_MODE | NC_POOL2D_COUNT_INCLUDE_PAD | NC_POOL2D_GLOBAL);
    d->activation = fuzz_enum(in, 3);
    d->activation_min = fuzz_bound(in);
    d->activation_max = fuzz_bound(in);
    return r;
}

/* The window geometry after NC_POOL2D_GLOBAL has replaced kernel, stride, padding and dilation. */
typedef struct window {
    int64_t kh, kw, sh, sw, pt, pb, pl, pr, dh, dw;
} window;

static window window_of(const nc_pool2d_desc *d)
{
    if ((d->flags & NC_POOL2D_GLOBAL) != 0) {
        return (window){d->in_height, d->in_width, 1, 1, 0, 0, 0, 0, 1, 1};
    }
    return (window){d->kernel_height, d->kernel_width, d->stride_height, d->stride_width, d->pad_top,
                    d->pad_bottom, d->pad_left, d->pad_right, d->dilation_height, d->dilation_width};
}

static size_t index_of(const nc_pool2d_desc *d, int64_t n, int64_t c, int64_t h, int64_t w, int64_t height,
                       int64_t width)
{
    return (size_t)ref_layout_index(d->layout, d->channels, height, width, n, c, h, w);
}

static fuzz_expected expect_pooled(const nc_pool2d_desc *d, const window *g, const float *x, int64_t n,
                                   int64_t c, int64_t oh, int64_t ow)
{
    if (d->kind == NC_POOL_MAX) {
        float best = -INFINITY;
        for (int64_t r = 0; r < g->kh; r++) {
            for (int64_t t = 0; t < g->kw; t++) {
                const int64_t ih = oh * g->sh - g->pt + r * g->dh, iw = ow * g->sw - g->pl + t * g->dw;
                if (ih < 0 || ih >= d->in_height || iw < 0 || iw >= d->in_width) {
                    continue;
                }
                float v = x[index_of(d, n, c, ih, iw, d->in_height, d->in_width)];
                if (v > best || isnan(v)) {
                    best = v;
                }
            }
        }
        /* A dilated window can miss every input pixel (taps only on padding): -inf, as PyTorch gives. */
        fuzz_expected e = {isnan(best) ? FUZZ_NAN : isinf(best) ? FUZZ_INFINITE : FUZZ_FINITE, best, 0};
        return e;
    }
    /* PyTorch's avg_pool2d: the divisor counts the window clipped to input + padding (include-pad) or to
     * the input alone. */
    int64_t h0 = oh * g->sh - g->pt, w0 = ow * g->sw - g->pl;
    int64_t h1 = h0 + g->kh < d->in_height + g->pb ? h0 + g->kh : d->in_height + g->pb;
    int64_t w1 = w0 + g->kw < d->in_width + g->pr ? w0 + g->kw : d->in_width + g->pr;
    const int64_t padded = (h1 - h0) * (w1 - w0);
    h0 = h0 > 0 ? h0 : 0;
    w0 = w0 > 0 ? w0 : 0;
    h1 = h1 < d->in_height ? h1 : d->in_height;
    w1 = w1 < d->in_width ? w1 : d->in_width;
    FUZZ_REQUIRE(h0 < h1 && w0 < w1, "an average window without input taps was accepted");
    fuzz_sum s = {0};
    for (int64_t ih = h0; ih < h1; ih++) {
        for (int64_t iw = w0; iw < w1; iw++) {
            fuzz_sum_add(&s, x[index_of(d, n, c, ih, iw, d->in_height, d->in_width)]);
        }
    }
    const double divisor =
        (d->flags & NC_POOL2D_COUNT_INCLUDE_PAD) != 0 ? (double)padded : (double)((h1 - h0) * (w1 - w0));
    return fuzz_sum_expect(&s, 3, divisor);
}

static fuzz_expected expect_output(const nc_pool2d_desc *d, const window *g, const float *x, int64_t n,
                                   int64_t c, int64_t oh, int64_t ow)
{
    fuzz_expected e = expect_pooled(d, g, x, n, c, oh, ow);
    if (d->activation == NC_ACTIVATION_RELU) {
        e = fuzz_expect_clamp(e, 0, INFINITY);
    } else if (d->activation == NC_ACTIVATION_CLAMP) {
        e = fuzz_expect_clamp(e, d->activation_min, d->activation_max);
    }
    return e;
}

static void check_against_reference(const nc_pool2d_desc *d, const nc_tensor_sizes *s, const float *x,
                                    const float *y)
{
    const window g = window_of(d);
    for (int64_t n = 0; n < d->batch; n++) {
        for (int64_t c = 0; c < d->channels; c++) {
            for (int64_t oh = 0; oh < s->out_height; oh++) {
                for (int64_t ow = 0; ow < s->out_width; ow++) {
                    size_t i = index_of(d, n, c, oh, ow, s->out_height, s->out_width);
                    fuzz_expected e = expect_output(d, &g, x, n, c, oh, ow);
                    FUZZ_REQUIRE(fuzz_matches(e, y[i]),
                                 "kind %d: output (n %lld, c %lld, h %lld, w %lld) = %.9g, expected %.9g +- %.3g",
                                 (int)d->kind, (long long)n, (long long)c, (long long)oh, (long long)ow,
                                 (double)y[i], e.value, e.tolerance);
                }
            }
        }
    }    FUZZ_REQUIRE(ref_nonzero_padding_lanes(d->layout, y, d->batch, d->channels, s->out_height, s->out_width) == 0,
                 "NCHW16c padding lanes of the output are not zero");
}

static float *allocate(size_t count)
{
    if (count == 0) {
        return NULL;
    }
    float *p = malloc(count * sizeof(float));
    FUZZ_REQUIRE(p != NULL, "out of memory for %zu floats", count);
    return p;
}

static void check_geometry(const nc_pool2d_desc *d, const nc_tensor_sizes *s)
{
    const bool ceil_mode = (d->flags & NC_POOL2D_CEIL_MODE) != 0;
    int64_t p = 1, q = 1;
    if ((d->flags & NC_POOL2D_GLOBAL) == 0) {
        p = ref_pool_out_size(d->in_height, d->pad_top, d->pad_bottom, d->kernel_height, d->stride_height,
                              d->dilation_height, ceil_mode);
        q = ref_pool_out_size(d->in_width, d->pad_left, d->pad_right, d->kernel_width, d->stride_width,
                              d->dilation_width, ceil_mode);
    }
    FUZZ_REQUIRE(s->out_height == p && s->out_width == q, "output %lldx%lld, expected %lldx%lld",
                 (long long)s->out_height, (long long)s->out_width, (long long)p, (long long)q);
    FUZZ_REQUIRE(s->input_count == ref_layout_count(d->layout, d->batch, d->channels, d->in_height, d->in_width),
                 "input_count");
    FUZZ_REQUIRE(s->filter_count == 0 && s->bias_count == 0, "pooling has no weights");
    FUZZ_REQUIRE(s->output_count == ref_layout_count(d->layout, d->batch, d->channels, p, q), "output_count");
}

static nc_status execute_plan(const void *plan, const float *input, size_t input_count, float *output,
                              size_t output_count)
{
    return nc_pool2d_plan_execute(plan, input, input_count, output, output_count, NULL);
}

static void run(const pool_request *r, fuzz_input *in)
{
    const nc_pool2d_desc *d = &r->desc;
    nc_tensor_sizes s;
    char message[96];
    memset(message, 0x7f, sizeof message);
    nc_status queried = nc_pool2d_query(d, &s, message, sizeof message);
    fuzz_check_query(queried, message, sizeof message);
    if (queried != NC_STATUS_OK) {
        nc_pool2d_plan *plan = NULL;
        nc_status created = nc_pool2d_plan_create(d, &plan);
        FUZZ_REQUIRE(created == queried, "query said %d, create said %d", (int)queried, (int)created);
        FUZZ_REQUIRE(nc_pool2d(d, NULL, 0, NULL, 0, NULL) == queried, "one-shot status");
        return;
    }
    check_geometry(d, &s);
    const window g = window_of(d);
    /* Pooling has no filter count to bound the window, so its taps are bounded before they are multiplied. */
    if (s.input_count > MAX_ELEMENTS || s.output_count > MAX_ELEMENTS || g.kh > MAX_WORK / g.kw ||
        s.output_count > MAX_WORK / (g.kh * g.kw)) {
        return;
    }
    const size_t nx = (size_t)s.input_count, ny = (size_t)s.output_count;
    float *x = allocate(nx), *serial = allocate(ny), *ordered = allocate(ny), *one_shot = allocate(ny);
    fuzz_floats(in, x, nx);

    nc_pool2d_plan *plan = NULL;
    nc_status created = nc_pool2d_plan_create(d, &plan);
    FUZZ_REQUIRE(created == NC_STATUS_OK && plan != NULL, "create failed after query succeeded: %d", (int)created);
    FUZZ_REQUIRE(nc_pool2d_plan_kernel_name(plan) != NULL, "no kernel name");

    FUZZ_REQUIRE(nc_pool2d_plan_execute(plan, x, nx, serial, ny, NULL) == NC_STATUS_OK, "serial execute");
    fuzz_executor_state state = r->executor_state;
    state.max_tasks = ny > 0 ? ny : 1;
    nc_executor executor = {&state, fuzz_parallel_for, r->max_threads};
    nc_status st = nc_pool2d_plan_execute(plan, x, nx, ordered, ny, &executor);
    if (r->max_threads == 0) {
        FUZZ_REQUIRE(st == NC_STATUS_INVALID_ARGUMENT, "max_threads 0 (the contract says >= 1): status %d", (int)st);
    } else {
        FUZZ_REQUIRE(st == NC_STATUS_OK, "execute with executor: status %d", (int)st);
    }
    if (st == NC_STATUS_OK && ny > 0) {
        FUZZ_REQUIRE(fuzz_same_results(serial, ordered, ny),
                     "max_threads %zu, order %d: not bitwise identical to the serial run", r->max_threads,
                     (int)state.order);
    }
    fuzz_check_refusals(execute_plan, plan, (size_t)s.input_count, (size_t)s.output_count, x, ordered);
    nc_pool2d_plan_destroy(plan);

    FUZZ_REQUIRE(nc_pool2d(d, x, nx, one_shot, ny, NULL) == NC_STATUS_OK, "one-shot");
    if (ny > 0) {
        FUZZ_REQUIRE(memcmp(serial, one_shot, ny * sizeof(float)) == 0, "one-shot differs from the plan");
    }
    check_against_reference(d, &s, x, serial);

    free(x);
    free(serial);
    free(ordered);
    free(one_shot);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    pool_request r = decode(&in);
    nc_status capped = nc_set_max_isa(r.isa_cap);
    FUZZ_REQUIRE((capped == NC_STATUS_OK) == (r.isa_cap >= 0 && r.isa_cap <= NC_ISA_NEON), "nc_set_max_isa(%d)",
                 (int)r.isa_cap);
    run(&r, &in);
    return 0;
}
