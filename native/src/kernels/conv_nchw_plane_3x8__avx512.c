/* NCHW stride-1 same-width convolution over whole planes, 3 vectors of 16 pixels x 8 output channels
 * (24 zmm accumulators, 3 input vectors, 1 broadcast). */
#include "simd/avx512.h"

#define TILE_W 3
#define TILE_K 8
/* Copying bordering tiles (COPY_MIN_PLANE) paid on AVX2 but not here: without it, 3x3 stride 1 on Zen 5 ran
 * 1.22x faster at 256->256 56x56, 1.21x at 36x36, 1.10x at 128->128 112x112, 1.08x at 64->64 56x56 and 1.16x
 * at 224x224 (library_ab). With 48-pixel tiles nearly every tile of a 56-wide plane borders padding. */
#define COPY_CHECKED_TILES false
/* Nor does the 1x1 slice copy on planes smaller than 32x32, where a slice's rows stay in L1 without it: Zen 4,
 * library_ab, without / with: 512->128 28x28 1.06x, 256->64 28x28 1.08x, 128->512 28x28 1.04x, 1024->256 14x14
 * 1.03x, 512->512 7x7 1.03x. On AVX2 the copy still paid there (0.91-1.00x without). */
#define COPY_1X1_MIN_PLANE COPY_MIN_PLANE
/* Half of the 1 MiB L2 of the AVX-512 cores (Zen 4 and 5; Intel's server cores 1-2 MiB) rather than AVX2's 256 KiB
 * (Zen 3: 512 KiB): 48 output channels a sweep instead of 24 at 256 channels 3x3, so the input comes from L3
 * half as often. Zen 5, library_ab: 256->256 56x56 1.43-1.47x in processes where the old build ran it at
 * 92-99 GFLOP/s, 0.99x where it ran at 190; 512->512 28x28 1.05x, 128->128 112x112 1.09x, smaller even. */
#define CHUNK_BYTES (512 * 1024)
#define KERNEL_SYMBOL nci_conv_nchw_plane_3x8__avx512
#define KERNEL_NAME "conv_nchw_plane_3x8__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "conv_nchw_plane_template.h"
