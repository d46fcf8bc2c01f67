/* libFuzzer target for the convolution API: decodes a descriptor (mostly small, sometimes hostile),
 * an ISA cap, an executor and the tensors from the input; checks that query and plan creation agree,
 * that wrong buffer sizes and overlapping buffers are refused, that every way of running the plan
 * gives bitwise the same output, and that the output matches an IEEE-aware reference. Buffers are
 * allocated with their exact sizes so AddressSanitizer reports any access past them. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_api_checks.h"
#include "fuzz_executor.h"
#include "fuzz_expect.h"
#include "fuzz_input.h"
#include "nativeconv.h"
#include "reference.h"

/* Keeps one execution around a millisecond so the fuzzer explores breadth rather than size. */
#define MAX_ELEMENTS ((int64_t)1 << 16)
#define MAX_WORK ((int64_t)1 << 21)

typedef struct conv_request {
    nc_conv2d_desc desc;
    int32_t isa_cap;
    fuzz_executor_state executor_state;
    size_t max_threads;
    bool with_bias;
} conv_request;

static conv_request decode(fuzz_input *in)
{
    conv_request r;
    memset(&r, 0, sizeof r);
    uint8_t isa = fuzz_byte(in), threads = fuzz_byte(in), options = fuzz_byte(in);
    r.isa_cap = isa == FUZZ_RAW ? (int32_t)isa : (int32_t)(isa % 4);
    r.max_threads = threads == FUZZ_RAW ? SIZE_MAX : (size_t)(threads % 16);
    r.executor_state.order = (fuzz_order)((threads >> 4) % 3);
    r.with_bias = (options & 1) != 0;
    nc_conv2d_desc *d = &r.desc;
    d->batch = fuzz_size(in, 3);
    d->in_channels = fuzz_size(in, 40);
    d->in_height = fuzz_size(in, 12);
    d->in_width = fuzz_size(in, 36);
    d->out_channels = fuzz_size(in, 40);
    d->kernel_height = fuzz_size(in, 5);
    d->kernel_width = fuzz_size(in, 5);
    d->stride_height = fuzz_size(in, 3);
    d->stride_width = fuzz_size(in, 3);
    d->pad_top = fuzz_size(in, 4);
    d->pad_bottom = fuzz_size(in, 4);
    d->pad_left = fuzz_size(in, 4);
    d->pad_right = fuzz_size(in, 4);
    d->dilation_height = fuzz_size(in, 3);
    d->dilation_width = fuzz_size(in, 3);
    d->groups = fuzz_size(in, 40);
    d->layout = fuzz_enum(in, 3);
    d->filter_layout = fuzz_enum(in, 2);
    d->activation = fuzz_enum(in, 3);
    d->flags = fuzz_flags(in, NC_CONV2D_ACCUMULATE);
    d->activation_min = fuzz_bound(in);
    d->activation_max = fuzz_bound(in);
    return r;
}

static size_t x_index(const nc_conv2d_desc *d, int64_t n, int64_t c, int64_t h, int64_t w, int64_t channels,
                      int64_t height, int64_t width)
{
    return (size_t)ref_layout_index(d->layout, channels, height, width, n, c, h, w);
}

static size_t w_index(const nc_conv2d_desc *d, int64_t k, int64_t c, int64_t r, int64_t s)
{
    const int64_t cg = d->in_channels / d->groups;
    if (d->filter_layout == NC_FILTER_HWIO) {
        return (size_t)(((r * d->kernel_width + s) * cg + c) * d->out_channels + k);
    }
    return (size_t)(((k * cg + c) * d->kernel_height + r) * d->kernel_width + s);
}

static fuzz_expected expect_output(const nc_conv2d_desc *d, const float *x, const float *w, const float *b,
                                   const float *previous, int64_t n, int64_t k, int64_t oh, int64_t ow,
                                   int64_t p, int64_t q)
{
    const int64_t cg = d->in_channels / d->groups, kg = d->out_channels / d->groups, g = k / kg;
    fuzz_sum s = {0};
    for (int64_t c = 0; c < cg; c++) {
        for (int64_t r = 0; r < d->kernel_height; r++) {
            for (int64_t t = 0; t < d->kernel_width; t++) {
                const int64_t ih = oh * d->stride_height - d->pad_top + r * d->dilation_height;
                const int64_t iw = ow * d->stride_width - d->pad_left + t * d->dilation_width;
                if (ih < 0 || ih >= d->in_height || iw < 0 || iw >= d->in_width) {
                    /* Zero fill is a real zero (docs/semantics.md): 0 x NaN and 0 x Inf give NaN. */
                    fuzz_sum_add(&s, 0.0 * (double)w[w_index(d, k, c, r, t)]);
                    continue;
                }
                double xv = x[x_index(d, n, g * cg + c, ih, iw, d->in_channels, d->in_height, d->in_width)];
                fuzz_sum_add(&s, xv * (double)w[w_index(d, k, c, r, t)]);
            }
        }
    }
    if (b != NULL) {
        fuzz_sum_add(&s, b[k]);
    }
    if ((d->flags & NC_CONV2D_ACCUMULATE) != 0) {
        fuzz_sum_add(&s, previous[x_index(d, n, k, oh, ow, d->out_channels, p, q)]);
    }
    fuzz_expected e = fuzz_sum_expect(&s, 2, 1.0);
    if (d->activation == NC_ACTIVATION_RELU) {
        e = fuzz_expect_clamp(e, 0, INFINITY);
    } else if (d->activation == NC_ACTIVATION_CLAMP) {
        e = fuzz_expect_clamp(e, d->activation_min, d->activation_max);
    }
    return e;
}

static void check_against_reference(const nc_conv2d_desc *d, const nc_tensor_sizes *s, const float *x,
                                    const float *w, const float *b, const float *previous, const float *y)
{
    for (int64_t n = 0; n < d->batch; n++) {
        for (int64_t k = 0; k < d->out_channels; k++) {
            for (int64_t oh = 0; oh < s->out_height; oh++) {
                for (int64_t ow = 0; ow < s->out_width; ow++) {
                    size_t i = x_index(d, n, k, oh, ow, d->out_channels, s->out_height, s->out_width);
                    fuzz_expected e = expect_output(d, x, w, b, previous, n, k, oh, ow, s->out_height, s->out_width);
                    FUZZ_REQUIRE(fuzz_matches(e, y[i]),
                                 "output (n %lld, k %lld, h %lld, w %lld) = %.9g, expected %.9g +- %.3g (class %d)",
                                 (long long)n, (long long)k, (long long)oh, (long long)ow, (double)y[i], e.value,
                                 e.tolerance, (int)e.kind);
                }
            }
        }
    }
    FUZZ_REQUIRE(ref_nonzero_padding_lanes(d->layout, y, d->batch, d->out_channels, s->out_height, s->out_width) == 0,
                 "NCHW16c padding lanes of the output are not zero");
}

static float *allocate(size_t count)
{
    if (count == 0) {
        return NULL; /* (NULL, 0) is a valid empty buffer */
    }
    float *p = malloc(count * sizeof(float));
    FUZZ_REQUIRE(p != NULL, "out of memory for %zu floats", count);
    return p;
}

static void check_geometry(const nc_conv2d_desc *d, const nc_tensor_sizes *s)
{
    const int64_t p = ref_conv_out_size(d->in_height, d->pad_top, d->pad_bottom, d->kernel_height,
                                        d->stride_height, d->dilation_height);
    const int64_t q = ref_conv_out_size(d->in_width, d->pad_left, d->pad_right, d->kernel_width,
                                        d->stride_width, d->dilation_width);
    FUZZ_REQUIRE(s->out_height == p && s->out_width == q, "output %lldx%lld, expected %lldx%lld",
                 (long long)s->out_height, (long long)s->out_width, (long long)p, (long long)q);
    FUZZ_REQUIRE(s->input_count == ref_layout_count(d->layout, d->batch, d->in_channels, d->in_height, d->in_width),
                 "input_count");
    FUZZ_REQUIRE(s->filter_count == d->out_channels * (d->in_channels / d->groups) * d->kernel_height *
                                        d->kernel_width, "filter_count");
    FUZZ_REQUIRE(s->bias_count == d->out_channels, "bias_count");
    FUZZ_REQUIRE(s->output_count == ref_layout_count(d->layout, d->batch, d->out_channels, p, q), "output_count");
}

static nc_status execute_plan(const void *plan, const float *input, size_t input_count, float *output,
                              size_t output_count)
{
    return nc_conv2d_plan_execute(plan, input, input_count, output, output_count, NULL);
}

static void run(const conv_request *r, fuzz_input *in)
{
    const nc_conv2d_desc *d = &r->desc;
    nc_tensor_sizes s;
    char message[96];
    memset(message, 0x7f, sizeof message);
    nc_status queried = nc_conv2d_query(d, &s, message, sizeof message);
    fuzz_check_query(queried, message, sizeof message);
    if (queried != NC_STATUS_OK) {
        nc_conv2d_plan *plan = NULL;
        nc_status created = nc_conv2d_plan_create(d, NULL, 0, NULL, 0, &plan);
        FUZZ_REQUIRE(created == queried, "query said %d, create said %d", (int)queried, (int)created);
        FUZZ_REQUIRE(nc_conv2d(d, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL) == queried, "one-shot status");
        return;
    }
    check_geometry(d, &s);
    const int64_t taps = (d->in_channels / d->groups) * d->kernel_height * d->kernel_width;
    if (s.input_count > MAX_ELEMENTS || s.filter_count > MAX_ELEMENTS || s.output_count > MAX_ELEMENTS ||
        s.output_count > MAX_WORK / (taps > 0 ? taps : 1)) {
        return;
    }
    const size_t nx = (size_t)s.input_count, nw = (size_t)s.filter_count, ny = (size_t)s.output_count;
    const size_t nb = r->with_bias ? (size_t)s.bias_count : 0;
    float *x = allocate(nx), *w = allocate(nw), *b = allocate(nb), *previous = allocate(ny);
    float *serial = allocate(ny), *ordered = allocate(ny), *one_shot = allocate(ny);
    fuzz_floats(in, w, nw);
    fuzz_floats(in, b, nb);
    fuzz_floats(in, x, nx);
    fuzz_floats(in, previous, ny);

    if (nw > 0) {
        nc_conv2d_plan *rejected = NULL;
        FUZZ_REQUIRE(nc_conv2d_plan_create(d, w, nw - 1, b, nb, &rejected) == NC_STATUS_BUFFER_SIZE, "short filter");
    }
    nc_conv2d_plan *plan = NULL;
    nc_status created = nc_conv2d_plan_create(d, w, nw, b, nb, &plan);
    FUZZ_REQUIRE(created == NC_STATUS_OK && plan != NULL, "create failed after query succeeded: %d", (int)created);
    FUZZ_REQUIRE(nc_conv2d_plan_kernel_name(plan) != NULL, "no kernel name");

    /* The caller's weights are not kept: scribbling over them must not change the results. */
    float *w_copy = allocate(nw);
    if (nw > 0) {
        memcpy(w_copy, w, nw * sizeof(float));
        memset(w, 0xff, nw * sizeof(float));
    }

    if (ny > 0) {
        memcpy(serial, previous, ny * sizeof(float));
        memcpy(ordered, previous, ny * sizeof(float));
        memcpy(one_shot, previous, ny * sizeof(float));
    }
    FUZZ_REQUIRE(nc_conv2d_plan_execute(plan, x, nx, serial, ny, NULL) == NC_STATUS_OK, "serial execute");
    fuzz_executor_state state = r->executor_state;
    state.max_tasks = ny > 0 ? ny : 1; /* more tasks than output elements is a runaway split */
    nc_executor executor = {&state, fuzz_parallel_for, r->max_threads};
    nc_status st = nc_conv2d_plan_execute(plan, x, nx, ordered, ny, &executor);
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
    nc_conv2d_plan_destroy(plan);

    FUZZ_REQUIRE(nc_conv2d(d, x, nx, w_copy, nw, b, nb, one_shot, ny, NULL) == NC_STATUS_OK, "one-shot");
    if (ny > 0) {
        FUZZ_REQUIRE(memcmp(serial, one_shot, ny * sizeof(float)) == 0, "one-shot differs from the plan");
    }
    check_against_reference(d, &s, x, w_copy, b, previous, serial);

    free(x);
    free(w);
    free(w_copy);
    free(b);
    free(previous);
    free(serial);
    free(ordered);
    free(one_shot);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    conv_request r = decode(&in);
    nc_status capped = nc_set_max_isa(r.isa_cap);
    FUZZ_REQUIRE((capped == NC_STATUS_OK) == (r.isa_cap >= 0 && r.isa_cap <= NC_ISA_NEON), "nc_set_max_isa(%d)",
                 (int)r.isa_cap);
    run(&r, &in);
    return 0;
}
