/* oneDNN as the peer library: one convolution or pooling primitive set up from a NativeConv
 * descriptor, so both libraries compute exactly the same operation. Built from onednn_peer.c when
 * oneDNN is found, else from onednn_peer_absent.c, whose functions report it unavailable. */
#ifndef ONEDNN_PEER_H
#define ONEDNN_PEER_H

#include <stdbool.h>

#include "nativeconv.h"

typedef enum onednn_mode {
    /* Every memory descriptor is format_tag::any: oneDNN picks its blocked layouts. Input and weights
     * are reordered into them once, outside the timed calls. */
    ONEDNN_BLOCKED,
    /* Input and output in the descriptor's plain layout (nchw or nhwc), weights in the matching
     * plain layout (oihw or hwio, with a leading group dimension when grouped): whatever oneDNN
     * does to handle plain tensors happens inside the timed calls. */
    ONEDNN_SAME_LAYOUT
} onednn_mode;

typedef struct onednn_primitive onednn_primitive;

bool onednn_available(void);
/* "major.minor.patch", or "" when unavailable. */
const char *onednn_version_string(void);
/* First thing in main: OpenMP reads OMP_PROC_BIND and OMP_PLACES once, as it loads, so when they are unset this
 * re-executes the program (argv as main got it) with OMP_PROC_BIND=true and OMP_PLACES=cores: oneDNN's threads
 * then keep a core each, the caller the first, as pthread_executor_create pins NativeConv's. Unbound, oneDNN's
 * worker shared the pinned caller's CPU (2-thread convolutions at 20-35 GFLOP/s, 390-450 bound). Returns when
 * OMP_PROC_BIND was set already, to any value (set it to keep the process as it is, e.g. under gdb), or when the
 * re-execution failed, with a message. Linux only, as the pinning in pthread_executor.c. */
void onednn_bind_threads(char **argv);
/* Threads used by primitives executed afterwards from the calling thread. */
void onednn_set_threads(int threads);

/* filter is OIHW whatever desc->filter_layout says; input is in desc->layout. NULL if unavailable
 * or if oneDNN rejects the problem (a message is printed). */
onednn_primitive *onednn_conv_create(const nc_conv2d_desc *desc, onednn_mode mode, const float *input,
                                     const float *filter, const float *bias);
/* Pooling in the descriptor's layout; input in desc->layout. For NCHW16c, when oneDNN gives no usable
 * nChw16c primitive (capped to AVX2 it has only reference loops, which count as none; or it fails, with a
 * message), its own blocked layout nChw8c instead, with the input reordered into it once here and the
 * output reordered back by onednn_copy_output. */
onednn_primitive *onednn_pool_create(const nc_pool2d_desc *desc, const float *input);
/* The activation layout of a pooling primitive, spelt like NativeConv's layouts: "nchw", "nhwc",
 * "nchw16c" or "nchw8c". */
const char *onednn_format_name(const onednn_primitive *primitive);
/* Executes once and waits; takes an onednn_primitive *, so it can be timed as a measured_fn. */
void onednn_run(void *primitive);
/* Copies the last output into out, converted to the descriptor's plain layout. */
void onednn_copy_output(const onednn_primitive *primitive, float *out);
/* oneDNN's name of the implementation it picked, e.g. "jit:avx512_core". */
const char *onednn_impl_name(const onednn_primitive *primitive);
void onednn_destroy(onednn_primitive *primitive);

#endif
