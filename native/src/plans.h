/* Plans: a validated job bound to its kernel and packed weights, ready to run many times. */
#ifndef NATIVECONV_PLANS_H
#define NATIVECONV_PLANS_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "nativeconv.h"

struct nc_conv2d_plan {
    nci_conv_params params;
    nc_tensor_sizes sizes;
    const nci_conv_kernel *kernel;
    void *storage;       /* the allocation weights sits in, aligned up from here */
    float *weights;      /* packed filter, then the bias if there is one; 64-byte aligned */
    const float *bias;   /* inside weights, or NULL */
    size_t weights_size; /* bytes */
    int64_t work;        /* multiply-adds of one execution, saturated */
    int64_t channel_units_per_group; /* kernel channel blocks per group: the task grid's channel unit */
    uint8_t *padded_nonfinite_taps;  /* see padded_nonfinite.h; NULL for nearly every plan */
};

struct nc_pool2d_plan {
    nci_pool_params params;
    nc_tensor_sizes sizes;
    const nci_pool_kernel *kernel;
    int64_t work; /* taps visited by one execution, saturated */
};

/* Arguments have been validated; bias is NULL for none. */
nc_status nci_conv2d_plan_build(const nci_conv_params *params, const nc_tensor_sizes *sizes,
                                int32_t filter_layout, const float *filter, const float *bias,
                                nc_conv2d_plan **plan);
void nci_conv2d_plan_run(const nc_conv2d_plan *plan, const float *input, float *output,
                         const nc_executor *executor);
void nci_conv2d_plan_free(nc_conv2d_plan *plan);

nc_status nci_pool2d_plan_build(const nci_pool_params *params, const nc_tensor_sizes *sizes,
                                nc_pool2d_plan **plan);
void nci_pool2d_plan_run(const nc_pool2d_plan *plan, const float *input, float *output,
                         const nc_executor *executor);
void nci_pool2d_plan_free(nc_pool2d_plan *plan);

#endif
