/* The ordered kernel lists: plans take the first kernel the active ISA runs that can handle the job. */
#ifndef NATIVECONV_KERNEL_REGISTRY_H
#define NATIVECONV_KERNEL_REGISTRY_H

#include <stdint.h>

#include "kernel.h"

/* NULL only if no registered kernel handles the parameters. */
const nci_conv_kernel *nci_find_conv_kernel(const nci_conv_params *params, int32_t active_isa);
const nci_pool_kernel *nci_find_pool_kernel(const nci_pool_params *params, int32_t active_isa);
/* Never NULL: the scalar kernel runs anywhere. */
const nci_transpose_kernel *nci_find_transpose_kernel(int32_t active_isa);

#endif
