#include <stddef.h>

#include "cpu.h"
#include "kernel_registry.h"

/* Fastest first; the scalar kernels at the end handle every valid request between them. Kernels
 * of an ISA the active cap excludes are skipped, so each ISA lists its specialised kernels (depthwise)
 * before its general ones. The x86 kernels exist only in x86 builds (NCI_X86_KERNELS, set by CMake),
 * the NEON ones only in AArch64 builds (NCI_NEON_KERNELS). */
#if defined(NCI_X86_KERNELS)
extern const nci_conv_kernel nci_conv_dw_nchw_3x3_6x1__avx512;
extern const nci_conv_kernel nci_conv_dw_nchw_staged_16x16__avx512;
extern const nci_conv_kernel nci_conv_dw_nchw_4x2__avx512;
extern const nci_conv_kernel nci_conv_dw_nhwc_4x4v__avx512;
extern const nci_conv_kernel nci_conv_nchw_plane_3x8__avx512;
extern const nci_conv_kernel nci_conv_nchw_6x4v__avx512;
extern const nci_conv_kernel nci_conv_nchw_3x8__avx512;
extern const nci_conv_kernel nci_conv_nhwc_6x4v__avx512;
extern const nci_conv_kernel nci_conv_dw_nchw_3x3_4x1__avx2;
extern const nci_conv_kernel nci_conv_dw_nchw_staged_8x8__avx2;
extern const nci_conv_kernel nci_conv_dw_nchw_2x4__avx2;
extern const nci_conv_kernel nci_conv_dw_nhwc_4x2v__avx2;
extern const nci_conv_kernel nci_conv_nchw_plane_3x4__avx2;
extern const nci_conv_kernel nci_conv_nchw_3x4v__avx2;
extern const nci_conv_kernel nci_conv_nchw_3x4__avx2;
extern const nci_conv_kernel nci_conv_nhwc_3x4v__avx2;
#endif
#if defined(NCI_NEON_KERNELS)
extern const nci_conv_kernel nci_conv_dw_nchw_4x4__neon;
extern const nci_conv_kernel nci_conv_dw_nhwc_4x4v__neon;
extern const nci_conv_kernel nci_conv_nchw_plane_3x8__neon;
extern const nci_conv_kernel nci_conv_nchw_3x8__neon;
extern const nci_conv_kernel nci_conv_nhwc_6x4v_laneq__neon;
#endif
extern const nci_conv_kernel nci_conv_direct_nchw__scalar;
extern const nci_conv_kernel nci_conv_direct_nhwc__scalar;

static const nci_conv_kernel *const conv_kernels[] = {
#if defined(NCI_X86_KERNELS)
    &nci_conv_dw_nchw_3x3_6x1__avx512,
    &nci_conv_dw_nchw_staged_16x16__avx512,
    &nci_conv_dw_nchw_4x2__avx512,
    &nci_conv_dw_nhwc_4x4v__avx512,
    &nci_conv_nchw_6x4v__avx512,
    &nci_conv_nchw_plane_3x8__avx512,
    &nci_conv_nchw_3x8__avx512,
    &nci_conv_nhwc_6x4v__avx512,
    &nci_conv_dw_nchw_3x3_4x1__avx2,
    &nci_conv_dw_nchw_staged_8x8__avx2,
    &nci_conv_dw_nchw_2x4__avx2,
    &nci_conv_dw_nhwc_4x2v__avx2,
    &nci_conv_nchw_3x4v__avx2,
    &nci_conv_nchw_plane_3x4__avx2,
    &nci_conv_nchw_3x4__avx2,
    &nci_conv_nhwc_3x4v__avx2,
#endif
#if defined(NCI_NEON_KERNELS)
    &nci_conv_dw_nchw_4x4__neon,
    &nci_conv_dw_nhwc_4x4v__neon,
    &nci_conv_nchw_plane_3x8__neon,
    &nci_conv_nchw_3x8__neon,
    &nci_conv_nhwc_6x4v_laneq__neon,
#endif
    &nci_conv_direct_nchw__scalar,
    &nci_conv_direct_nhwc__scalar,
};

#if defined(NCI_X86_KERNELS)
extern const nci_pool_kernel nci_pool_global_nchw__avx512;
extern const nci_pool_kernel nci_pool_nchw__avx512;
extern const nci_pool_kernel nci_pool_nhwc_4x4v__avx512;
extern const nci_pool_kernel nci_pool_global_nchw__avx2;
extern const nci_pool_kernel nci_pool_nchw__avx2;
extern const nci_pool_kernel nci_pool_nhwc_2x4v__avx2;
#endif
#if defined(NCI_NEON_KERNELS)
extern const nci_pool_kernel nci_pool_global_nchw__neon;
extern const nci_pool_kernel nci_pool_nchw__neon;
extern const nci_pool_kernel nci_pool_nhwc_4x4v__neon;
#endif
extern const nci_pool_kernel nci_pool_nchw__scalar;
extern const nci_pool_kernel nci_pool_nhwc__scalar;

static const nci_pool_kernel *const pool_kernels[] = {
#if defined(NCI_X86_KERNELS)
    &nci_pool_global_nchw__avx512,
    &nci_pool_nchw__avx512,
    &nci_pool_nhwc_4x4v__avx512,
    &nci_pool_global_nchw__avx2,
    &nci_pool_nchw__avx2,
    &nci_pool_nhwc_2x4v__avx2,
#endif
#if defined(NCI_NEON_KERNELS)
    &nci_pool_global_nchw__neon,
    &nci_pool_nchw__neon,
    &nci_pool_nhwc_4x4v__neon,
#endif
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

#if defined(NCI_X86_KERNELS)
extern const nci_transpose_kernel nci_transpose_16x16__avx512;
extern const nci_transpose_kernel nci_transpose_8x8__avx2;
#endif
#if defined(NCI_NEON_KERNELS)
extern const nci_transpose_kernel nci_transpose_4x4__neon;
#endif
extern const nci_transpose_kernel nci_transpose__scalar;

static const nci_transpose_kernel *const transpose_kernels[] = {
#if defined(NCI_X86_KERNELS)
    &nci_transpose_16x16__avx512,
    &nci_transpose_8x8__avx2,
#endif
#if defined(NCI_NEON_KERNELS)
    &nci_transpose_4x4__neon,
#endif
    &nci_transpose__scalar,
};

const nci_transpose_kernel *nci_find_transpose_kernel(int32_t active_isa)
{
    for (size_t i = 0; i < sizeof transpose_kernels / sizeof transpose_kernels[0]; i++) {
        if (nci_isa_includes(active_isa, transpose_kernels[i]->isa)) {
            return transpose_kernels[i];
        }
    }
    return &nci_transpose__scalar;
}
