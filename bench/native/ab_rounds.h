/* What the A/B drivers (library_ab, plan_ab, pool_ab, reorder_ab) share. Each opens two builds of the library with
 * dlopen, so it links neither, and times them round by round, in turns: on a shared 2-vCPU guest the same
 * library measured 45 and then 75 GFLOP/s minutes apart, so timings taken in separate runs cannot tell a
 * 10 % change, while the median of per-round time ratios holds to a few percent. */
#ifndef AB_ROUNDS_H
#define AB_ROUNDS_H

#include <string.h>

#include "nativeconv.h"

/* dlsym gives an object pointer. POSIX makes it convertible to a function pointer and ISO C does not, so
 * its bits are copied. */
#define AB_LOAD_SYMBOL(library, name, function)              \
    do {                                                     \
        void *address_ = dlsym(library, name);               \
        memcpy(&(function), &address_, sizeof(function));    \
    } while (0)

/* The convolution that library_ab's and plan_ab's arguments C K SIZE KERNEL STRIDE PAD GROUPS LAYOUT (args[0] to
 * args[7]) describe: one image, square input and kernel, the same stride and padding on every side, OIHW weights. */
nc_conv2d_desc ab_conv_desc(char **args);

/* dlopen(path) with its own symbol scope; prints the loader's message and returns NULL on failure. */
void *ab_open(const char *path);

/* Seconds per call of build `which` (0 for A, 1 for B) over one batch of calls that write destination buffer
 * `slot` (0 or 1). */
typedef double (*ab_time_fn)(void *context, int which, int slot);

/* Times both builds in groups of four rounds, in which each build goes first twice and writes each of the two
 * destination buffers twice, and prints each build's best as unit / seconds per call scaled by 1e-9 (GFLOP/s or
 * GB/s for a unit of flops or bytes per call), then the median and quartiles over the groups of time A / time B
 * (each group's geometric mean): above 1 means B is faster. `rounds` is rounded up to whole groups. Returns 0, or
 * 1 when out of memory.
 *
 * Where a buffer lies mattered as much as the code: with one build on both sides, the side whose destination
 * happened to lie next to the source ran 0.81-1.34x the other (Zen 5 guest, reorders on one and two threads;
 * docs/performance.md), so a build that kept one buffer would carry that buffer's luck into its ratio. */
int ab_run_rounds(int rounds, ab_time_fn time, void *context, double unit, const char *unit_name);

#endif
