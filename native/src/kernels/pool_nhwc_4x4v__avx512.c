/* NHWC pooling, 4 output pixels x 4 vectors of 16 channels per tile. */
#include "simd/avx512.h"

#define TILE_P 4
#define TILE_C 4
/* NHWC max pooling: middle tiles of one pixel. Against four, pool_ab (Zen 4, 12-16 rounds, time old / new): 2x2 s2
 * over 64 x 224^2 (12.8 MB) 1.47-2.04x, 256 x 56^2 1.03-1.15x; 3x3 s2 p1 64 x 112^2 1.02-1.19x; 3x3 s1 512 x 28^2
 * 1.06-1.15x; 80 and 128 channels 0.97-0.98x. Averages of at most 9 taps too: 2x2 s2 over 512 x 14^2 1.18x, 256 x
 * 56^2 1.03x, 3x3 s2 p1 1.04-1.08x; 5x5 s1 ran 0.96x (the divisions of one pixel wait on its 25 sums), so larger
 * windows keep four. On AVX2 one pixel lost against the two of pool_nhwc_2x4v__avx2 (0.79-0.92x). */
#define NHWC_SWEEP_P 1
#define KERNEL_SYMBOL nci_pool_nhwc_4x4v__avx512
#define KERNEL_NAME "pool_nhwc_4x4v__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "pool_nhwc_template.h"
