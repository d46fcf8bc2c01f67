/*
 * NativeConv: 2-D convolution and pooling for fp32 tensors.
 *
 * The whole C API lives in this header. Conventions used throughout:
 *   - Every function that can fail returns an nc_status; NC_STATUS_OK is 0.
 *   - Sizes and shape values are int64_t; element counts of caller buffers are size_t.
 *   - A buffer is passed as (pointer, element count). (NULL, 0) is a valid empty buffer.
 *   - Enumerations stored in structs are int32_t so that the structs are blittable from any
 *     language; the enum types below name the valid values.
 *   - Semantics follow PyTorch's conv2d, max_pool2d and avg_pool2d (see docs/semantics.md).
 */
#ifndef NATIVECONV_H
#define NATIVECONV_H

#include <stddef.h>
#include <stdint.h>

/* NC_API marks the exported functions. Define NC_STATIC when linking the static library. */
#if defined(NC_STATIC)
#define NC_API
#elif defined(_WIN32)
#if defined(NC_BUILDING_LIBRARY)
#define NC_API __declspec(dllexport)
#else
#define NC_API __declspec(dllimport)
#endif
#else
#define NC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct layout or a function signature changes. */
#define NC_ABI_VERSION 3

typedef enum nc_status {
    NC_STATUS_OK = 0,
    NC_STATUS_NULL_POINTER = 1,      /* a required pointer was NULL with a non-zero count */
    NC_STATUS_INVALID_ARGUMENT = 2,  /* a descriptor field or enum value breaks a rule */
    NC_STATUS_BUFFER_SIZE = 3,       /* a buffer's element count differs from what the shape needs */
    NC_STATUS_OVERFLOW = 4,          /* a size computed from the shape does not fit in int64_t / size_t */
    NC_STATUS_OUT_OF_MEMORY = 5,
    NC_STATUS_UNSUPPORTED = 6        /* valid request that this build cannot serve */
} nc_status;

typedef enum nc_layout {
    NC_LAYOUT_NCHW = 0, /* [batch][channel][height][width] (PyTorch, ONNX) */
    NC_LAYOUT_NHWC = 1, /* [batch][height][width][channel] (TensorFlow) */
    /* [batch][ceil(channel / 16)][height][width][channel % 16] (oneDNN's nChw16c): channels in blocks
     * of NC_CHANNEL_BLOCK, the block innermost, so one vector holds 16 channels of a pixel. A tensor
     * holds batch * ceil(channels / 16) * height * width * 16 floats; the lanes past the last real
     * channel are padding: results never depend on them and every operation writes zeros there.
     * Chained layers use it to skip a reorder per layer. */
    NC_LAYOUT_NCHW16C = 2
} nc_layout;

/* Channels per block of NC_LAYOUT_NCHW16C. */
#define NC_CHANNEL_BLOCK 16

typedef enum nc_filter_layout {
    /* [out_channels][in_channels / groups][kernel_height][kernel_width] (PyTorch, ONNX) */
    NC_FILTER_OIHW = 0,
    /* [kernel_height][kernel_width][in_channels / groups][out_channels] (TensorFlow). Output
     * channel k belongs to group k / (out_channels / groups). A TensorFlow depthwise filter
     * [kh][kw][channels][multiplier] has the same memory order as HWIO with groups = channels. */
    NC_FILTER_HWIO = 1
} nc_filter_layout;

typedef enum nc_activation {
    NC_ACTIVATION_NONE = 0,
    NC_ACTIVATION_RELU = 1,  /* max(x, 0) */
    NC_ACTIVATION_CLAMP = 2  /* min(max(x, activation_min), activation_max); ReLU6 is 0..6 */
} nc_activation;

typedef enum nc_conv2d_flags {
    /* output = activation(conv(input) + bias + output): the existing output is added before the
     * activation, as a residual connection does. Without it the output's old contents are ignored. */
    NC_CONV2D_ACCUMULATE = 1
} nc_conv2d_flags;

typedef struct nc_conv2d_desc {
    int64_t batch;           /* >= 0 */
    int64_t in_channels;     /* >= 1, divisible by groups */
    int64_t in_height;       /* >= 1 */
    int64_t in_width;        /* >= 1 */
    int64_t out_channels;    /* >= 1, divisible by groups */
    int64_t kernel_height;   /* >= 1 */
    int64_t kernel_width;    /* >= 1 */
    int64_t stride_height;   /* >= 1 */
    int64_t stride_width;    /* >= 1 */
    int64_t pad_top;         /* >= 0; padding is zero fill */
    int64_t pad_bottom;      /* >= 0 */
    int64_t pad_left;        /* >= 0 */
    int64_t pad_right;       /* >= 0 */
    int64_t dilation_height; /* >= 1 */
    int64_t dilation_width;  /* >= 1 */
    int64_t groups;          /* >= 1; groups == in_channels is depthwise */
    int32_t layout;          /* nc_layout of input and output */
    int32_t filter_layout;   /* nc_filter_layout of the weights */
    int32_t activation;      /* nc_activation */
    uint32_t flags;          /* nc_conv2d_flags, OR-ed */
    float activation_min;    /* used by NC_ACTIVATION_CLAMP; must not be NaN and <= activation_max */
    float activation_max;
} nc_conv2d_desc;

typedef enum nc_pool_kind {
    /* NaN policy: a NaN anywhere in the window makes the output NaN (as PyTorch). Padded taps
     * are never part of the window, so they cannot win. */
    NC_POOL_MAX = 0,
    NC_POOL_AVERAGE = 1
} nc_pool_kind;

typedef enum nc_pool2d_flags {
    /* Output size rounds up; a window that would start in the bottom/right padding is dropped. */
    NC_POOL2D_CEIL_MODE = 1,
    /* Average divides by the window size clipped to the padded input instead of by the count of
     * real input taps. */
    NC_POOL2D_COUNT_INCLUDE_PAD = 2,
    /* Pool over the whole height and width: kernel, stride, padding, dilation and ceil mode are
     * ignored and the output is 1x1. */
    NC_POOL2D_GLOBAL = 4
} nc_pool2d_flags;

typedef struct nc_pool2d_desc {
    int64_t batch;           /* >= 0 */
    int64_t channels;        /* >= 1 */
    int64_t in_height;       /* >= 1 */
    int64_t in_width;        /* >= 1 */
    int64_t kernel_height;   /* >= 1 */
    int64_t kernel_width;    /* >= 1 */
    int64_t stride_height;   /* >= 1 */
    int64_t stride_width;    /* >= 1 */
    int64_t pad_top;         /* 0 <= pad <= kernel / 2 on each side, as PyTorch requires */
    int64_t pad_bottom;
    int64_t pad_left;
    int64_t pad_right;
    int64_t dilation_height; /* >= 1; must be 1 for average pooling */
    int64_t dilation_width;
    int32_t kind;            /* nc_pool_kind */
    int32_t layout;          /* nc_layout of input and output */
    uint32_t flags;          /* nc_pool2d_flags, OR-ed */
    /* nc_activation applied to each pooled value (pool, then activate), in the same pass. Max pooling
     * commutes with ReLU and clamp, so a ReLU before a max pool can move here for free. */
    int32_t activation;
    float activation_min;    /* as in nc_conv2d_desc */
    float activation_max;
} nc_pool2d_desc;

/* Sizes derived from a descriptor: the output geometry and the element count of every buffer. */
typedef struct nc_tensor_sizes {
    int64_t out_height;
    int64_t out_width;
    int64_t input_count;
    int64_t filter_count; /* 0 for pooling */
    int64_t bias_count;   /* out_channels for convolution, 0 for pooling */
    int64_t output_count;
} nc_tensor_sizes;

typedef enum nc_auto_pad {
    NC_AUTO_PAD_VALID = 0,      /* no padding */
    NC_AUTO_PAD_SAME_UPPER = 1, /* out = ceil(in / stride); an odd extra pixel goes to the end (TensorFlow SAME) */
    NC_AUTO_PAD_SAME_LOWER = 2  /* as SAME_UPPER, but an odd extra pixel goes to the beginning */
} nc_auto_pad;

/* A task body handed out by the library: run task task_index of the job described by task_context. */
typedef void (*nc_task_fn)(void *task_context, size_t task_index);

/*
 * Lets the caller supply the threads. parallel_for must call task(task_context, i) exactly once
 * for every i in [0, task_count), on any threads, in any order, and return only after all calls
 * have returned. Tasks write disjoint parts of the output, so they need no synchronisation.
 * max_threads (>= 1) tells the library how many tasks can run at once; it splits the work into
 * about that many tasks. The split covers output dimensions only, so results are bitwise identical
 * for every max_threads value (NaN results stay NaN; their sign and payload may vary). A NULL executor
 * runs everything on the calling thread.
 */
typedef struct nc_executor {
    void *context;
    void (*parallel_for)(void *context, nc_task_fn task, void *task_context, size_t task_count);
    size_t max_threads;
} nc_executor;

typedef enum nc_isa {
    NC_ISA_SCALAR = 0,
    NC_ISA_AVX2 = 1,   /* AVX2 + FMA */
    NC_ISA_AVX512 = 2, /* AVX-512 F */
    NC_ISA_NEON = 3    /* AArch64 Advanced SIMD */
} nc_isa;

typedef enum nc_cpu_feature {
    NC_CPU_AVX2 = 1,
    NC_CPU_FMA = 2,
    NC_CPU_AVX512F = 4,
    NC_CPU_NEON = 8
} nc_cpu_feature;

typedef struct nc_conv2d_plan nc_conv2d_plan;
typedef struct nc_pool2d_plan nc_pool2d_plan;

/* ---- Library information ----------------------------------------------------------------------- */

NC_API int32_t nc_abi_version(void);
/* "major.minor.patch" */
NC_API const char *nc_version_string(void);
/* A fixed English sentence for the status; never NULL (unknown values get a generic text). */
NC_API const char *nc_status_message(int32_t status);
/* sizeof of the public structs as compiled into the library, for binding self-checks. */
NC_API size_t nc_sizeof_conv2d_desc(void);
NC_API size_t nc_sizeof_pool2d_desc(void);
NC_API size_t nc_sizeof_tensor_sizes(void);
NC_API size_t nc_sizeof_executor(void);

/* ---- CPU features and the ISA cap -------------------------------------------------------------- */

/* nc_cpu_feature bits the processor and OS support, detected once. */
NC_API uint32_t nc_cpu_features(void);
/* The best nc_isa that plans created now may use: the hardware's best, lowered by the environment
 * variable NATIVECONV_MAX_ISA (scalar|avx2|avx512|neon, read once; other values are ignored) and
 * by nc_set_max_isa. */
NC_API int32_t nc_active_isa(void);
/* Caps the ISA of plans created from now on (existing plans keep theirs). A cap above what the
 * hardware supports is allowed and has no effect. Fails with NC_STATUS_INVALID_ARGUMENT for an
 * unknown value. */
NC_API nc_status nc_set_max_isa(int32_t isa);
/* "scalar", "avx2", "avx512", "neon", or "unknown". */
NC_API const char *nc_isa_name(int32_t isa);

/* ---- Shapes and padding ------------------------------------------------------------------------ */

/* Explicit padding of one spatial dimension for an nc_auto_pad mode, as ONNX and TensorFlow define it.
 * NC_STATUS_INVALID_ARGUMENT for an unknown mode or a size, kernel, stride or dilation below 1;
 * NC_STATUS_NULL_POINTER for a NULL output; NC_STATUS_OVERFLOW if the padding does not fit. */
NC_API nc_status nc_compute_padding(int32_t auto_pad, int64_t in_size, int64_t kernel_size,
                                    int64_t stride, int64_t dilation, int64_t *pad_begin,
                                    int64_t *pad_end);
/* Validate the descriptor and fill *sizes. On failure they write a sentence naming the field and the
 * rule into message (if message_capacity > 0; always NUL-terminated, truncated to fit). Besides the
 * tensors, the zero-padded input image (channels, rounded up to whole blocks in NC_LAYOUT_NCHW16C, x
 * (in_height + pads) x (in_width + pads) floats) must be countable like a tensor, else NC_STATUS_OVERFLOW:
 * padding far beyond any input is only reachable with strides as large, and bounding it keeps every tap
 * offset inside int64_t. */
NC_API nc_status nc_conv2d_query(const nc_conv2d_desc *desc, nc_tensor_sizes *sizes,
                                 char *message, size_t message_capacity);
NC_API nc_status nc_pool2d_query(const nc_pool2d_desc *desc, nc_tensor_sizes *sizes,
                                 char *message, size_t message_capacity);

/* ---- Convolution ------------------------------------------------------------------------------- */

/* Validates desc, packs filter (desc->filter_layout) and bias (NULL/0 for none, else out_channels
 * values) into the chosen kernel's layout and picks the kernel. The caller's buffers are not kept. */
NC_API nc_status nc_conv2d_plan_create(const nc_conv2d_desc *desc, const float *filter,
                                       size_t filter_count, const float *bias, size_t bias_count,
                                       nc_conv2d_plan **plan);
/* Thread-safe on a shared plan; allocates nothing. Overlapping input and output buffers are
 * rejected with NC_STATUS_INVALID_ARGUMENT. */
NC_API nc_status nc_conv2d_plan_execute(const nc_conv2d_plan *plan, const float *input,
                                        size_t input_count, float *output, size_t output_count,
                                        const nc_executor *executor);
/* Name of the kernel the plan runs, e.g. "conv_direct_nchw__scalar"; valid as long as the plan.
 * NULL for a NULL plan. */
NC_API const char *nc_conv2d_plan_kernel_name(const nc_conv2d_plan *plan);
/* Bytes of packed weights the plan holds; 0 for a NULL plan. */
NC_API size_t nc_conv2d_plan_packed_size(const nc_conv2d_plan *plan);
/* NULL is allowed and ignored. */
NC_API void nc_conv2d_plan_destroy(nc_conv2d_plan *plan);
/* create + execute + destroy. */
NC_API nc_status nc_conv2d(const nc_conv2d_desc *desc, const float *input, size_t input_count,
                           const float *filter, size_t filter_count, const float *bias,
                           size_t bias_count, float *output, size_t output_count,
                           const nc_executor *executor);

/* ---- Pooling ----------------------------------------------------------------------------------- */

/* Validates desc and picks the kernel. */
NC_API nc_status nc_pool2d_plan_create(const nc_pool2d_desc *desc, nc_pool2d_plan **plan);
/* Thread-safe on a shared plan; allocates nothing; overlapping buffers are rejected. */
NC_API nc_status nc_pool2d_plan_execute(const nc_pool2d_plan *plan, const float *input,
                                        size_t input_count, float *output, size_t output_count,
                                        const nc_executor *executor);
/* e.g. "pool_nchw__scalar"; NULL for a NULL plan. */
NC_API const char *nc_pool2d_plan_kernel_name(const nc_pool2d_plan *plan);
/* NULL is allowed and ignored. */
NC_API void nc_pool2d_plan_destroy(nc_pool2d_plan *plan);
/* create + execute + destroy. */
NC_API nc_status nc_pool2d(const nc_pool2d_desc *desc, const float *input, size_t input_count,
                           float *output, size_t output_count, const nc_executor *executor);

/* ---- Layout conversion ------------------------------------------------------------------------- */

/* Copies an activation tensor of the given shape from src_layout to dst_layout (nc_layout values; equal
 * layouts copy). batch >= 0; channels, height and width >= 1. Fails with NC_STATUS_INVALID_ARGUMENT for
 * an unknown layout, a size below its minimum or overlapping buffers, NC_STATUS_OVERFLOW when the
 * element count does not fit, and the usual buffer statuses otherwise. */
NC_API nc_status nc_reorder(int32_t src_layout, int32_t dst_layout, int64_t batch, int64_t channels,
                            int64_t height, int64_t width, const float *src, size_t src_count, float *dst,
                            size_t dst_count, const nc_executor *executor);
/* Copies a filter from src_layout to dst_layout (nc_filter_layout values; equal layouts copy). Every
 * size must be >= 1; statuses as for nc_reorder. */
NC_API nc_status nc_convert_filter(int32_t src_layout, int32_t dst_layout, int64_t out_channels,
                                   int64_t in_channels_per_group, int64_t kernel_height, int64_t kernel_width,
                                   const float *src, size_t src_count, float *dst, size_t dst_count);

#ifdef __cplusplus
}
#endif

#endif
