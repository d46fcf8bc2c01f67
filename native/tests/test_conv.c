/* nc_conv2d against the double-precision reference over seeded random shapes, once per ISA cap. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nativeconv.h"
#include "reference.h"
#include "test_util.h"

#define CASES_PER_ISA 300
#define VECTOR_CASES_PER_ISA 480

static float *alloc_floats(int64_t count)
{
    float *p = malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static void fill(test_rng *rng, float *p, int64_t count)
{
    for (int64_t i = 0; i < count; i++) {
        p[i] = test_float(rng);
    }
}

/* Grows the input of one axis until the dilated kernel fits in the padded input. */
static int64_t fit_input(int64_t in, int64_t pad_begin, int64_t pad_end, int64_t kernel, int64_t dilation)
{
    int64_t needed = dilation * (kernel - 1) + 1 - pad_begin - pad_end;
    return in >= needed ? in : needed;
}

/* Every tenth case forces one of the edge shapes; the rest are free draws. */
static nc_conv2d_desc random_desc(test_rng *rng, int index)
{
    nc_conv2d_desc d = {0};
    d.batch = index % 17 == 0 ? 0 : test_int(rng, 1, 3);
    int64_t cg, kg;
    switch (test_int(rng, 0, 3)) {
    case 0: /* depthwise, with channel multiplier */
        d.groups = test_int(rng, 1, 6);
        cg = 1;
        kg = test_int(rng, 1, 2);
        break;
    case 1:
        d.groups = test_int(rng, 2, 3);
        cg = test_int(rng, 1, 3);
        kg = test_int(rng, 1, 3);
        break;
    default:
        d.groups = 1;
        cg = test_int(rng, 1, 5);
        kg = test_int(rng, 1, 5);
        break;
    }
    d.in_channels = d.groups * cg;
    d.out_channels = d.groups * kg;
    d.in_height = test_int(rng, 1, 10);
    d.in_width = test_int(rng, 1, 10);
    d.kernel_height = test_int(rng, 1, 5);
    d.kernel_width = test_int(rng, 1, 5);
    d.stride_height = test_int(rng, 1, 4);
    d.stride_width = test_int(rng, 1, 4);
    d.dilation_height = test_int(rng, 0, 1) ? 1 : test_int(rng, 2, 3);
    d.dilation_width = test_int(rng, 0, 1) ? 1 : test_int(rng, 2, 3);
    d.pad_top = test_int(rng, 0, 3);
    d.pad_bottom = test_int(rng, 0, 3);
    d.pad_left = test_int(rng, 0, 3);
    d.pad_right = test_int(rng, 0, 3);
    switch (index % 10) {
    case 0: /* 1x1 image, everything else padding */
        d.in_height = d.in_width = 1;
        d.pad_top = test_int(rng, 1, 2);
        d.pad_left = test_int(rng, 1, 2);
        d.dilation_height = d.dilation_width = 1;
        d.kernel_height = test_int(rng, 1, 1 + d.pad_top + d.pad_bottom);
        d.kernel_width = test_int(rng, 1, 1 + d.pad_left + d.pad_right);
        break;
    case 1: /* kernel exactly as large as the padded input: a single output pixel */
        d.dilation_height = 1;
        d.kernel_height = d.in_height + d.pad_top + d.pad_bottom;
        d.dilation_width = 2;
        d.kernel_width = test_int(rng, 1, 4);
        d.pad_left = test_int(rng, 0, d.kernel_width - 1);
        d.pad_right = test_int(rng, 0, d.kernel_width - 1);
        d.in_width = 2 * (d.kernel_width - 1) + 1 - d.pad_left - d.pad_right;
        break;
    case 2: /* stride larger than kernel: inputs are skipped */
        d.kernel_height = test_int(rng, 1, 2);
        d.kernel_width = test_int(rng, 1, 2);
        d.stride_height = test_int(rng, 3, 5);
        d.stride_width = test_int(rng, 3, 5);
        break;
    default:
        break;
    }
    d.in_height = fit_input(d.in_height, d.pad_top, d.pad_bottom, d.kernel_height, d.dilation_height);
    d.in_width = fit_input(d.in_width, d.pad_left, d.pad_right, d.kernel_width, d.dilation_width);
    d.layout = (int32_t)test_int(rng, NC_LAYOUT_NCHW, NC_LAYOUT_NCHW16C);
    d.filter_layout = (int32_t)test_int(rng, 0, 1);
    d.activation = (int32_t)test_int(rng, 0, 2);
    d.activation_min = -0.5f + 0.25f * test_float(rng);
    d.activation_max = d.activation_min + 0.25f + fabsf(test_float(rng));
    d.flags = test_int(rng, 0, 2) == 0 ? NC_CONV2D_ACCUMULATE : 0;
    return d;
}

static void print_desc(const nc_conv2d_desc *d)
{
    fprintf(stderr,
            "  N=%" PRId64 " C=%" PRId64 " H=%" PRId64 " W=%" PRId64 " K=%" PRId64 " kernel=%" PRId64 "x%" PRId64
            " stride=%" PRId64 "x%" PRId64 " pad=%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 " dil=%" PRId64
            "x%" PRId64 " groups=%" PRId64 " layout=%d filter=%d act=%d flags=%u\n",
            d->batch, d->in_channels, d->in_height, d->in_width, d->out_channels, d->kernel_height,
            d->kernel_width, d->stride_height, d->stride_width, d->pad_top, d->pad_bottom, d->pad_left,
            d->pad_right, d->dilation_height, d->dilation_width, d->groups, d->layout, d->filter_layout,
            d->activation, d->flags);
}

/* Runs one case against the reference; when use_plan is set, copies the plan's kernel name to kernel. */
static void run_case(test_rng *rng, const nc_conv2d_desc *d, bool with_bias, bool use_plan, char *kernel,
                     size_t kernel_capacity)
{
    nc_tensor_sizes sizes;
    char message[256];
    CHECK_STATUS(nc_conv2d_query(d, &sizes, message, sizeof message), NC_STATUS_OK);
    const int64_t oh = ref_conv_out_size(d->in_height, d->pad_top, d->pad_bottom, d->kernel_height,
                                         d->stride_height, d->dilation_height);
    const int64_t ow = ref_conv_out_size(d->in_width, d->pad_left, d->pad_right, d->kernel_width,
                                         d->stride_width, d->dilation_width);
    CHECK(sizes.out_height == oh && sizes.out_width == ow);
    const int64_t cg = d->in_channels / d->groups;
    const int64_t in_count = d->batch * d->in_channels * d->in_height * d->in_width;
    const int64_t w_count = d->out_channels * cg * d->kernel_height * d->kernel_width;
    const int64_t out_count = d->batch * d->out_channels * oh * ow;
    const int64_t in_lib = ref_layout_count(d->layout, d->batch, d->in_channels, d->in_height, d->in_width);
    const int64_t out_lib = ref_layout_count(d->layout, d->batch, d->out_channels, oh, ow);
    CHECK(sizes.input_count == in_lib && sizes.filter_count == w_count && sizes.output_count == out_lib);
    CHECK(sizes.bias_count == d->out_channels);

    const bool accumulate = (d->flags & NC_CONV2D_ACCUMULATE) != 0;
    float *x = alloc_floats(in_count), *w = alloc_floats(w_count), *b = alloc_floats(d->out_channels);
    float *previous = alloc_floats(out_count);
    fill(rng, x, in_count);
    fill(rng, w, w_count);
    fill(rng, b, d->out_channels);
    fill(rng, previous, out_count);

    /* NCHW16c padding lanes hold NaN on the way in: nothing may read them. */
    float *x_lib = alloc_floats(in_lib), *w_lib = alloc_floats(w_count), *y_lib = alloc_floats(out_lib);
    ref_from_nchw(d->layout, x, x_lib, d->batch, d->in_channels, d->in_height, d->in_width, NAN);
    ref_from_nchw(d->layout, previous, y_lib, d->batch, d->out_channels, oh, ow, NAN);
    if (!accumulate) {
        for (int64_t i = 0; i < out_lib; i++) {
            y_lib[i] = NAN; /* must be ignored without NC_CONV2D_ACCUMULATE */
        }
    }
    if (d->filter_layout == NC_FILTER_HWIO) {
        ref_oihw_to_hwio(w, w_lib, d->out_channels, cg, d->kernel_height, d->kernel_width);
    } else {
        memcpy(w_lib, w, (size_t)w_count * sizeof(float));
    }

    /* An empty batch passes (NULL, 0) buffers, as a caller with no data would. */
    const float *in_arg = in_lib > 0 ? x_lib : NULL;
    float *out_arg = out_lib > 0 ? y_lib : NULL;
    const size_t bias_count = with_bias ? (size_t)d->out_channels : 0;
    if (use_plan) {
        nc_conv2d_plan *plan = NULL;
        CHECK_STATUS(nc_conv2d_plan_create(d, w_lib, (size_t)w_count, with_bias ? b : NULL, bias_count, &plan),
                     NC_STATUS_OK);
        CHECK(plan != NULL && nc_conv2d_plan_kernel_name(plan) != NULL);
        if (plan != NULL && nc_conv2d_plan_kernel_name(plan) != NULL) {
            snprintf(kernel, kernel_capacity, "%s", nc_conv2d_plan_kernel_name(plan));
        }
        CHECK(nc_conv2d_plan_packed_size(plan) >= (size_t)(w_count + (int64_t)bias_count) * sizeof(float));
        CHECK_STATUS(nc_conv2d_plan_execute(plan, in_arg, (size_t)in_lib, out_arg, (size_t)out_lib, NULL),
                     NC_STATUS_OK);
        nc_conv2d_plan_destroy(plan);
    } else {
        CHECK_STATUS(nc_conv2d(d, in_arg, (size_t)in_lib, w_lib, (size_t)w_count, with_bias ? b : NULL,
                               bias_count, out_arg, (size_t)out_lib, NULL),
                     NC_STATUS_OK);
    }

    float *y = alloc_floats(out_count);
    ref_to_nchw(d->layout, y_lib, y, d->batch, d->out_channels, oh, ow);
    CHECK(ref_nonzero_padding_lanes(d->layout, y_lib, d->batch, d->out_channels, oh, ow) == 0);
    double *expected = malloc((size_t)(out_count > 0 ? out_count : 1) * sizeof(double));
    double *scale = malloc((size_t)(out_count > 0 ? out_count : 1) * sizeof(double));
    ref_conv2d(d, oh, ow, x, w, with_bias ? b : NULL, accumulate ? previous : NULL, expected, scale);
    /* Float summation of n terms errs by at most about n * eps * sum |term|. */
    const double terms = (double)(cg * d->kernel_height * d->kernel_width + 2);
    int64_t bad = 0;
    for (int64_t i = 0; i < out_count; i++) {
        double tolerance = (terms + 2) * FLT_EPSILON * scale[i];
        if (isnan(y[i]) || fabs(y[i] - expected[i]) > tolerance) {
            if (bad++ == 0) {
                fprintf(stderr, "conv mismatch at %" PRId64 ": got %.9g expected %.9g (tolerance %.3g)\n", i,
                        (double)y[i], expected[i], tolerance);
                print_desc(d);
            }
        }
    }
    CHECK(bad == 0);
    free(x);
    free(w);
    free(b);
    free(previous);
    free(x_lib);
    free(w_lib);
    free(y_lib);
    free(y);
    free(expected);
    free(scale);
}

/* NCHW16c images of one pixel are contiguous across blocks while the other side of the convolution is not:
 * a 1x1 input with padding around it, or a 3x3 input whose output is 1x1. Dense and depthwise, with channel
 * counts that end in a partial block. */
static nc_conv2d_desc one_pixel_desc(int index)
{
    const int64_t channels = 20 + 12 * (index % 3);
    const bool padded_output = index / 3 % 2 == 0, depthwise = index / 6 % 2 == 1;
    return (nc_conv2d_desc){.batch = 2, .in_channels = channels, .in_height = padded_output ? 1 : 3,
                            .in_width = padded_output ? 1 : 3, .out_channels = depthwise ? channels : 36,
                            .kernel_height = 3, .kernel_width = 3, .stride_height = 1, .stride_width = 1,
                            .pad_top = padded_output ? 2 : 0, .pad_bottom = padded_output ? 2 : 0,
                            .pad_left = padded_output ? 2 : 0, .pad_right = padded_output ? 2 : 0,
                            .dilation_height = 1, .dilation_width = 1, .groups = depthwise ? channels : 1,
                            .layout = NC_LAYOUT_NCHW16C, .filter_layout = NC_FILTER_OIHW,
                            .flags = index % 4 == 1 ? NC_CONV2D_ACCUMULATE : 0};
}

static void print_kernels(int32_t isa)
{
    nc_conv2d_desc d = {.batch = 1, .in_channels = 1, .in_height = 1, .in_width = 1, .out_channels = 1,
                        .kernel_height = 1, .kernel_width = 1, .stride_height = 1, .stride_width = 1,
                        .dilation_height = 1, .dilation_width = 1, .groups = 1};
    const float one = 1.0f;
    printf("cap %-6s active %-6s:", nc_isa_name(isa), nc_isa_name(nc_active_isa()));
    for (int32_t layout = NC_LAYOUT_NCHW; layout <= NC_LAYOUT_NCHW16C; layout++) {
        d.layout = layout;
        nc_conv2d_plan *plan = NULL;
        CHECK_STATUS(nc_conv2d_plan_create(&d, &one, 1, NULL, 0, &plan), NC_STATUS_OK);
        printf(" %s", plan != NULL ? nc_conv2d_plan_kernel_name(plan) : "(none)");
        nc_conv2d_plan_destroy(plan);
    }
    printf("\n");
}

/* A NaN input must reach the output through both activations, as in PyTorch. */
static void check_nan_propagation(void)
{
    for (int32_t activation = NC_ACTIVATION_NONE; activation <= NC_ACTIVATION_CLAMP; activation++) {
        nc_conv2d_desc d = {.batch = 1, .in_channels = 1, .in_height = 2, .in_width = 1, .out_channels = 1,
                            .kernel_height = 1, .kernel_width = 1, .stride_height = 1, .stride_width = 1,
                            .dilation_height = 1, .dilation_width = 1, .groups = 1, .activation = activation,
                            .activation_min = 0.0f, .activation_max = 6.0f};
        const float x[2] = {NAN, -1.0f}, w = 1.0f;
        float y[2];
        CHECK_STATUS(nc_conv2d(&d, x, 2, &w, 1, NULL, 0, y, 2, NULL), NC_STATUS_OK);
        CHECK(isnan(y[0]));
        CHECK(y[1] == (activation == NC_ACTIVATION_NONE ? -1.0f : 0.0f));
    }
}

/* Shapes sized for the SIMD kernels: channel counts around the vector widths (8, 16) and channel
 * blocks (4..64), widths up to a few vectors past the widest tile, every padding, strides 1-3,
 * dilation, grouped and depthwise convolutions. */
enum { CLASS_DENSE, CLASS_POINTWISE, CLASS_GROUPED, CLASS_DEPTHWISE, CLASS_STRIDED, CLASS_SAME, CLASS_COUNT };
static const char *const class_names[CLASS_COUNT] = {"dense", "pointwise", "grouped", "depthwise", "strided",
                                                     "same"};

static int64_t around_vector(test_rng *rng, int64_t max_vectors)
{
    const int64_t vectors = test_int(rng, 0, max_vectors);
    return vectors * 8 + test_int(rng, vectors == 0 ? 1 : -1, 1) + (test_int(rng, 0, 1) ? 8 : 0);
}

static nc_conv2d_desc vector_desc(test_rng *rng, int cls)
{
    nc_conv2d_desc d = {0};
    d.batch = test_int(rng, 1, 2);
    int64_t cg = around_vector(rng, 3), kg = around_vector(rng, 8);
    d.groups = 1;
    d.kernel_height = test_int(rng, 1, 3);
    d.kernel_width = test_int(rng, 1, 3);
    d.stride_height = test_int(rng, 1, 2);
    d.stride_width = test_int(rng, 1, 2);
    d.dilation_height = test_int(rng, 0, 3) ? 1 : 2;
    d.dilation_width = test_int(rng, 0, 3) ? 1 : 2;
    switch (cls) {
    case CLASS_POINTWISE:
        d.kernel_height = d.kernel_width = 1;
        d.stride_height = d.stride_width = 1;
        break;
    case CLASS_GROUPED: /* Kg below and between vector widths */
        d.groups = test_int(rng, 2, 3);
        cg = test_int(rng, 1, 9);
        kg = test_int(rng, 1, 20);
        break;
    case CLASS_DEPTHWISE:
        d.groups = test_int(rng, 1, 40);
        cg = 1;
        kg = test_int(rng, 0, 2) ? 1 : test_int(rng, 2, 3);
        d.kernel_height = test_int(rng, 1, 5);
        d.kernel_width = test_int(rng, 1, 5);
        break;
    case CLASS_STRIDED: /* kernels up to 10 wide: past the NCHW kernel's per-tile mask table */
        d.stride_width = test_int(rng, 2, 3);
        d.kernel_width = test_int(rng, 1, 10);
        cg = test_int(rng, 1, 4);
        break;
    case CLASS_SAME: /* stride 1, output as wide as the input: whole planes as one row, up to 7x7 and past it */
        d.stride_height = d.stride_width = 1;
        d.kernel_height = test_int(rng, 1, 8);
        d.kernel_width = test_int(rng, 1, 7);
        cg = test_int(rng, 1, 12);
        break;
    default:
        break;
    }
    d.in_channels = d.groups * cg;
    d.out_channels = d.groups * kg;
    d.in_height = test_int(rng, 1, 5);
    d.in_width = test_int(rng, 1, 72) * d.stride_width;
    d.pad_top = test_int(rng, 0, 2);
    d.pad_bottom = test_int(rng, 0, 2);
    d.pad_left = test_int(rng, 0, 3);
    d.pad_right = test_int(rng, 0, 3);
    if (cls == CLASS_DEPTHWISE) { /* tall enough for the depthwise kernels' multi-row tiles */
        d.in_height = test_int(rng, 1, 12);
    }
    if (cls == CLASS_SAME) {
        const int64_t span = (d.kernel_width - 1) * d.dilation_width;
        d.pad_left = test_int(rng, 0, span);
        d.pad_right = span - d.pad_left;
        d.in_height = test_int(rng, 1, 9);
        d.pad_top = test_int(rng, 0, d.kernel_height);
        d.pad_bottom = test_int(rng, 0, d.kernel_height);
    }
    d.in_height = fit_input(d.in_height, d.pad_top, d.pad_bottom, d.kernel_height, d.dilation_height);
    d.in_width = fit_input(d.in_width, d.pad_left, d.pad_right, d.kernel_width, d.dilation_width);
    d.layout = (int32_t)test_int(rng, NC_LAYOUT_NCHW, NC_LAYOUT_NCHW16C);
    d.filter_layout = (int32_t)test_int(rng, 0, 1);
    d.activation = (int32_t)test_int(rng, 0, 2);
    d.activation_min = -0.5f + 0.25f * test_float(rng);
    d.activation_max = d.activation_min + 0.25f + fabsf(test_float(rng));
    d.flags = test_int(rng, 0, 2) == 0 ? NC_CONV2D_ACCUMULATE : 0;
    return d;
}

/* Which kernel served how many cases of each class, for one ISA cap. */
#define MAX_KERNELS 16
typedef struct kernel_tally {
    char names[MAX_KERNELS][64];
    int counts[MAX_KERNELS][CLASS_COUNT];
    int used;
} kernel_tally;

static void tally_add(kernel_tally *tally, const char *name, int cls)
{
    int i = 0;
    while (i < tally->used && strcmp(tally->names[i], name) != 0) {
        i++;
    }
    if (i == tally->used) {
        if (tally->used == MAX_KERNELS) {
            return;
        }
        snprintf(tally->names[i], sizeof tally->names[i], "%s", name);
        tally->used++;
    }
    tally->counts[i][cls]++;
}

static int tally_total(const kernel_tally *tally, const char *name)
{
    for (int i = 0; i < tally->used; i++) {
        if (strcmp(tally->names[i], name) == 0) {
            int total = 0;
            for (int c = 0; c < CLASS_COUNT; c++) {
                total += tally->counts[i][c];
            }
            return total;
        }
    }
    return 0;
}

static void tally_print(const kernel_tally *tally)
{
    for (int i = 0; i < tally->used; i++) {
        printf("  %-26s", tally->names[i]);
        for (int c = 0; c < CLASS_COUNT; c++) {
            printf(" %s %3d", class_names[c], tally->counts[i][c]);
        }
        printf("\n");
    }
}

/* Every kernel registered for an ISA, so a can_handle bug cannot silently hide one: each must serve at
 * least one case under its ISA's cap. Kept in step with kernel_registry.c. */
static const char *const isa_kernels[][8] = {
    [NC_ISA_SCALAR] = {"conv_direct_nchw__scalar", "conv_direct_nhwc__scalar"},
    [NC_ISA_AVX2] = {"conv_dw_nchw_2x4__avx2", "conv_dw_nhwc_4x2v__avx2", "conv_nchw_plane_3x4__avx2",
                     "conv_nchw_3x4v__avx2", "conv_nchw_3x4__avx2", "conv_nhwc_3x4v__avx2"},
    [NC_ISA_AVX512] = {"conv_dw_nchw_4x2__avx512", "conv_dw_nhwc_4x4v__avx512", "conv_nchw_plane_3x8__avx512",
                       "conv_nchw_6x4v__avx512", "conv_nchw_3x8__avx512", "conv_nhwc_6x4v__avx512"},
    [NC_ISA_NEON] = {"conv_dw_nchw_4x4__neon", "conv_dw_nhwc_4x4v__neon", "conv_nchw_plane_3x8__neon",
                     "conv_nchw_3x8__neon", "conv_nhwc_6x4v_laneq__neon"},
};

static void check_kernels_selected(int32_t isa, const kernel_tally *tally)
{
    for (int i = 0; i < 8 && isa_kernels[isa][i] != NULL; i++) {
        if (nc_active_isa() == isa && tally_total(tally, isa_kernels[isa][i]) == 0) {
            fprintf(stderr, "kernel %s never selected under cap %s\n", isa_kernels[isa][i], nc_isa_name(isa));
            test_failures++;
        }
    }
}

/* NCHW stride-1 convolutions with output rows as wide as the input's, over more input channels than the
 * plane kernel sums in one slice (SLICE_BYTES and COPY_BYTES in conv_nchw_plane_template.h): each block's
 * running sums cross slices, with bias, accumulate, an activation, groups and partial channel blocks. The
 * ungrouped 1x1 cases have more output channels than one chunk takes while slices are split (SPLIT_BLOCKS). */
static nc_conv2d_desc many_channels_desc(int index)
{
    const bool pointwise = index % 2 == 1, grouped = index % 4 >= 2;
    const int64_t kernel = pointwise ? 1 : 3, pad = pointwise ? 0 : 1;
    return (nc_conv2d_desc){.batch = 1 + index / 4, .in_channels = pointwise ? 720 : 120, .in_height = 5 + index,
                            .in_width = 9, .out_channels = grouped ? 44 : pointwise ? 140 : 22, .kernel_height = kernel,
                            .kernel_width = kernel, .stride_height = 1, .stride_width = 1, .pad_top = pad,
                            .pad_bottom = pad, .pad_left = pad, .pad_right = pad, .dilation_height = 1,
                            .dilation_width = 1, .groups = grouped ? 2 : 1, .layout = NC_LAYOUT_NCHW,
                            .filter_layout = NC_FILTER_OIHW, .flags = index % 3 == 0 ? NC_CONV2D_ACCUMULATE : 0,
                            .activation = index % 3 == 2 ? NC_ACTIVATION_RELU : NC_ACTIVATION_NONE};
}

/* NCHW "same" convolutions on planes of at least COPY_MIN_PLANE pixels (conv_nchw_plane_template.h), whose
 * tiles that cross a border copy every tap of a slice of input channels through its masks once for the
 * chunk's blocks on AVX2 and NEON (AVX-512 does not copy, and runs them through its masks): kernels from 2x2 to
 * 5x5, asymmetric padding, dilation, groups (3x3 among them), more input channels than one such slice holds
 * (37 channels of a 3x3 kernel at NEON), and 3 output channels, one block, which reads the tensor instead. */
static nc_conv2d_desc copied_border_desc(int index)
{
    const int64_t kernel = 2 + index % 4, dilation = index % 3 == 2 ? 2 : 1;
    const int64_t groups = index % 4 == 3 || index == 9 ? 2 : 1;
    const int64_t span = (kernel - 1) * dilation, pad_left = span / 2 + index % 2;
    return (nc_conv2d_desc){.batch = 1, .in_channels = groups * (index < 2 ? 48 : 6 + 3 * index),
                            .in_height = 29 + index, .in_width = 36 + index % 3,
                            .out_channels = groups * (3 + 4 * index), .kernel_height = kernel,
                            .kernel_width = kernel, .stride_height = 1, .stride_width = 1,
                            .pad_top = span - span / 2, .pad_bottom = span / 2, .pad_left = pad_left,
                            .pad_right = span - pad_left, .dilation_height = dilation, .dilation_width = dilation,
                            .groups = groups, .layout = NC_LAYOUT_NCHW};
}

/* Case index's filter layout, accumulate flag and activation, cycling through all of them. */
static nc_conv2d_desc with_options(nc_conv2d_desc d, int index)
{
    d.filter_layout = index % 2 == 0 ? NC_FILTER_OIHW : NC_FILTER_HWIO;
    d.flags = index % 3 == 1 ? NC_CONV2D_ACCUMULATE : 0;
    d.activation = index % 4 == 1 ? NC_ACTIVATION_CLAMP : index % 2 == 1 ? NC_ACTIVATION_RELU : NC_ACTIVATION_NONE;
    d.activation_min = -0.25f;
    d.activation_max = 0.5f;
    return d;
}

/* Strided NCHW convolutions over enough input channels for the channel-vector kernels' NCHW variant: tiles
 * of every pixel count and partial channel vectors, borders on every side, dilation, groups, stride 3, with
 * bias, accumulate and activations; their tiles are transposed to the output planes at the store. */
static nc_conv2d_desc strided_channels_desc(int index)
{
    const int64_t kernel = 1 + index % 3, dilation = index % 5 == 4 ? 2 : 1, groups = index % 4 == 3 ? 2 : 1;
    const int64_t pad = index % 3 == 0 ? 0 : 1, in_width = 9 + 2 * index;
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = groups * (8 + index % 3 * 5),
                            .in_height = 4 + index % 4, .in_width = in_width, .out_channels = groups * (3 + 7 * index),
                            .kernel_height = kernel, .kernel_width = kernel, .stride_height = 1 + index % 2,
                            .stride_width = 2 + index % 5 / 4, .pad_top = pad, .pad_bottom = index % 2,
                            .pad_left = pad + index % 2, .pad_right = pad, .dilation_height = dilation,
                            .dilation_width = dilation, .groups = groups, .layout = NC_LAYOUT_NCHW};
}

/* NCHW stride-1 convolutions over small planes (up to NCHW_PLANE_LIMIT pixels: 28x28 at AVX2, 56x56 at
 * AVX-512) with at least 64 input channels a group, which the channel-vector kernels' NCHW variant takes from
 * the plane kernel (can_handle_nchw in conv_nhwc_template.h): planes from 1x1 to 56x56 and one past each
 * limit, kernels from 1x2 to 3x3 with asymmetric and "valid" padding, dilation, two groups, partial channel
 * vectors and blocks. */
static nc_conv2d_desc small_plane_channels_desc(int index)
{
    static const int64_t sizes[8][2] = {{14, 14}, {28, 28}, {7, 7}, {1, 1}, {5, 13}, {56, 56}, {57, 56}, {29, 27}};
    static const int64_t kernels[5][2] = {{3, 3}, {1, 2}, {2, 3}, {3, 1}, {2, 2}};
    const int64_t kernel_h = kernels[index % 5][0], kernel_w = kernels[index % 5][1];
    const int64_t dilation = index % 7 == 6 ? 2 : 1, groups = index % 4 == 3 ? 2 : 1;
    const int64_t span_h = (kernel_h - 1) * dilation, span_w = (kernel_w - 1) * dilation;
    const bool valid = index % 6 == 4;
    const int64_t pad_left = valid ? 0 : span_w - span_w / 2;
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = groups * (64 + 5 * (index % 3)),
                            .in_height = sizes[index % 8][0] + (valid ? span_h : 0),
                            .in_width = sizes[index % 8][1] + (valid ? span_w : 0),
                            .out_channels = groups * (9 + 13 * index), .kernel_height = kernel_h,
                            .kernel_width = kernel_w, .stride_height = 1, .stride_width = 1,
                            .pad_top = valid ? 0 : span_h / 2, .pad_bottom = valid ? 0 : span_h - span_h / 2,
                            .pad_left = pad_left, .pad_right = valid ? 0 : span_w - pad_left,
                            .dilation_height = dilation, .dilation_width = dilation, .groups = groups,
                            .layout = NC_LAYOUT_NCHW};
}

/* Depthwise NCHW at stride 1 with output rows as wide as the input's: AVX2, and AVX-512 on planes up to
 * DW_PLANE_MAX_WIDTH wide, run these as tiles over whole planes (DW_PLANE_TILES in conv_dw_nchw_template.h).
 * Planes smaller than a tile and several tiles long, rows of any width, kernels up to 5x5 with asymmetric
 * "same" padding and dilation, channel multipliers, more channels than one pass over the tiles takes
 * (PLANE_CHANNELS), bias, accumulate and activations. */
static nc_conv2d_desc same_depthwise_desc(int index)
{
    const int64_t kernel_h = 1 + index % 5, kernel_w = 1 + (index * 2 + 1) % 5;
    const int64_t dilation = index % 4 == 3 ? 2 : 1, multiplier = index % 3 == 2 ? 2 : 1;
    const int64_t span_h = (kernel_h - 1) * dilation, span_w = (kernel_w - 1) * dilation;
    const int64_t groups = index % 2 == 0 ? 3 + index : 70;
    /* Planes of 1 to 377 pixels: tails of every length after the tiles of 64 pixels (AVX2) or 128 (AVX-512),
     * 14x14 among them. */
    static const int64_t heights[12] = {1, 4, 7, 14, 13, 16, 2, 5, 8, 11, 14, 17};
    static const int64_t widths[12] = {1, 8, 15, 14, 29, 6, 13, 20, 10, 4, 11, 18};
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = groups, .in_height = heights[index % 12],
                            .in_width = widths[index % 12], .out_channels = groups * multiplier,
                            .kernel_height = kernel_h, .kernel_width = kernel_w, .stride_height = 1,
                            .stride_width = 1, .pad_top = span_h / 2, .pad_bottom = span_h - span_h / 2,
                            .pad_left = span_w - span_w / 2, .pad_right = span_w / 2, .dilation_height = dilation,
                            .dilation_width = dilation, .groups = groups, .layout = NC_LAYOUT_NCHW};
}

/* Depthwise NCHW "same" convolutions one kernel column wide (1x1, 5x1) on 20x16 planes: AVX-512's plane tiles
 * of 128 pixels then include tiles whose every tap lies inside the plane, which load without masks. */
static nc_conv2d_desc column_depthwise_desc(int index)
{
    const int64_t kernel_h = index % 2 == 0 ? 1 : 5;
    return (nc_conv2d_desc){.batch = 1, .in_channels = 5 + index, .in_height = 20, .in_width = 16,
                            .out_channels = (5 + index) * (1 + index / 2), .kernel_height = kernel_h,
                            .kernel_width = 1, .stride_height = 1, .stride_width = 1, .pad_top = kernel_h / 2,
                            .pad_bottom = kernel_h / 2, .pad_left = 0, .pad_right = 0, .dilation_height = 1,
                            .dilation_width = 1, .groups = 5 + index, .layout = NC_LAYOUT_NCHW};
}

/* First layers in NCHW (1-4 input channels, kernels 3 to 7, stride 2, or stride 1 on rows of whole tiles) with
 * padding on both sides: the row kernel loads masked only the vectors that reach into the padding, so rows
 * of many widths put the last unmasked vector right before the right padding. */
static nc_conv2d_desc first_layer_desc(int index)
{
    const int64_t kernel = 3 + 2 * (index % 3), stride = index % 4 == 3 ? 1 : 2;
    return (nc_conv2d_desc){.batch = 1, .in_channels = 1 + index % 4, .in_height = 4 + index % 3,
                            .in_width = stride == 1 ? 96 + 8 * (index % 2) : 17 + 5 * index,
                            .out_channels = 5 + index, .kernel_height = kernel, .kernel_width = kernel,
                            .stride_height = 1 + index % 2, .stride_width = stride, .pad_top = kernel / 2,
                            .pad_bottom = kernel / 2, .pad_left = kernel / 2, .pad_right = kernel / 2 + index % 2,
                            .dilation_height = 1, .dilation_width = 1, .groups = 1, .layout = NC_LAYOUT_NCHW};
}

/* NCHW first layers at stride 2 whose input rows the row kernel stages on the stack (stage_layout in
 * conv_nchw_template.h): rows wider than one chunk (7 channels x 7 kernel rows), groups of fewer than 8
 * channels (restaged per group), dilation, asymmetric padding, a row of one partial vector; and rows it
 * cannot stage (a kernel 17 columns wide, 7 x 40 kernel rows), which gather. */
static nc_conv2d_desc staged_rows_desc(int index)
{
    static const struct {
        int64_t c, k, groups, height, width, kernel_h, kernel_w, dilation, pad_left, pad_right;
    } cases[] = {
        {7, 20, 1, 9, 400, 7, 7, 1, 3, 3}, {6, 20, 2, 6, 91, 3, 3, 1, 1, 1}, {3, 9, 1, 7, 77, 5, 5, 2, 4, 1},
        {2, 5, 1, 4, 60, 1, 17, 1, 8, 8},  {7, 4, 1, 41, 29, 40, 7, 1, 3, 0}, {6, 12, 3, 5, 5, 3, 3, 1, 1, 2},
    };
    const int n_cases = (int)(sizeof cases / sizeof cases[0]), n = index % n_cases;
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = cases[n].c, .in_height = cases[n].height,
                            .in_width = cases[n].width, .out_channels = cases[n].k,
                            .kernel_height = cases[n].kernel_h, .kernel_width = cases[n].kernel_w,
                            .stride_height = 1 + index / n_cases, .stride_width = 2,
                            .pad_top = cases[n].kernel_h / 2, .pad_bottom = cases[n].kernel_h / 2,
                            .pad_left = cases[n].pad_left, .pad_right = cases[n].pad_right,
                            .dilation_height = cases[n].dilation, .dilation_width = cases[n].dilation,
                            .groups = cases[n].groups, .layout = NC_LAYOUT_NCHW};
}

/* NHWC and NCHW16c convolutions with left and right padding, whose border pixels run one at a time with their
 * taps clipped (conv_nhwc_template.h) beside interior tiles and their remainders: first layers, groups that start
 * inside a block, one-vector blocks (twice the pixels), asymmetric padding and padding wider than the kernel,
 * dilation and stride, and 256 to 1024 channels a group. */
static nc_conv2d_desc border_tile_desc(int index)
{
    static const struct {
        int64_t c, k, groups, width, kernel_width, stride, dilation, pad_left, pad_right;
    } cases[] = {
        {3, 32, 1, 23, 5, 1, 1, 2, 2},    {3, 64, 1, 37, 7, 2, 1, 3, 3},   {48, 64, 2, 14, 3, 1, 1, 1, 1},
        {256, 24, 1, 14, 3, 1, 1, 1, 1},  {400, 16, 1, 13, 3, 1, 1, 1, 1}, {8, 8, 1, 30, 3, 1, 2, 2, 2},
        {5, 20, 1, 17, 5, 1, 2, 4, 0},    {16, 48, 1, 11, 4, 1, 1, 1, 2},  {1024, 16, 1, 6, 3, 1, 1, 1, 1},
        {6, 32, 2, 5, 3, 1, 1, 3, 3},     {7, 40, 1, 31, 5, 3, 1, 2, 2},   {64, 64, 1, 14, 3, 1, 1, 1, 1},
    };
    /* Each case once per layout: index % n_cases picks the case, index / n_cases the layout. */
    const int n_cases = (int)(sizeof cases / sizeof cases[0]), n = index % n_cases;
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = cases[n].c, .in_height = 4 + index % 3,
                            .in_width = cases[n].width, .out_channels = cases[n].k, .kernel_height = 3,
                            .kernel_width = cases[n].kernel_width, .stride_height = 1,
                            .stride_width = cases[n].stride, .pad_top = 1, .pad_bottom = 1,
                            .pad_left = cases[n].pad_left, .pad_right = cases[n].pad_right, .dilation_height = 1,
                            .dilation_width = cases[n].dilation, .groups = cases[n].groups,
                            .layout = index / n_cases % 2 == 0 ? NC_LAYOUT_NHWC : NC_LAYOUT_NCHW16C};
}

/* NCHW16c with whole input blocks per group (32 to 64 channels) and output blocks as wide as the channel-
 * vector tiles: full tiles then step from block to block of the input inside a kernel tap. 1x1 and 3x3, one
 * and two groups, widths that leave border and remainder pixels. */
static nc_conv2d_desc blocked_channels_desc(int index)
{
    const int64_t groups = 1 + index % 2, kernel = index / 2 % 2 == 0 ? 1 : 3;
    return (nc_conv2d_desc){.batch = 1 + index / 4 % 2, .in_channels = groups * (32 + 16 * (index % 3)),
                            .in_height = 5, .in_width = 13 + index, .out_channels = groups * (index % 3 == 0 ? 64 : 48),
                            .kernel_height = kernel, .kernel_width = kernel, .stride_height = 1,
                            .stride_width = 1 + index / 4 % 2, .pad_top = kernel / 2, .pad_bottom = kernel / 2,
                            .pad_left = kernel / 2, .pad_right = kernel / 2, .dilation_height = 1, .dilation_width = 1,
                            .groups = groups, .layout = NC_LAYOUT_NCHW16C};
}

/* NCHW16c whose groups of 3 to 6 input channels mostly lie inside one input block (a first layer's RGB, or
 * 2 or 4 groups), some starting past the block's first lane and some straddling two blocks: tiles of a full
 * pixel count (32 output channels a group: a whole AVX2 tile, half an AVX-512 one) take a group inside a block
 * as one run per tap from its offset. */
static nc_conv2d_desc sub_block_desc(int index)
{
    const int64_t groups = (int64_t)1 << (index % 3), per_group = 3 + index % 4, kernel = 3 + 2 * (index / 3 % 2);
    return (nc_conv2d_desc){.batch = 1, .in_channels = groups * per_group, .in_height = 6, .in_width = 20 + index,
                            .out_channels = groups * 32, .kernel_height = kernel, .kernel_width = kernel,
                            .stride_height = 1, .stride_width = 1 + index / 6 % 2, .pad_top = kernel / 2,
                            .pad_bottom = kernel / 2, .pad_left = kernel / 2, .pad_right = kernel / 2,
                            .dilation_height = 1, .dilation_width = 1, .groups = groups,
                            .layout = NC_LAYOUT_NCHW16C};
}

/* Depthwise NCHW16c with 64 channels or more: AVX-512 runs interior tiles over four neighbouring blocks at once
 * (GROUPED in conv_dw_nhwc_template.h), the border and remainder pixels too, and channels past the last whole
 * group block by block. 3x3 at stride 1 (its rows loaded once for three taps) and not, stride 2, dilation,
 * 5x5 and 1x1 kernels, widths that leave remainder pixels after the tiles. */
static nc_conv2d_desc blocked_depthwise_desc(int index)
{
    static const int64_t channels[6] = {64, 70, 128, 136, 80, 200};
    const int64_t kernel_h = index % 4 == 3 ? 1 : 3 + 2 * (index / 4 % 2), kernel_w = index % 4 == 2 ? 5 : kernel_h;
    const int64_t stride = index % 3 == 1 ? 2 : 1, dilation = index % 5 == 4 ? 2 : 1;
    const int64_t c = channels[index % 6];
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = c, .in_height = 3 + index % 4,
                            .in_width = 6 + 3 * index, .out_channels = c, .kernel_height = kernel_h,
                            .kernel_width = kernel_w, .stride_height = stride, .stride_width = stride,
                            .pad_top = kernel_h / 2 * dilation, .pad_bottom = kernel_h / 2 * dilation,
                            .pad_left = kernel_w / 2 * dilation, .pad_right = index % 2 == 0 ? kernel_w / 2 * dilation : 0,
                            .dilation_height = dilation, .dilation_width = dilation, .groups = c,
                            .layout = NC_LAYOUT_NCHW16C};
}

/* Depthwise NCHW at unit column stride on rows of 16 pixels or more: AVX-512 stages the rows of 16 channels at a
 * time as channels-last pixels (conv_dw_nchw_staged_16x16__avx512). Channel counts that leave a last group
 * overlapping the one before, rows whose last tile overlaps, kernels up to 5x5 with asymmetric padding, row
 * stride and dilation, rows too wide for the ring (left to the row tiles). */
static nc_conv2d_desc staged_depthwise_desc(int index)
{
    static const int64_t channels[6] = {16, 20, 37, 64, 70, 33};
    static const int64_t widths[6] = {16, 17, 28, 33, 47, 200};
    const int64_t kernel_h = 1 + 2 * (index % 3), kernel_w = index % 4 == 3 ? 1 : 3 + 2 * (index / 6 % 2);
    const int64_t dilation = index % 5 == 4 ? 2 : 1, c = channels[index % 6];
    const int64_t span_w = (kernel_w - 1) * dilation;
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = c, .in_height = 5 + index % 4,
                            .in_width = widths[index % 6], .out_channels = c, .kernel_height = kernel_h,
                            .kernel_width = kernel_w, .stride_height = 1 + index % 2, .stride_width = 1,
                            .pad_top = kernel_h / 2, .pad_bottom = index % 3 == 1 ? 0 : kernel_h / 2,
                            .pad_left = index % 2 == 0 ? span_w / 2 : span_w, .pad_right = index % 2 == 0 ? span_w / 2 : 0,
                            .dilation_height = dilation, .dilation_width = dilation, .groups = c,
                            .layout = NC_LAYOUT_NCHW};
}

/* Depthwise 3x3 at stride 1 (index < 48) and 2 in NCHW, which AVX-512 runs as tiles of 6 rows and AVX2 of 4
 * (conv_dw_nchw_3x3_template.h): rows of 9 to 50 pixels (tails of every kind, rows shorter and longer than a
 * vector), planes of 1 to 20 rows (fewer than a tile, and tiles crossing the last row), padding of 0 to 2 on each
 * side. Among them, rows whose last unmasked vector ends exactly at the row's last column, and one column short of
 * it. */
static nc_conv2d_desc dw3x3_desc(int index)
{
    static const int64_t widths[8] = {9, 16, 17, 28, 33, 50, 12, 40};
    static const int64_t heights[6] = {1, 20, 5, 14, 13, 8};
    const int64_t height = heights[index % 6], pad_top = index / 16 % 3;
    const int64_t pad_bottom = height + pad_top + index / 2 % 3 < 3 ? 3 - height - pad_top : index / 2 % 3;
    const int64_t stride = 1 + index / 48;
    const int64_t channels = 3 + index % 5;
    return (nc_conv2d_desc){.batch = 1 + index % 2, .in_channels = channels, .in_height = height,
                            .in_width = widths[index % 8], .out_channels = channels, .kernel_height = 3,
                            .kernel_width = 3, .stride_height = stride, .stride_width = stride, .pad_top = pad_top,
                            .pad_bottom = pad_bottom, .pad_left = index / 8 % 3, .pad_right = (index + 1) % 3,
                            .dilation_height = 1, .dilation_width = 1, .groups = channels,
                            .layout = NC_LAYOUT_NCHW};
}

/* Descriptors at the edge of what validation accepts: a one-tap axis with dilation INT64_MAX (which kernels
 * must never multiply or round with) beside padding, and padding of 2^40 made reachable by a stride of 2^40,
 * so that tap offsets run far outside the input; dense and depthwise, in every layout. */
static nc_conv2d_desc extreme_desc(int index)
{
    const int variant = index / 3 % 4;
    const bool depthwise = index / 12 % 2 == 1;
    const int64_t far = (int64_t)1 << 40;
    nc_conv2d_desc d = {.batch = 1, .in_channels = depthwise ? 20 : 8, .in_height = 3, .in_width = 6,
                        .out_channels = depthwise ? 20 : 12, .kernel_height = 3, .kernel_width = 3,
                        .stride_height = 1, .stride_width = 1, .pad_top = 1, .pad_bottom = 1, .pad_left = 1,
                        .pad_right = 1, .dilation_height = 1, .dilation_width = 1, .groups = depthwise ? 20 : 1,
                        .layout = index % 3 == 0 ? NC_LAYOUT_NCHW : index % 3 == 1 ? NC_LAYOUT_NHWC : NC_LAYOUT_NCHW16C,
                        .filter_layout = NC_FILTER_OIHW};
    if (variant == 0) {
        d.kernel_height = 1;
        d.dilation_height = INT64_MAX;
        d.pad_top = 2;
    } else if (variant == 1) {
        d.kernel_width = 1;
        d.dilation_width = INT64_MAX;
        d.pad_left = 2;
    } else if (variant == 2) {
        d.pad_top = far;
        d.stride_height = far;
    } else {
        d.kernel_width = 2;
        d.pad_left = far;
        d.stride_width = far + 1;
    }
    return d;
}

int main(void)
{
    const int32_t best = nc_active_isa();
    for (int32_t isa = NC_ISA_SCALAR; isa <= best; isa++) {
        CHECK_STATUS(nc_set_max_isa(isa), NC_STATUS_OK);
        if (nc_active_isa() != isa) {
            continue; /* a cap from the other family (AVX on AArch64) would rerun the same kernels */
        }
        print_kernels(isa);
        kernel_tally tally = {.used = 0};
        char kernel[64];
        test_rng rng = {20240601u};
        for (int i = 0; i < CASES_PER_ISA; i++) {
            nc_conv2d_desc d = random_desc(&rng, i);
            run_case(&rng, &d, test_int(&rng, 0, 3) != 0, i % 2 == 1, kernel, sizeof kernel);
        }
        for (int i = 0; i < VECTOR_CASES_PER_ISA; i++) {
            const int cls = i % CLASS_COUNT;
            nc_conv2d_desc d = vector_desc(&rng, cls);
            kernel[0] = 0;
            run_case(&rng, &d, test_int(&rng, 0, 3) != 0, true, kernel, sizeof kernel);
            tally_add(&tally, kernel, cls);
        }
        for (int i = 0; i < 12; i++) {
            nc_conv2d_desc d = one_pixel_desc(i);
            run_case(&rng, &d, true, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 8; i++) {
            nc_conv2d_desc d = many_channels_desc(i);
            run_case(&rng, &d, i % 4 != 3, true, kernel, sizeof kernel);
        }
        for (int i = 0; i < 10; i++) {
            nc_conv2d_desc d = with_options(copied_border_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 10; i++) {
            nc_conv2d_desc d = with_options(strided_channels_desc(i), i);
            kernel[0] = 0;
            run_case(&rng, &d, i % 3 != 2, true, kernel, sizeof kernel);
            tally_add(&tally, kernel, CLASS_STRIDED);
        }
        for (int i = 0; i < 12; i++) {
            nc_conv2d_desc d = with_options(small_plane_channels_desc(i), i);
            kernel[0] = 0;
            run_case(&rng, &d, i % 3 != 1, true, kernel, sizeof kernel);
            tally_add(&tally, kernel, CLASS_SAME);
        }
        for (int i = 0; i < 12; i++) {
            nc_conv2d_desc d = with_options(same_depthwise_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 96; i++) {
            nc_conv2d_desc d = with_options(dw3x3_desc(i), i);
            kernel[0] = 0;
            run_case(&rng, &d, i % 3 != 2, true, kernel, sizeof kernel);
            /* Only a plan names its kernel. */
            const bool named = kernel[0] != 0;
            const int64_t ow = (d.in_width + d.pad_left + d.pad_right - 3) / d.stride_width + 1;
            CHECK(!named || isa != NC_ISA_AVX512 || ow <= 8 || strcmp(kernel, "conv_dw_nchw_3x3_6x1__avx512") == 0);
            CHECK(!named || isa != NC_ISA_AVX2 || ow <= 4 || strcmp(kernel, "conv_dw_nchw_3x3_4x1__avx2") == 0);
        }
        for (int i = 0; i < 4; i++) {
            nc_conv2d_desc d = with_options(column_depthwise_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 12; i++) {
            nc_conv2d_desc d = with_options(first_layer_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 12; i++) {
            nc_conv2d_desc d = with_options(staged_rows_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 24; i++) {
            nc_conv2d_desc d = with_options(border_tile_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 8; i++) {
            nc_conv2d_desc d = with_options(blocked_channels_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 12; i++) {
            nc_conv2d_desc d = with_options(sub_block_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 18; i++) {
            nc_conv2d_desc d = with_options(staged_depthwise_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 12; i++) {
            nc_conv2d_desc d = with_options(blocked_depthwise_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        for (int i = 0; i < 24; i++) {
            nc_conv2d_desc d = with_options(extreme_desc(i), i);
            run_case(&rng, &d, i % 3 != 2, i % 2 == 0, kernel, sizeof kernel);
        }
        tally_print(&tally);
        check_kernels_selected(isa, &tally);
        check_nan_propagation();
    }
    CHECK_STATUS(nc_set_max_isa(best), NC_STATUS_OK);
    return test_finish("test_conv");
}
