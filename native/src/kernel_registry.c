#include <stddef.h>

#include "cpu.h"
#include "kernel_registry.h"

/* Fastest first; the scalar kernels at the end handle every valid request between them. */
extern const nci_conv_kernel nci_conv_direct_nchw__scalar;
extern const nci_conv_kernel nci_conv_direct_nhwc__scalar;

static const nci_conv_kernel *const conv_kernels[] = {
    &nci_conv_direct_nchw__scalar,
    &nci_conv_direct_nhwc__scalar,
};

extern const nci_pool_kernel nci_pool_nchw__scalar;
extern const nci_pool_kernel nci_pool_nhwc__scalar;

static const nci_pool_kernel *const pool_kernels[] = {
    &nci_pool_nchw__scalar,
    &nci_pool_nhwc__scalar,
};

const nci_conv_kernel *nci_find_conv_kernel(const nci_conv_params *params, int32_t active_isa)
{
    for (size_t i = 0; i < sizeof conv_kernels / sizeof conv_kernels[0]; i++) {
        const nci_conv_kernel *kernel = conv_kernels[i];
        if (nci_isa_includes(active_isa, kernel->isa) && kernel->can_handle(params)) {
            return kernel;
        }
    }
    return NULL;
}

const nci_pool_kernel *nci_find_pool_kernel(const nci_pool_params *params, int32_t active_isa)
{
    for (size_t i = 0; i < sizeof pool_kernels / sizeof pool_kernels[0]; i++) {
        const nci_pool_kernel *kernel = pool_kernels[i];
        if (nci_isa_includes(active_isa, kernel->isa) && kernel->can_handle(params)) {
            return kernel;
        }
    }
    return NULL;
}
