/* A complete NativeConv program: docs/c-api.md walks through it, and the install_consumer test builds it
 * against an installed copy of the library and runs it. The exit code is 0 only if every result is right. */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nativeconv.h>

static int failures;

static void check(int passed, const char *what)
{
    if (!passed) {
        fprintf(stderr, "FAILED: %s\n", what);
        failures++;
    }
}

/* Returns whether the call succeeded; if not, prints the library's sentence for the status. */
static int succeeded(nc_status status, const char *call)
{
    if (status != NC_STATUS_OK) {
        fprintf(stderr, "%s: %s (status %d)\n", call, nc_status_message((int32_t)status), (int)status);
        failures++;
    }
    return status == NC_STATUS_OK;
}

/* ---- An executor on POSIX threads ------------------------------------------------------------------- */

/* Threads a parallel_for starts besides the calling thread, so the executor's max_threads is HELPERS + 1. */
#define HELPERS 3

typedef struct task_queue {
    nc_task_fn task;
    void *task_context;
    size_t task_count;
    atomic_size_t next;
} task_queue;

static void *take_tasks(void *queue_pointer)
{
    task_queue *queue = queue_pointer;
    size_t index;
    while ((index = atomic_fetch_add(&queue->next, 1)) < queue->task_count) {
        queue->task(queue->task_context, index);
    }
    return NULL;
}

/* Each index is taken exactly once, by a helper or by the caller, and the call returns only after every
 * helper has been joined, as nc_executor requires. The context counts the calls. A long-running program
 * would keep its threads in a pool instead of starting them on every call. */
static void parallel_for(void *context, nc_task_fn task, void *task_context, size_t task_count)
{
    atomic_fetch_add((atomic_size_t *)context, 1);
    task_queue queue = {.task = task, .task_context = task_context, .task_count = task_count};
    atomic_init(&queue.next, 0);
    pthread_t helpers[HELPERS];
    size_t started = 0;
    while (started < HELPERS && started + 1 < task_count &&
           pthread_create(&helpers[started], NULL, take_tasks, &queue) == 0) {
        started++;
    }
    take_tasks(&queue); /* the caller works too, so a thread that fails to start costs only speed */
    for (size_t i = 0; i < started; i++) {
        pthread_join(helpers[i], NULL);
    }
}

/* ---- 1. Query, plan, execute, destroy ----------------------------------------------------------------- */

/* A 3x3 image holding 1..9, one 2x2 filter of ones and a bias of 0.5: each output is a window sum + 0.5. */
static void small_convolution(void)
{
    const nc_conv2d_desc desc = {
        .batch = 1, .in_channels = 1, .in_height = 3, .in_width = 3,
        .out_channels = 1, .kernel_height = 2, .kernel_width = 2,
        .stride_height = 1, .stride_width = 1, .dilation_height = 1, .dilation_width = 1,
        .groups = 1, .layout = NC_LAYOUT_NCHW, .filter_layout = NC_FILTER_OIHW,
        .activation = NC_ACTIVATION_NONE,
    };
    const float image[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const float filter[4] = {1, 1, 1, 1};
    const float bias[1] = {0.5f};
    float output[4];

    nc_tensor_sizes sizes;
    char message[256];
    nc_status status = nc_conv2d_query(&desc, &sizes, message, sizeof message);
    if (status != NC_STATUS_OK) {
        fprintf(stderr, "nc_conv2d_query: %s\n", message);
        failures++;
        return;
    }
    printf("output %" PRId64 "x%" PRId64 "; buffers of %" PRId64 " input, %" PRId64 " filter, %" PRId64
           " output values\n", sizes.out_height, sizes.out_width, sizes.input_count, sizes.filter_count,
           sizes.output_count);
    check(sizes.out_height == 2 && sizes.out_width == 2 && sizes.output_count == 4, "query sizes");

    nc_conv2d_plan *plan = NULL;
    if (!succeeded(nc_conv2d_plan_create(&desc, filter, 4, bias, 1, &plan), "nc_conv2d_plan_create")) {
        return;
    }
    printf("plan runs %s\n", nc_conv2d_plan_kernel_name(plan));
    if (succeeded(nc_conv2d_plan_execute(plan, image, 9, output, 4, NULL), "nc_conv2d_plan_execute")) {
        const float expected[4] = {12.5f, 16.5f, 24.5f, 28.5f};
        check(memcmp(output, expected, sizeof expected) == 0, "window sums");
    }
    /* A wrong element count is refused before anything is read or written. */
    check(nc_conv2d_plan_execute(plan, image, 8, output, 4, NULL) == NC_STATUS_BUFFER_SIZE, "buffer size check");
    nc_conv2d_plan_destroy(plan);
}

/* ---- 2. Threads, 'same' padding, NHWC, and the ISA cap -------------------------------------------------- */

static void fill(float *values, size_t count, uint32_t seed)
{
    for (size_t i = 0; i < count; i++) {
        seed = seed * 1664525u + 1013904223u;
        values[i] = (float)(seed >> 8) / (float)(1u << 23) - 1.0f; /* in [-1, 1) */
    }
}

/* Runs one plan without an executor (calling thread only) and with one, then a plan made under a scalar ISA
 * cap. Any number of threads may share a plan at once. */
static void run_three_ways(const nc_conv2d_desc *desc, const nc_tensor_sizes *sizes, const float *input,
                           const float *filter, const float *bias, float *serial, float *threaded, float *scalar)
{
    const size_t in_count = (size_t)sizes->input_count, out_count = (size_t)sizes->output_count;
    nc_conv2d_plan *plan = NULL;
    if (!succeeded(nc_conv2d_plan_create(desc, filter, (size_t)sizes->filter_count, bias,
                                         (size_t)sizes->bias_count, &plan),
                   "nc_conv2d_plan_create")) {
        return;
    }
    atomic_size_t calls;
    atomic_init(&calls, 0);
    const nc_executor executor = {.context = &calls, .parallel_for = parallel_for, .max_threads = HELPERS + 1};
    if (succeeded(nc_conv2d_plan_execute(plan, input, in_count, serial, out_count, NULL), "serial run") &&
        succeeded(nc_conv2d_plan_execute(plan, input, in_count, threaded, out_count, &executor), "threaded run")) {
        check(atomic_load(&calls) > 0, "the executor was used");
        check(memcmp(serial, threaded, out_count * sizeof(float)) == 0, "bitwise equal for any thread count");
    }

    /* Plans created after nc_set_max_isa use at most that instruction set; existing plans keep theirs. */
    const int32_t best = nc_active_isa();
    nc_conv2d_plan *scalar_plan = NULL;
    if (succeeded(nc_set_max_isa(NC_ISA_SCALAR), "nc_set_max_isa") &&
        succeeded(nc_conv2d_plan_create(desc, filter, (size_t)sizes->filter_count, bias,
                                        (size_t)sizes->bias_count, &scalar_plan),
                  "nc_conv2d_plan_create") &&
        succeeded(nc_conv2d_plan_execute(scalar_plan, input, in_count, scalar, out_count, &executor),
                  "scalar run")) {
        float largest = 0;
        for (size_t i = 0; i < out_count; i++) {
            float difference = scalar[i] > serial[i] ? scalar[i] - serial[i] : serial[i] - scalar[i];
            largest = difference > largest ? difference : largest;
        }
        printf("%s and %s differ by at most %g\n", nc_conv2d_plan_kernel_name(plan),
               nc_conv2d_plan_kernel_name(scalar_plan), (double)largest);
        check(largest < 1e-4f, "ISAs agree up to rounding");
    }
    succeeded(nc_set_max_isa(best), "nc_set_max_isa");
    nc_conv2d_plan_destroy(scalar_plan); /* NULL is ignored */
    nc_conv2d_plan_destroy(plan);
}

static void threaded_convolution(void)
{
    nc_conv2d_desc desc = {
        .batch = 2, .in_channels = 8, .in_height = 40, .in_width = 40,
        .out_channels = 16, .kernel_height = 3, .kernel_width = 3,
        .stride_height = 2, .stride_width = 2, .dilation_height = 1, .dilation_width = 1,
        .groups = 1, .layout = NC_LAYOUT_NHWC, .filter_layout = NC_FILTER_HWIO,
        .activation = NC_ACTIVATION_RELU,
    };
    /* 'same' with stride 2: ceil(40 / 2) = 20 outputs per axis; the one pixel of padding goes at the end. */
    if (!succeeded(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, desc.in_height, desc.kernel_height,
                                      desc.stride_height, desc.dilation_height, &desc.pad_top, &desc.pad_bottom),
                   "nc_compute_padding") ||
        !succeeded(nc_compute_padding(NC_AUTO_PAD_SAME_UPPER, desc.in_width, desc.kernel_width, desc.stride_width,
                                      desc.dilation_width, &desc.pad_left, &desc.pad_right),
                   "nc_compute_padding")) {
        return;
    }
    check(desc.pad_top == 0 && desc.pad_bottom == 1, "'same' padding");

    nc_tensor_sizes sizes;
    if (!succeeded(nc_conv2d_query(&desc, &sizes, NULL, 0), "nc_conv2d_query")) {
        return;
    }
    check(sizes.out_height == 20 && sizes.out_width == 20, "'same' output size");
    /* One allocation for every buffer: input, filter, bias and three outputs. */
    const size_t total = (size_t)(sizes.input_count + sizes.filter_count + sizes.bias_count + 3 * sizes.output_count);
    float *memory = malloc(total * sizeof(float));
    if (memory == NULL) {
        check(0, "allocation");
        return;
    }
    float *input = memory, *filter = input + sizes.input_count, *bias = filter + sizes.filter_count;
    float *serial = bias + sizes.bias_count, *threaded = serial + sizes.output_count;
    float *scalar = threaded + sizes.output_count;
    fill(input, (size_t)sizes.input_count, 1);
    fill(filter, (size_t)sizes.filter_count, 2);
    fill(bias, (size_t)sizes.bias_count, 3);
    run_three_ways(&desc, &sizes, input, filter, bias, serial, threaded, scalar);
    free(memory);
}

/* ---- 3. Pooling in one call, and a descriptor that breaks a rule ---------------------------------------- */

static void pooling(void)
{
    /* 2x2 max pooling with stride 2 of a 4x4 plane. */
    const nc_pool2d_desc desc = {
        .batch = 1, .channels = 1, .in_height = 4, .in_width = 4,
        .kernel_height = 2, .kernel_width = 2, .stride_height = 2, .stride_width = 2,
        .dilation_height = 1, .dilation_width = 1, .kind = NC_POOL_MAX, .layout = NC_LAYOUT_NCHW,
    };
    const float plane[16] = {1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 7, 6, -1, 9, 2, 3};
    float pooled[4];
    if (succeeded(nc_pool2d(&desc, plane, 16, pooled, 4, NULL), "nc_pool2d")) {
        const float expected[4] = {5, 8, 9, 7};
        check(memcmp(pooled, expected, sizeof expected) == 0, "max pooling");
    }

    /* Padding may be at most half the kernel: the query names the field and the rule. */
    nc_pool2d_desc bad = desc;
    bad.pad_left = 2;
    nc_tensor_sizes sizes;
    char message[256];
    nc_status status = nc_pool2d_query(&bad, &sizes, message, sizeof message);
    printf("rejected: %s (%s)\n", message, nc_status_message((int32_t)status));
    check(status == NC_STATUS_INVALID_ARGUMENT && message[0] != '\0', "invalid descriptor");
}

int main(void)
{
    /* The header this program was compiled with must describe the library it loaded. */
    if (nc_abi_version() != NC_ABI_VERSION) {
        fprintf(stderr, "header ABI %d, library ABI %d\n", NC_ABI_VERSION, (int)nc_abi_version());
        return 1;
    }
    printf("NativeConv %s, active ISA %s\n", nc_version_string(), nc_isa_name(nc_active_isa()));
    small_convolution();
    threaded_convolution();
    pooling();
    if (failures != 0) {
        printf("%d checks failed\n", failures);
        return 1;
    }
    printf("all results as expected\n");
    return 0;
}
