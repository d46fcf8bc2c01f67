#include "kernel.h"

void nci_valid_taps(int64_t start, int64_t dilation, int64_t kernel, int64_t size, int64_t *begin, int64_t *end)
{
    /* Kernels call this per output row and border pixel: undilated windows, the common case, skip the
     * divisions, which cost depthwise NCHW a third of its time on 28x28 planes. */
    const int64_t last_coordinate = size - 1 - start;
    int64_t first = start >= 0 ? 0 : dilation == 1 ? -start : (-start + dilation - 1) / dilation;
    int64_t stop = last_coordinate < 0 ? 0 : (dilation == 1 ? last_coordinate : last_coordinate / dilation) + 1;
    if (stop > kernel) {
        stop = kernel;
    }
    *begin = first;
    *end = stop > first ? stop : first;
}

void nci_inside_span(int64_t pad, int64_t stride, int64_t kernel, int64_t dilation, int64_t in_size, int64_t out_size,
                     int64_t *begin, int64_t *end)
{
    const int64_t last_start = in_size - 1 + pad - (kernel - 1) * dilation;
    int64_t e = last_start < 0 ? 0 : last_start / stride + 1;
    e = e < out_size ? e : out_size;
    const int64_t b = (pad + stride - 1) / stride;
    *begin = b < e ? b : e;
    *end = e;
}
