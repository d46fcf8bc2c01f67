/* Public entry points: pointer, count and executor checks, then a hand-off to the plans. */
#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "desc_check.h"
#include "plans.h"
#include "reorder.h"
#include "shape.h"

static nc_status check_buffer(const float *buffer, size_t count, int64_t expected)
{
    if (buffer == NULL && count != 0) {
        return NC_STATUS_NULL_POINTER;
    }
    return count == (size_t)expected ? NC_STATUS_OK : NC_STATUS_BUFFER_SIZE;
}

static nc_status check_executor(const nc_executor *executor)
{
    if (executor != NULL && (executor->max_threads < 1 || executor->parallel_for == NULL)) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    return NC_STATUS_OK;
}

/* Kernels may write the output before they have read all of the input. */
static bool overlaps(const float *input, size_t input_count, const float *output, size_t output_count)
{
    if (input_count == 0 || output_count == 0) {
        return false;
    }
    uintptr_t in_begin = (uintptr_t)input, out_begin = (uintptr_t)output;
    return in_begin < out_begin + output_count * sizeof(float) && out_begin < in_begin + input_count * sizeof(float);
}

static nc_status check_io(const nc_tensor_sizes *sizes, const float *input, size_t input_count, float *output,
                          size_t output_count, const nc_executor *executor)
{
    nc_status status = check_buffer(input, input_count, sizes->input_count);
    if (status == NC_STATUS_OK) {
        status = check_buffer(output, output_count, sizes->output_count);
    }
    if (status == NC_STATUS_OK) {
        status = check_executor(executor);
    }
    if (status == NC_STATUS_OK && overlaps(input, input_count, output, output_count)) {
        status = NC_STATUS_INVALID_ARGUMENT;
    }
    return status;
}

/* ---- Library information ---- */

NC_API int32_t nc_abi_version(void)
{
    return NC_ABI_VERSION;
}

NC_API const char *nc_version_string(void)
{
    return NC_VERSION_STRING;
}

NC_API const char *nc_status_message(int32_t status)
{
    switch (status) {
    case NC_STATUS_OK:
        return "The operation succeeded.";
    case NC_STATUS_NULL_POINTER:
        return "A required pointer was NULL.";
    case NC_STATUS_INVALID_ARGUMENT:
        return "An argument or descriptor field is invalid.";
    case NC_STATUS_BUFFER_SIZE:
        return "A buffer's element count does not match the shape.";
    case NC_STATUS_OVERFLOW:
        return "A size computed from the shape is too large.";
    case NC_STATUS_OUT_OF_MEMORY:
        return "Out of memory.";
    case NC_STATUS_UNSUPPORTED:
        return "The request is valid but not supported by this build.";
    default:
        return "Unknown status code.";
    }
}

NC_API size_t nc_sizeof_conv2d_desc(void)
{
    return sizeof(nc_conv2d_desc);
}

NC_API size_t nc_sizeof_pool2d_desc(void)
{
    return sizeof(nc_pool2d_desc);
}

NC_API size_t nc_sizeof_tensor_sizes(void)
{
    return sizeof(nc_tensor_sizes);
}

NC_API size_t nc_sizeof_executor(void)
{
    return sizeof(nc_executor);
}

/* ---- CPU features and the ISA cap ---- */

NC_API uint32_t nc_cpu_features(void)
{
    return nci_cpu_features();
}

NC_API int32_t nc_active_isa(void)
{
    return nci_active_isa();
}

NC_API nc_status nc_set_max_isa(int32_t isa)
{
    return nci_set_max_isa(isa);
}

NC_API const char *nc_isa_name(int32_t isa)
{
    return nci_isa_name(isa);
}

/* ---- Shapes and padding ---- */

NC_API nc_status nc_compute_padding(int32_t auto_pad, int64_t in_size, int64_t kernel_size, int64_t stride,
                                    int64_t dilation, int64_t *pad_begin, int64_t *pad_end)
{
    if (pad_begin == NULL || pad_end == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    if (in_size < 1 || kernel_size < 1 || stride < 1 || dilation < 1) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    int64_t total = 0;
    if (auto_pad == NC_AUTO_PAD_SAME_UPPER || auto_pad == NC_AUTO_PAD_SAME_LOWER) {
        nc_status status = nci_same_padding_total(in_size, kernel_size, stride, dilation, &total);
        if (status != NC_STATUS_OK) {
            return status;
        }
    } else if (auto_pad != NC_AUTO_PAD_VALID) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    int64_t smaller = total / 2;
    *pad_begin = auto_pad == NC_AUTO_PAD_SAME_LOWER ? total - smaller : smaller;
    *pad_end = total - *pad_begin;
    return NC_STATUS_OK;
}

NC_API nc_status nc_conv2d_query(const nc_conv2d_desc *desc, nc_tensor_sizes *sizes, char *message,
                                 size_t message_capacity)
{
    if (desc == NULL || sizes == NULL) {
        return nci_fail(message, message_capacity, NC_STATUS_NULL_POINTER, "%s is NULL",
                        desc == NULL ? "desc" : "sizes");
    }
    return nci_conv2d_check(desc, sizes, NULL, message, message_capacity);
}

NC_API nc_status nc_pool2d_query(const nc_pool2d_desc *desc, nc_tensor_sizes *sizes, char *message,
                                 size_t message_capacity)
{
    if (desc == NULL || sizes == NULL) {
        return nci_fail(message, message_capacity, NC_STATUS_NULL_POINTER, "%s is NULL",
                        desc == NULL ? "desc" : "sizes");
    }
    return nci_pool2d_check(desc, sizes, NULL, message, message_capacity);
}

/* ---- Convolution ---- */

/* Validates everything plan creation needs; on success bias_count is either 0 or out_channels. */
static nc_status conv_prepare(const nc_conv2d_desc *desc, const float *filter, size_t filter_count,
                              const float *bias, size_t bias_count, nci_conv_params *params,
                              nc_tensor_sizes *sizes)
{
    if (desc == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    nc_status status = nci_conv2d_check(desc, sizes, params, NULL, 0);
    if (status == NC_STATUS_OK) {
        status = check_buffer(filter, filter_count, sizes->filter_count);
    }
    if (status == NC_STATUS_OK && bias_count != 0) {
        status = check_buffer(bias, bias_count, sizes->bias_count);
    }
    return status;
}

NC_API nc_status nc_conv2d_plan_create(const nc_conv2d_desc *desc, const float *filter, size_t filter_count,
                                       const float *bias, size_t bias_count, nc_conv2d_plan **plan)
{
    if (plan == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    *plan = NULL;
    nci_conv_params params;
    nc_tensor_sizes sizes;
    nc_status status = conv_prepare(desc, filter, filter_count, bias, bias_count, &params, &sizes);
    if (status != NC_STATUS_OK) {
        return status;
    }
    return nci_conv2d_plan_build(&params, &sizes, desc->filter_layout, filter, bias_count != 0 ? bias : NULL,
                                 plan);
}

NC_API nc_status nc_conv2d_plan_execute(const nc_conv2d_plan *plan, const float *input, size_t input_count,
                                        float *output, size_t output_count, const nc_executor *executor)
{
    if (plan == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    nc_status status = check_io(&plan->sizes, input, input_count, output, output_count, executor);
    if (status == NC_STATUS_OK) {
        nci_conv2d_plan_run(plan, input, output, executor);
    }
    return status;
}

NC_API const char *nc_conv2d_plan_kernel_name(const nc_conv2d_plan *plan)
{
    return plan != NULL ? plan->kernel->name : NULL;
}

NC_API size_t nc_conv2d_plan_packed_size(const nc_conv2d_plan *plan)
{
    return plan != NULL ? plan->weights_size : 0;
}

NC_API void nc_conv2d_plan_destroy(nc_conv2d_plan *plan)
{
    nci_conv2d_plan_free(plan);
}

NC_API nc_status nc_conv2d(const nc_conv2d_desc *desc, const float *input, size_t input_count,
                           const float *filter, size_t filter_count, const float *bias, size_t bias_count,
                           float *output, size_t output_count, const nc_executor *executor)
{
    /* Every argument is checked before the weights are packed, so a bad call costs nothing. */
    nci_conv_params params;
    nc_tensor_sizes sizes;
    nc_status status = conv_prepare(desc, filter, filter_count, bias, bias_count, &params, &sizes);
    if (status == NC_STATUS_OK) {
        status = check_io(&sizes, input, input_count, output, output_count, executor);
    }
    if (status != NC_STATUS_OK) {
        return status;
    }
    nc_conv2d_plan *plan;
    status = nci_conv2d_plan_build(&params, &sizes, desc->filter_layout, filter, bias_count != 0 ? bias : NULL,
                                   &plan);
    if (status == NC_STATUS_OK) {
        nci_conv2d_plan_run(plan, input, output, executor);
        nci_conv2d_plan_free(plan);
    }
    return status;
}

/* ---- Pooling ---- */

NC_API nc_status nc_pool2d_plan_create(const nc_pool2d_desc *desc, nc_pool2d_plan **plan)
{
    if (plan == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    *plan = NULL;
    if (desc == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    nci_pool_params params;
    nc_tensor_sizes sizes;
    nc_status status = nci_pool2d_check(desc, &sizes, &params, NULL, 0);
    if (status != NC_STATUS_OK) {
        return status;
    }
    return nci_pool2d_plan_build(&params, &sizes, plan);
}

NC_API nc_status nc_pool2d_plan_execute(const nc_pool2d_plan *plan, const float *input, size_t input_count,
                                        float *output, size_t output_count, const nc_executor *executor)
{
    if (plan == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    nc_status status = check_io(&plan->sizes, input, input_count, output, output_count, executor);
    if (status == NC_STATUS_OK) {
        nci_pool2d_plan_run(plan, input, output, executor);
    }
    return status;
}

NC_API const char *nc_pool2d_plan_kernel_name(const nc_pool2d_plan *plan)
{
    return plan != NULL ? plan->kernel->name : NULL;
}

NC_API void nc_pool2d_plan_destroy(nc_pool2d_plan *plan)
{
    nci_pool2d_plan_free(plan);
}

NC_API nc_status nc_pool2d(const nc_pool2d_desc *desc, const float *input, size_t input_count, float *output,
                           size_t output_count, const nc_executor *executor)
{
    if (desc == NULL) {
        return NC_STATUS_NULL_POINTER;
    }
    nci_pool_params params;
    nc_tensor_sizes sizes;
    nc_status status = nci_pool2d_check(desc, &sizes, &params, NULL, 0);
    if (status == NC_STATUS_OK) {
        status = check_io(&sizes, input, input_count, output, output_count, executor);
    }
    if (status != NC_STATUS_OK) {
        return status;
    }
    /* The plan is a small struct; building it keeps one code path for one-shot and planned calls. */
    nc_pool2d_plan *plan;
    status = nci_pool2d_plan_build(&params, &sizes, &plan);
    if (status == NC_STATUS_OK) {
        nci_pool2d_plan_run(plan, input, output, executor);
        nci_pool2d_plan_free(plan);
    }
    return status;
}

/* ---- Layout conversion ---- */

/* Buffer checks of a conversion whose source and destination hold count elements each. */
static nc_status check_conversion(const float *src, size_t src_count, float *dst, size_t dst_count,
                                  const int64_t *dims, size_t dim_count)
{
    int64_t count;
    nc_status status = nci_buffer_count("count", "product of the sizes", dims, dim_count, &count, NULL, 0);
    if (status == NC_STATUS_OK) {
        status = check_buffer(src, src_count, count);
    }
    if (status == NC_STATUS_OK) {
        status = check_buffer(dst, dst_count, count);
    }
    if (status == NC_STATUS_OK && overlaps(src, src_count, dst, dst_count)) {
        status = NC_STATUS_INVALID_ARGUMENT;
    }
    return status;
}

NC_API nc_status nc_reorder(int32_t src_layout, int32_t dst_layout, int64_t batch, int64_t channels, int64_t height,
                            int64_t width, const float *src, size_t src_count, float *dst, size_t dst_count,
                            const nc_executor *executor)
{
    if (nci_check_layout(src_layout, NULL, 0) != NC_STATUS_OK || nci_check_layout(dst_layout, NULL, 0) != NC_STATUS_OK ||
        batch < 0 || channels < 1 || height < 1 || width < 1) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    int64_t src_elements, dst_elements;
    nc_status status = nci_activation_count("src_count", src_layout, "channels", "height", "width", batch, channels,
                                            height, width, &src_elements, NULL, 0);
    if (status == NC_STATUS_OK) {
        status = nci_activation_count("dst_count", dst_layout, "channels", "height", "width", batch, channels, height,
                                      width, &dst_elements, NULL, 0);
    }
    if (status == NC_STATUS_OK) {
        status = check_buffer(src, src_count, src_elements);
    }
    if (status == NC_STATUS_OK) {
        status = check_buffer(dst, dst_count, dst_elements);
    }
    if (status == NC_STATUS_OK && overlaps(src, src_count, dst, dst_count)) {
        status = NC_STATUS_INVALID_ARGUMENT;
    }
    if (status == NC_STATUS_OK) {
        status = check_executor(executor);
    }
    if (status == NC_STATUS_OK) {
        nci_reorder_run(src_layout, dst_layout, batch, channels, height, width, src, dst, executor);
    }
    return status;
}

NC_API nc_status nc_convert_filter(int32_t src_layout, int32_t dst_layout, int64_t out_channels,
                                   int64_t in_channels_per_group, int64_t kernel_height, int64_t kernel_width,
                                   const float *src, size_t src_count, float *dst, size_t dst_count)
{
    const bool known = (src_layout == NC_FILTER_OIHW || src_layout == NC_FILTER_HWIO) &&
                       (dst_layout == NC_FILTER_OIHW || dst_layout == NC_FILTER_HWIO);
    if (!known || out_channels < 1 || in_channels_per_group < 1 || kernel_height < 1 || kernel_width < 1) {
        return NC_STATUS_INVALID_ARGUMENT;
    }
    const int64_t dims[] = {out_channels, in_channels_per_group, kernel_height, kernel_width};
    nc_status status = check_conversion(src, src_count, dst, dst_count, dims, 4);
    if (status == NC_STATUS_OK) {
        nci_convert_filter_run(src_layout, dst_layout, out_channels, in_channels_per_group, kernel_height,
                               kernel_width, src, dst);
    }
    return status;
}
