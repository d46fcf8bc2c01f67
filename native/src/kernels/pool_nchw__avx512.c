/* NCHW pooling, 16 outputs of one row per vector. */
#include "simd/avx512.h"

/* Stride-2 rows go to the AVX2 kernel. Against this kernel's two-source permutes it ran them faster where
 * the outputs are not a whole number of vectors (Zen 5, pool_ab: 3x3 s2 over 112x112 1.14-1.24x, 2x2 s2
 * over 56x56 1.08-1.34x) and, with 64-byte aligned buffers, over 64x64 1.09-1.12x and 448x448 1.75x;
 * 2x2 s2 over 224x224 measured 0.95-0.97x. */
#define NO_STRIDE_2
#define KERNEL_SYMBOL nci_pool_nchw__avx512
#define KERNEL_NAME "pool_nchw__avx512"
#define KERNEL_ISA NC_ISA_AVX512
#include "pool_nchw_template.h"
