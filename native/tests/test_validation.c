/* One check per validation rule and status code, including the messages that name the field. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "nativeconv.h"
#include "test_util.h"

#define BIG ((int64_t)1 << 40)

static nc_conv2d_desc conv_base(void)
{
    return (nc_conv2d_desc){.batch = 2, .in_channels = 4, .in_height = 5, .in_width = 6, .out_channels = 6,
                            .kernel_height = 3, .kernel_width = 3, .stride_height = 1, .stride_width = 1,
                            .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1, .dilation_height = 1,
                            .dilation_width = 1, .groups = 2};
}

static nc_pool2d_desc pool_base(void)
{
    return (nc_pool2d_desc){.batch = 1, .channels = 3, .in_height = 5, .in_width = 5, .kernel_height = 3,
                            .kernel_width = 3, .stride_height = 2, .stride_width = 2, .pad_top = 1,
                            .pad_bottom = 1, .pad_left = 1, .pad_right = 1, .dilation_height = 1,
                            .dilation_width = 1, .kind = NC_POOL_MAX};
}

/* Checks the status of query and plan creation and that the message contains fragment. */
#define EXPECT_CONV(desc, status, fragment) expect_conv((desc), (status), (fragment), __LINE__)
#define EXPECT_POOL(desc, status, fragment) expect_pool((desc), (status), (fragment), __LINE__)

static void expect_message(const char *message, const char *fragment, int line)
{
    if (fragment != NULL && strstr(message, fragment) == NULL) {
        fprintf(stderr, "line %d: message \"%s\" lacks \"%s\"\n", line, message, fragment);
        test_failures++;
    }
}

static void expect_conv(nc_conv2d_desc d, nc_status status, const char *fragment, int line)
{
    char message[256] = "unchanged";
    nc_tensor_sizes sizes;
    nc_status actual = nc_conv2d_query(&d, &sizes, message, sizeof message);
    if (actual != status) {
        fprintf(stderr, "line %d: nc_conv2d_query returned %d, expected %d (%s)\n", line, actual, status, message);
        test_failures++;
    }
    expect_message(message, fragment, line);
    if (status != NC_STATUS_OK) {
        nc_conv2d_plan *plan = (nc_conv2d_plan *)&d; /* must be reset to NULL on failure */
        CHECK_STATUS(nc_conv2d_plan_create(&d, NULL, 0, NULL, 0, &plan), status);
        CHECK(plan == NULL);
    }
}

static void expect_pool(nc_pool2d_desc d, nc_status status, const char *fragment, int line)
{
    char message[256] = "unchanged";
    nc_tensor_sizes sizes;
    nc_status actual = nc_pool2d_query(&d, &sizes, message, sizeof message);
    if (actual != status) {
        fprintf(stderr, "line %d: nc_pool2d_query returned %d, expected %d (%s)\n", line, actual, status, message);
        test_failures++;
    }
    expect_message(message, fragment, line);
    nc_pool2d_plan *plan = NULL;
    CHECK_STATUS(nc_pool2d_plan_create(&d, &plan), status);
    nc_pool2d_plan_destroy(plan);
}

static void check_library_info(void)
{
    CHECK(nc_abi_version() == NC_ABI_VERSION);
    CHECK(strcmp(nc_version_string(), "0.1.0") == 0);
    for (int32_t s = NC_STATUS_OK; s <= NC_STATUS_UNSUPPORTED; s++) {
        CHECK(nc_status_message(s) != NULL && strcmp(nc_status_message(s), nc_status_message(99)) != 0);
    }
    CHECK(strcmp(nc_status_message(-1), nc_status_message(99)) == 0);
    CHECK(nc_sizeof_conv2d_desc() == sizeof(nc_conv2d_desc));
    CHECK(nc_sizeof_pool2d_desc() == sizeof(nc_pool2d_desc));
    CHECK(nc_sizeof_tensor_sizes() == sizeof(nc_tensor_sizes));
    CHECK(nc_sizeof_executor() == sizeof(nc_executor));
}

typedef struct field {
    const char *name;
    size_t offset;
    int64_t bad;
} field;

static void check_conv_rules(void)
{
    EXPECT_CONV(conv_base(), NC_STATUS_OK, "");
    const field fields[] = {
        {"batch (-1) must be >= 0", offsetof(nc_conv2d_desc, batch), -1},
        {"in_channels (0) must be >= 1", offsetof(nc_conv2d_desc, in_channels), 0},
        {"in_height (0) must be >= 1", offsetof(nc_conv2d_desc, in_height), 0},
        {"in_width (-3) must be >= 1", offsetof(nc_conv2d_desc, in_width), -3},
        {"out_channels (0) must be >= 1", offsetof(nc_conv2d_desc, out_channels), 0},
        {"kernel_height (0) must be >= 1", offsetof(nc_conv2d_desc, kernel_height), 0},
        {"kernel_width (0) must be >= 1", offsetof(nc_conv2d_desc, kernel_width), 0},
        {"stride_height (0) must be >= 1", offsetof(nc_conv2d_desc, stride_height), 0},
        {"stride_width (0) must be >= 1", offsetof(nc_conv2d_desc, stride_width), 0},
        {"pad_top (-1) must be >= 0", offsetof(nc_conv2d_desc, pad_top), -1},
        {"pad_bottom (-1) must be >= 0", offsetof(nc_conv2d_desc, pad_bottom), -1},
        {"pad_left (-1) must be >= 0", offsetof(nc_conv2d_desc, pad_left), -1},
        {"pad_right (-1) must be >= 0", offsetof(nc_conv2d_desc, pad_right), -1},
        {"dilation_height (0) must be >= 1", offsetof(nc_conv2d_desc, dilation_height), 0},
        {"dilation_width (0) must be >= 1", offsetof(nc_conv2d_desc, dilation_width), 0},
        {"groups (0) must be >= 1", offsetof(nc_conv2d_desc, groups), 0},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        nc_conv2d_desc d = conv_base();
        memcpy((char *)&d + fields[i].offset, &fields[i].bad, sizeof(int64_t));
        EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, fields[i].name);
    }

    nc_conv2d_desc d = conv_base();
    d.in_channels = 8;
    d.groups = 3;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "groups (3) must divide in_channels (8)");
    d = conv_base();
    d.out_channels = 5;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "groups (2) must divide out_channels (5)");

    d = conv_base();
    d.layout = 3;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "layout (3)");
    d = conv_base();
    d.filter_layout = -1;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "filter_layout (-1)");
    d = conv_base();
    d.activation = 3;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "activation (3)");
    d = conv_base();
    d.flags = 0x6;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "unknown bits 0x6");

    d = conv_base();
    d.activation_min = NAN; /* only checked for NC_ACTIVATION_CLAMP */
    d.activation_max = -1.0f;
    EXPECT_CONV(d, NC_STATUS_OK, NULL);
    d.activation = NC_ACTIVATION_CLAMP;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "must not be NaN");
    d.activation_min = 0.0f;
    d.activation_max = NAN;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "must not be NaN");
    d.activation_max = -1.0f;
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "activation_min (0) must be <= activation_max (-1)");
    d.activation_max = 0.0f;
    EXPECT_CONV(d, NC_STATUS_OK, NULL);

    d = conv_base();
    d.kernel_height = 8; /* padded height is 7 */
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "kernel larger than padded input");
    d.kernel_height = 7;
    EXPECT_CONV(d, NC_STATUS_OK, NULL);
    d = conv_base();
    d.dilation_width = 4; /* spans 9 columns, padded width is 8 */
    EXPECT_CONV(d, NC_STATUS_INVALID_ARGUMENT, "kernel larger than padded input: kernel_width (3) with dilation_width (4)");

    d = conv_base();
    d.pad_top = INT64_MAX;
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "overflows int64_t");
    d = conv_base();
    d.dilation_height = INT64_MAX / 2 + 1; /* times (kernel_height - 1) = 2 just overflows */
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "overflows int64_t");
    d = conv_base();
    d.in_channels = BIG;
    d.in_height = BIG;
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "input_count");
    d.batch = 0; /* an empty batch does not excuse an impossible image */
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "input_count");
    d = conv_base();
    d.in_height = (int64_t)1 << 59; /* counts fit int64_t but their byte sizes do not */
    d.batch = 1;
    d.in_channels = 2;
    d.groups = 1;
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "input_count");
    d = conv_base();
    d.out_channels = BIG;
    d.kernel_height = 1;
    d.kernel_width = BIG;
    d.pad_left = BIG;
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "filter_count");
    d = conv_base();
    d.pad_left = BIG;
    d.pad_top = BIG;
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "output_count (batch * out_channels * out_height * out_width) is too large");
    d.layout = NC_LAYOUT_NCHW16C;
    EXPECT_CONV(d, NC_STATUS_OVERFLOW, "output_count (batch * ceil(out_channels / 16) * 16 * out_height * out_width)");
    d.layout = NC_LAYOUT_NCHW;
    /* Strides as large as the padding keep the output small; the padded image must still be countable. */
    d.stride_height = BIG;
    d.stride_width = BIG;
    EXPECT_CONV(d, NC_STATUS_OVERFLOW,
                "the zero-padded input (in_channels * (in_height + pads) * (in_width + pads)) is too large");
    d.pad_top = 0;
    d.stride_height = 1;
    EXPECT_CONV(d, NC_STATUS_OK, NULL);
}

static void check_conv_sizes_and_message_buffer(void)
{
    nc_conv2d_desc d = conv_base();
    d.stride_height = 2;
    d.pad_right = 0;
    nc_tensor_sizes s;
    CHECK_STATUS(nc_conv2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    CHECK(s.out_height == 3 && s.out_width == 5);
    CHECK(s.input_count == 2 * 4 * 5 * 6 && s.filter_count == 6 * 2 * 3 * 3 && s.bias_count == 6);
    CHECK(s.output_count == 2 * 6 * 3 * 5);

    char small[8];
    memset(small, 'x', sizeof small);
    d.groups = 3;
    CHECK_STATUS(nc_conv2d_query(&d, &s, small, sizeof small), NC_STATUS_INVALID_ARGUMENT);
    CHECK(strcmp(small, "groups ") == 0); /* truncated and terminated */
    char one = 'x';
    CHECK_STATUS(nc_conv2d_query(&d, &s, &one, 1), NC_STATUS_INVALID_ARGUMENT);
    CHECK(one == '\0');
    CHECK_STATUS(nc_conv2d_query(&d, &s, NULL, 0), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_conv2d_query(NULL, &s, NULL, 0), NC_STATUS_NULL_POINTER);
    d = conv_base();
    char message[64] = "";
    CHECK_STATUS(nc_conv2d_query(&d, NULL, message, sizeof message), NC_STATUS_NULL_POINTER);
    CHECK(strstr(message, "sizes") != NULL);
}

static void check_conv_buffers(void)
{
    nc_conv2d_desc d = conv_base();
    d.batch = 1;
    enum { IN = 4 * 5 * 6, W = 6 * 2 * 3 * 3, B = 6, OUT = 6 * 5 * 6 };
    static float x[IN], w[W], b[B], y[OUT];
    nc_conv2d_plan *plan = NULL;

    CHECK_STATUS(nc_conv2d_plan_create(NULL, w, W, b, B, &plan), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_conv2d_plan_create(&d, w, W, b, B, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_conv2d_plan_create(&d, NULL, W, b, B, &plan), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_conv2d_plan_create(&d, w, W - 1, b, B, &plan), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_conv2d_plan_create(&d, NULL, 0, b, B, &plan), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_conv2d_plan_create(&d, w, W, b, 1, &plan), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_conv2d_plan_create(&d, w, W, NULL, B, &plan), NC_STATUS_NULL_POINTER);
    CHECK(plan == NULL);

    CHECK_STATUS(nc_conv2d_plan_create(&d, w, W, b, B, &plan), NC_STATUS_OK);
    /* SIMD kernels may pad each group's output channels to whole vectors; never less than the data. */
    CHECK(nc_conv2d_plan_packed_size(plan) >= (W + B) * sizeof(float));
    CHECK_STATUS(nc_conv2d_plan_execute(NULL, x, IN, y, OUT, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_conv2d_plan_execute(plan, NULL, IN, y, OUT, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_conv2d_plan_execute(plan, x, IN, NULL, OUT, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_conv2d_plan_execute(plan, x, IN + 1, y, OUT, NULL), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_conv2d_plan_execute(plan, x, IN, y, OUT - 1, NULL), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_conv2d_plan_execute(plan, NULL, 0, y, OUT, NULL), NC_STATUS_BUFFER_SIZE);
    nc_executor bad = {.context = NULL, .parallel_for = NULL, .max_threads = 2};
    CHECK_STATUS(nc_conv2d_plan_execute(plan, x, IN, y, OUT, &bad), NC_STATUS_INVALID_ARGUMENT);
    bad.max_threads = 0;
    CHECK_STATUS(nc_conv2d_plan_execute(plan, x, IN, y, OUT, &bad), NC_STATUS_INVALID_ARGUMENT);
    static float shared[IN + OUT];
    CHECK_STATUS(nc_conv2d_plan_execute(plan, shared, IN, shared + IN - 1, OUT, NULL), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_conv2d_plan_execute(plan, shared, IN, shared + IN, OUT, NULL), NC_STATUS_OK);
    CHECK_STATUS(nc_conv2d_plan_execute(plan, x, IN, y, OUT, NULL), NC_STATUS_OK);
    nc_conv2d_plan_destroy(plan);
    nc_conv2d_plan_destroy(NULL);
    CHECK(nc_conv2d_plan_kernel_name(NULL) == NULL);
    CHECK(nc_conv2d_plan_packed_size(NULL) == 0);

    CHECK_STATUS(nc_conv2d(NULL, x, IN, w, W, b, B, y, OUT, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_conv2d(&d, x, IN, w, W, b, B, y, OUT + 1, NULL), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_conv2d(&d, x, IN, w, W, b, 2, y, OUT, NULL), NC_STATUS_BUFFER_SIZE);

    /* A non-NULL bias with count 0 means no bias. */
    for (int i = 0; i < IN; i++) {
        x[i] = 0.0f;
    }
    b[0] = 42.0f;
    CHECK_STATUS(nc_conv2d(&d, x, IN, w, W, b, 0, y, OUT, NULL), NC_STATUS_OK);
    CHECK(y[0] == 0.0f);
    CHECK_STATUS(nc_conv2d(&d, x, IN, w, W, b, B, y, OUT, NULL), NC_STATUS_OK);
    CHECK(y[0] == 42.0f);

    /* batch 0: (NULL, 0) input and output are valid and nothing runs. */
    d.batch = 0;
    CHECK_STATUS(nc_conv2d(&d, NULL, 0, w, W, NULL, 0, NULL, 0, NULL), NC_STATUS_OK);
    CHECK_STATUS(nc_conv2d(&d, x, 0, w, W, NULL, 0, y, 0, NULL), NC_STATUS_OK);
    CHECK_STATUS(nc_conv2d(&d, NULL, 1, w, W, NULL, 0, NULL, 0, NULL), NC_STATUS_NULL_POINTER);
}

static void check_pool_rules(void)
{
    EXPECT_POOL(pool_base(), NC_STATUS_OK, "");
    const field fields[] = {
        {"batch (-1) must be >= 0", offsetof(nc_pool2d_desc, batch), -1},
        {"channels (0) must be >= 1", offsetof(nc_pool2d_desc, channels), 0},
        {"in_height (0) must be >= 1", offsetof(nc_pool2d_desc, in_height), 0},
        {"in_width (0) must be >= 1", offsetof(nc_pool2d_desc, in_width), 0},
        {"kernel_height (0) must be >= 1", offsetof(nc_pool2d_desc, kernel_height), 0},
        {"kernel_width (0) must be >= 1", offsetof(nc_pool2d_desc, kernel_width), 0},
        {"stride_height (0) must be >= 1", offsetof(nc_pool2d_desc, stride_height), 0},
        {"stride_width (0) must be >= 1", offsetof(nc_pool2d_desc, stride_width), 0},
        {"pad_top (-1) must be >= 0", offsetof(nc_pool2d_desc, pad_top), -1},
        {"pad_bottom (-1) must be >= 0", offsetof(nc_pool2d_desc, pad_bottom), -1},
        {"pad_left (-1) must be >= 0", offsetof(nc_pool2d_desc, pad_left), -1},
        {"pad_right (-1) must be >= 0", offsetof(nc_pool2d_desc, pad_right), -1},
        {"dilation_height (0) must be >= 1", offsetof(nc_pool2d_desc, dilation_height), 0},
        {"dilation_width (0) must be >= 1", offsetof(nc_pool2d_desc, dilation_width), 0},
        {"pad_top (2) must be at most kernel_height / 2 (1)", offsetof(nc_pool2d_desc, pad_top), 2},
        {"pad_right (2) must be at most kernel_width / 2 (1)", offsetof(nc_pool2d_desc, pad_right), 2},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        nc_pool2d_desc d = pool_base();
        memcpy((char *)&d + fields[i].offset, &fields[i].bad, sizeof(int64_t));
        EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, fields[i].name);
    }

    nc_pool2d_desc d = pool_base();
    d.kind = 2;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "kind (2)");
    d = pool_base();
    d.layout = 5;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "layout (5)");
    d = pool_base();
    d.flags = 8;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "unknown bits 0x8");
    d = pool_base();
    d.activation = 3;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "activation (3)");
    d.flags = NC_POOL2D_GLOBAL;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "activation (3)");
    d = pool_base();
    d.activation = NC_ACTIVATION_CLAMP;
    d.activation_min = 1.0f;
    d.activation_max = 0.5f;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "activation_min (1) must be <= activation_max (0.5)");
    d.activation_min = NAN;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "must not be NaN");
    d.activation_min = 0.0f;
    EXPECT_POOL(d, NC_STATUS_OK, NULL);

    d = pool_base();
    d.dilation_width = 2;
    EXPECT_POOL(d, NC_STATUS_OK, NULL);
    d.kind = NC_POOL_AVERAGE;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "dilation is only supported for max pooling");

    d = pool_base();
    d.in_width = 1;
    d.dilation_width = 2; /* taps at -1, 1, 3 of a 1-wide input: no output column */
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "output width would be empty");

    /* Under NC_POOL2D_GLOBAL the window fields are ignored, however wrong. */
    d = pool_base();
    d.flags = NC_POOL2D_GLOBAL | NC_POOL2D_CEIL_MODE;
    d.kernel_height = 0;
    d.stride_width = -4;
    d.pad_left = 9;
    d.dilation_height = 0;
    nc_tensor_sizes s;
    CHECK_STATUS(nc_pool2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    CHECK(s.out_height == 1 && s.out_width == 1 && s.input_count == 75 && s.output_count == 3);
    CHECK(s.filter_count == 0 && s.bias_count == 0);
    d.in_height = 0;
    EXPECT_POOL(d, NC_STATUS_INVALID_ARGUMENT, "in_height (0)");

    d = pool_base();
    d.kernel_height = INT64_MAX;
    d.pad_top = INT64_MAX / 2;
    d.pad_bottom = INT64_MAX / 2;
    EXPECT_POOL(d, NC_STATUS_OVERFLOW, "overflows int64_t");
    d = pool_base();
    d.channels = BIG;
    d.in_width = BIG;
    EXPECT_POOL(d, NC_STATUS_OVERFLOW, "input_count");
    d = pool_base();
    d.flags = NC_POOL2D_CEIL_MODE; /* pads of 2^40 reached by a stride of 2^42: one output row */
    d.kernel_height = 2 * BIG;
    d.pad_top = BIG;
    d.pad_bottom = BIG;
    d.stride_height = 4 * BIG;
    d.layout = NC_LAYOUT_NCHW16C;
    d.in_width = BIG / 8;
    EXPECT_POOL(d, NC_STATUS_OVERFLOW, "the zero-padded input (ceil(channels / 16) * 16 * (in_height + pads)");
    d.in_width = 5;
    EXPECT_POOL(d, NC_STATUS_OK, NULL);

    CHECK_STATUS(nc_pool2d_query(NULL, &s, NULL, 0), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_pool2d_query(&d, NULL, NULL, 0), NC_STATUS_NULL_POINTER);
}

static void check_pool_buffers(void)
{
    nc_pool2d_desc d = pool_base(); /* 3 x 5 x 5 -> 3 x 3 x 3 */
    float x[75] = {0}, y[27];
    nc_pool2d_plan *plan = (nc_pool2d_plan *)&d;
    CHECK_STATUS(nc_pool2d_plan_create(NULL, &plan), NC_STATUS_NULL_POINTER);
    CHECK(plan == NULL);
    CHECK_STATUS(nc_pool2d_plan_create(&d, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_pool2d_plan_create(&d, &plan), NC_STATUS_OK);
    CHECK(strncmp(nc_pool2d_plan_kernel_name(plan), "pool_nchw__", 11) == 0); /* the ISA suffix varies */
    CHECK_STATUS(nc_pool2d_plan_execute(NULL, x, 75, y, 27, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_pool2d_plan_execute(plan, NULL, 75, y, 27, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_pool2d_plan_execute(plan, x, 74, y, 27, NULL), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_pool2d_plan_execute(plan, x, 75, y, 28, NULL), NC_STATUS_BUFFER_SIZE);
    nc_executor bad = {.max_threads = 1};
    CHECK_STATUS(nc_pool2d_plan_execute(plan, x, 75, y, 27, &bad), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_pool2d_plan_execute(plan, x, 75, x + 10, 27, NULL), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_pool2d_plan_execute(plan, x, 75, y, 27, NULL), NC_STATUS_OK);
    nc_pool2d_plan_destroy(plan);
    nc_pool2d_plan_destroy(NULL);
    CHECK(nc_pool2d_plan_kernel_name(NULL) == NULL);

    CHECK_STATUS(nc_pool2d(NULL, x, 75, y, 27, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_pool2d(&d, x, 75, NULL, 27, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_pool2d(&d, x, 75, y, 26, NULL), NC_STATUS_BUFFER_SIZE);
    d.batch = 0;
    CHECK_STATUS(nc_pool2d(&d, NULL, 0, NULL, 0, NULL), NC_STATUS_OK);
}

static void expect_padding(int32_t mode, int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                           int64_t begin, int64_t end, int line)
{
    int64_t b = -1, e = -1;
    nc_status status = nc_compute_padding(mode, in, kernel, stride, dilation, &b, &e);
    if (status != NC_STATUS_OK || b != begin || e != end) {
        fprintf(stderr, "line %d: padding %d/%d (status %d), expected %d/%d\n", line, (int)b, (int)e, status,
                (int)begin, (int)end);
        test_failures++;
        return;
    }
    if (mode == NC_AUTO_PAD_VALID) {
        return;
    }
    /* SAME means out = ceil(in / stride); check it through the convolution's own shape rule. */
    nc_conv2d_desc d = {.batch = 1, .in_channels = 1, .in_height = 1, .in_width = in, .out_channels = 1,
                        .kernel_height = 1, .kernel_width = kernel, .stride_height = 1, .stride_width = stride,
                        .pad_left = b, .pad_right = e, .dilation_height = 1, .dilation_width = dilation,
                        .groups = 1};
    nc_tensor_sizes s;
    CHECK_STATUS(nc_conv2d_query(&d, &s, NULL, 0), NC_STATUS_OK);
    CHECK(s.out_width == (in + stride - 1) / stride);
}

static void check_padding(void)
{
    expect_padding(NC_AUTO_PAD_VALID, 5, 3, 1, 1, 0, 0, __LINE__);
    expect_padding(NC_AUTO_PAD_SAME_UPPER, 5, 3, 1, 1, 1, 1, __LINE__);
    expect_padding(NC_AUTO_PAD_SAME_UPPER, 5, 4, 1, 1, 1, 2, __LINE__); /* odd total: extra at the end */
    expect_padding(NC_AUTO_PAD_SAME_LOWER, 5, 4, 1, 1, 2, 1, __LINE__); /* odd total: extra at the start */
    expect_padding(NC_AUTO_PAD_SAME_UPPER, 5, 3, 2, 1, 1, 1, __LINE__); /* out 3: (3-1)*2 + 3 - 5 = 2 */
    expect_padding(NC_AUTO_PAD_SAME_UPPER, 6, 3, 2, 1, 0, 1, __LINE__); /* out 3: (3-1)*2 + 3 - 6 = 1 */
    expect_padding(NC_AUTO_PAD_SAME_LOWER, 6, 3, 2, 1, 1, 0, __LINE__);
    expect_padding(NC_AUTO_PAD_SAME_UPPER, 7, 3, 1, 2, 2, 2, __LINE__); /* span 5: 6 + 5 - 7 = 4 */
    expect_padding(NC_AUTO_PAD_SAME_UPPER, 7, 2, 1, 3, 1, 2, __LINE__); /* span 4: 6 + 4 - 7 = 3 */
    expect_padding(NC_AUTO_PAD_SAME_LOWER, 7, 2, 1, 3, 2, 1, __LINE__);
    expect_padding(NC_AUTO_PAD_SAME_UPPER, 10, 1, 3, 1, 0, 0, __LINE__); /* stride > kernel: none needed */
    expect_padding(NC_AUTO_PAD_SAME_LOWER, 1, 5, 4, 2, 4, 4, __LINE__);  /* span 9 over 1 input */

    int64_t b, e;
    CHECK_STATUS(nc_compute_padding(3, 5, 3, 1, 1, &b, &e), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_compute_padding(-1, 5, 3, 1, 1, &b, &e), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, 0, 3, 1, 1, &b, &e), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, 5, 0, 1, 1, &b, &e), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, 5, 3, 0, 1, &b, &e), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, 5, 3, 1, 0, &b, &e), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, 5, 3, 1, 1, NULL, &e), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, 5, 3, 1, 1, &b, NULL), NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, 5, INT64_MAX, 1, 2, &b, &e), NC_STATUS_OVERFLOW);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, INT64_MAX, 2, 1, INT64_MAX, &b, &e),
                 NC_STATUS_OVERFLOW);
    CHECK_STATUS(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, INT64_MAX, 1, INT64_MAX, 1, &b, &e), NC_STATUS_OK);
    CHECK(b == 0 && e == 0);
}

int main(void)
{
    check_library_info();
    check_conv_rules();
    check_conv_sizes_and_message_buffer();
    check_conv_buffers();
    check_pool_rules();
    check_pool_buffers();
    check_padding();
    return test_finish("test_validation");
}
