/* Activation applied to a run of finished values, for operations whose kernels do not fuse it. */
#ifndef NATIVECONV_ACTIVATION_H
#define NATIVECONV_ACTIVATION_H

#include <stdint.h>

#include "nativeconv.h"

/* As the convolution kernels' store: a NaN fails both comparisons and passes through, as in PyTorch. */
static inline void nci_activate_run(float *values, int64_t count, int32_t activation, float min, float max)
{
    if (activation == NC_ACTIVATION_RELU) {
        for (int64_t i = 0; i < count; i++) {
            values[i] = values[i] < 0.0f ? 0.0f : values[i];
        }
    } else if (activation == NC_ACTIVATION_CLAMP) {
        for (int64_t i = 0; i < count; i++) {
            const float v = values[i] < min ? min : values[i];
            values[i] = v > max ? max : v;
        }
    }
}

#endif
