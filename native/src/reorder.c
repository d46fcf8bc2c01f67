/* NCHW <-> NHWC is a transpose of each image, [channels][pixels] <-> [pixels][channels], run by the
 * best transpose kernel with tasks over images x row tiles x column tiles; NCHW16c is a transpose per
 * channel block against NCHW and a 64-byte copy per pixel and block against NHWC. Filters are small and
 * converted once, so plain loops serve them. */
#include "reorder.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define STREAMS_AVAILABLE true
#else
#define STREAMS_AVAILABLE false
#endif

#include "channels_last.h"
#include "cpu.h"
#include "executor.h"
#include "kernel_registry.h"

typedef struct transpose_job {
    const nci_transpose_kernel *kernel;
    const float *src;
    float *dst;
    int64_t rows, cols;
    nci_task_grid grid; /* images x row tiles x column tiles */
} transpose_job;

static void transpose_task(void *context, size_t index)
{
    const transpose_job *job = context;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    const int64_t block = job->kernel->block;
    const int64_t row_end = range.row_end * block < job->rows ? range.row_end * block : job->rows;
    const int64_t col_end = range.channel_end * block < job->cols ? range.channel_end * block : job->cols;
    for (int64_t n = range.batch_begin; n < range.batch_end; n++) {
        const int64_t offset = n * job->rows * job->cols;
        job->kernel->run(job->src + offset, job->rows, job->cols, range.row_begin * block, row_end,
                         range.channel_begin * block, col_end, job->dst + offset);
    }
}

/* NCHW16c on one side: tasks over images x channel blocks x runs of pixels. Against NCHW a full block
 * is a transpose of [16][pixels]; against NHWC each pixel's 16 channels are one 64-byte copy. The last,
 * partial block moves its real channels and zero-fills the padding lanes. Tasks split runs of pixels
 * before blocks (except in cache, below). Into NHWC the runs are short, so that a 14 x 14 plane still splits
 * by pixels: split blocks would interleave the threads' stores along every pixel row (512 channels x 14 x 14
 * ran 1.3x faster on two threads). Elsewhere they are long, so a small plane splits by blocks and each task
 * writes whole blocks or planes. */
#define BLOCKED_PIXEL_RUN 256
#define CHANNELS_LAST_PIXEL_RUN 16
/* NHWC rows walked per pass over the channel blocks, so each pixel's channels are read (or written)
 * in one sweep instead of one strided sweep per block. */
#define CHANNELS_LAST_PIXELS 16

/* Reorders moving at most this many floats (1 MiB) stay in the cores' caches from call to call, and
 * there the time goes to fetching lines from the other core, not from memory: so they take one task per thread
 * when those come out near-equal, split by channel blocks (into NHWC by pixel runs, as above). With an executor
 * whose threads usually take the same task each call (the caller claiming first, as it mostly does) each
 * thread's destination lines stay in its own cache, where four tasks a thread, claimed in a different order
 * each call, moved them from core to core. reorder_ab on two threads (Zen 5), 512 x 14^2, 256 x 28^2 and
 * 64 x 56^2: 1.18-2.65x. NCHW <-> NHWC transposes as small take one task a thread too: on Zen 4 (reorder_ab,
 * two threads, 512 x 14^2, 256 x 28^2, 128 x 28^2 and 64 x 56^2) NHWC -> NCHW ran 1.19-3.26x faster so, NCHW ->
 * NHWC 0.97-2.11x. (Four tasks a thread, measured once on Zen 5, had run 1.14-1.28x faster on two of those
 * shapes; the quick benchmarks there put the two-thread transposes of 512 x 14^2 at 9-46 % of memcpy.) */
#define CACHED_REORDER_FLOATS (INT64_C(1) << 18)

/* NHWC <-> NCHW16c destinations past this many bytes (about a core's share of L2, as the transposes' STREAM_BYTES)
 * take the 64-byte copies with non-temporal stores: the lines would leave the caches anyway, and ordinary stores
 * first read each one. */
#define BLOCKED_STREAM_BYTES (INT64_C(2) << 20)

typedef struct blocked_job {
    const nci_transpose_kernel *kernel;
    int32_t src_layout, dst_layout;
    int64_t channels, plane, blocks, pixel_run;
    const float *src;
    float *dst;
    bool stream; /* every 64-byte copy lands on its own destination line, and bypasses the caches */
    nci_task_grid grid; /* images x pixel runs x channel blocks */
} blocked_job;

/* One pixel's 16 channels. */
static void copy_block_channels(float *dst, const float *src, bool stream)
{
#if STREAMS_AVAILABLE
    if (stream) {
        for (int i = 0; i < NC_CHANNEL_BLOCK; i += 4) {
            _mm_stream_ps(dst + i, _mm_loadu_ps(src + i));
        }
        return;
    }
#else
    (void)stream; /* never set without non-temporal stores */
#endif
    memcpy(dst, src, NC_CHANNEL_BLOCK * sizeof(float));
}

/* Channels [b * 16, b * 16 + 16) of pixels [p0, p1) of image n, between NCHW and a full block. */
static void planar_block(const blocked_job *job, int64_t n, int64_t b, int64_t p0, int64_t p1)
{
    const int64_t plane = job->plane;
    const int64_t plain = (n * job->channels + b * NC_CHANNEL_BLOCK) * plane;
    const int64_t block = (n * job->blocks + b) * plane * NC_CHANNEL_BLOCK;
    if (job->dst_layout == NC_LAYOUT_NCHW16C) {
        job->kernel->run(job->src + plain, NC_CHANNEL_BLOCK, plane, 0, NC_CHANNEL_BLOCK, p0, p1, job->dst + block);
    } else {
        job->kernel->run(job->src + block, plane, NC_CHANNEL_BLOCK, p0, p1, 0, NC_CHANNEL_BLOCK, job->dst + plain);
    }
}

/* Channels [b * 16, b * 16 + used) of pixels [p0, p1) of image n, between NCHW or NHWC and a block, one
 * pixel's channels at a time: the NHWC copies and the partial last block against NCHW. */
static void pixel_block(const blocked_job *job, int64_t n, int64_t b, int64_t p0, int64_t p1)
{
    const int64_t C = job->channels, plane = job->plane, c0 = b * NC_CHANNEL_BLOCK;
    const int64_t left = C - c0, used = left < NC_CHANNEL_BLOCK ? left : NC_CHANNEL_BLOCK;
    const bool to_blocked = job->dst_layout == NC_LAYOUT_NCHW16C;
    const int32_t layout = to_blocked ? job->src_layout : job->dst_layout;
    /* Element (c0 + lane, pixel) of the plain tensor is at plain + lane * lane_step + pixel * pixel_step. */
    const int64_t plain = layout == NC_LAYOUT_NCHW ? (n * C + c0) * plane : n * plane * C + c0;
    const int64_t lane_step = layout == NC_LAYOUT_NCHW ? plane : 1;
    const int64_t pixel_step = layout == NC_LAYOUT_NCHW ? 1 : C;
    const int64_t block = (n * job->blocks + b) * plane * NC_CHANNEL_BLOCK;
    if (layout == NC_LAYOUT_NHWC && used == NC_CHANNEL_BLOCK) {
        /* Pointers and steps held in locals: each copy's byte stores may alias the job, which GCC otherwise
         * reloaded every pixel. */
        const int64_t src_step = to_blocked ? C : NC_CHANNEL_BLOCK, dst_step = to_blocked ? NC_CHANNEL_BLOCK : C;
        const float *src = job->src + (to_blocked ? plain : block) + p0 * src_step;
        float *dst = job->dst + (to_blocked ? block : plain) + p0 * dst_step;
        const bool stream = job->stream;
        for (int64_t pixel = p0; pixel < p1; pixel++, src += src_step, dst += dst_step) {
            copy_block_channels(dst, src, stream);
        }
        return;
    }
    for (int64_t pixel = p0; pixel < p1; pixel++) {
        for (int64_t lane = 0; lane < NC_CHANNEL_BLOCK; lane++) {
            if (to_blocked) {
                job->dst[block + pixel * NC_CHANNEL_BLOCK + lane] =
                    lane < used ? job->src[plain + lane * lane_step + pixel * pixel_step] : 0.0f;
            } else if (lane < used) {
                job->dst[plain + lane * lane_step + pixel * pixel_step] =
                    job->src[block + pixel * NC_CHANNEL_BLOCK + lane];
            }
        }
    }
}

static void blocked_task(void *context, size_t index)
{
    const blocked_job *job = context;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    const int64_t p0 = range.row_begin * job->pixel_run;
    const int64_t p1 = range.row_end * job->pixel_run < job->plane ? range.row_end * job->pixel_run : job->plane;
    const bool channels_last = job->src_layout == NC_LAYOUT_NHWC || job->dst_layout == NC_LAYOUT_NHWC;
    const int64_t full_blocks = job->channels / NC_CHANNEL_BLOCK;
    for (int64_t n = range.batch_begin; n < range.batch_end; n++) {
        if (channels_last) {
            for (int64_t p = p0; p < p1; p += CHANNELS_LAST_PIXELS) {
                const int64_t p_end = p1 - p < CHANNELS_LAST_PIXELS ? p1 : p + CHANNELS_LAST_PIXELS;
                for (int64_t b = range.channel_begin; b < range.channel_end; b++) {
                    pixel_block(job, n, b, p, p_end);
                }
            }
            continue;
        }
        for (int64_t b = range.channel_begin; b < range.channel_end; b++) {
            if (b < full_blocks) {
                planar_block(job, n, b, p0, p1);
            } else {
                pixel_block(job, n, b, p0, p1);
            }
        }
    }
#if STREAMS_AVAILABLE
    if (job->stream) {
        /* Non-temporal stores are weakly ordered: finish them before the task counts as done. */
        _mm_sfence();
    }
#endif
}

typedef struct copy_job {
    const float *src;
    float *dst;
    nci_task_grid grid; /* the floats as one run of "channels" */
} copy_job;

/* Task index's near-equal share of a plain copy. */
static void copy_task(void *context, size_t index)
{
    const copy_job *job = context;
    nci_task_range range;
    nci_task_grid_range(&job->grid, index, &range);
    memcpy(job->dst + range.channel_begin, job->src + range.channel_begin,
           (size_t)(range.channel_end - range.channel_begin) * sizeof(float));
}

void nci_reorder_run(int32_t src_layout, int32_t dst_layout, int64_t batch, int64_t channels, int64_t height,
                     int64_t width, const float *src, float *dst, const nc_executor *executor)
{
    const int64_t pixels = height * width;
    if (batch == 0) {
        return;
    }
    /* With one channel or one pixel, NCHW and NHWC put the floats in the same order: a copy (one channel x 224^2
     * 2.7-3.0x faster than the transpose; Intel Xeon, reorder_ab). */
    const bool blocked = src_layout == NC_LAYOUT_NCHW16C || dst_layout == NC_LAYOUT_NCHW16C;
    if (src_layout == dst_layout || (!blocked && (channels == 1 || pixels == 1))) {
        const int64_t stored = src_layout == NC_LAYOUT_NCHW16C ? nci_padded_channels(channels) : channels;
        /* One task a thread: as one memcpy, one channel x 1024^2 on two threads ran 0.77-0.82x as fast as the
         * transposes the copy replaced; split, 2.0x the single memcpy (so are same-layout copies of 64 x 224^2). */
        const int64_t count = batch * stored * pixels;
        copy_job job = {.src = src, .dst = dst};
        const size_t tasks = nci_task_grid_init(&job.grid, 1, count, 1, nci_thread_budget(executor, count), false);
        nci_run_tasks(executor, copy_task, &job, tasks);
        if (src_layout == NC_LAYOUT_NCHW16C) {
            nci_zero_padding_lanes(dst, channels, height, width, 0, batch, 0, height);
        }
        return;
    }
    if (blocked) {
        blocked_job job = {
            .kernel = nci_find_transpose_kernel(nci_active_isa()),
            .src_layout = src_layout,
            .dst_layout = dst_layout,
            .channels = channels,
            .plane = pixels,
            .blocks = nci_padded_channels(channels) / NC_CHANNEL_BLOCK,
            .pixel_run = dst_layout == NC_LAYOUT_NHWC ? CHANNELS_LAST_PIXEL_RUN : BLOCKED_PIXEL_RUN,
            .src = src,
            .dst = dst,
        };
        /* Into NCHW16c every pixel's block is a line of a line-aligned tensor; into NHWC too when the channels
         * fill whole blocks. */
        const int64_t dst_channels = dst_layout == NC_LAYOUT_NCHW16C ? job.blocks * NC_CHANNEL_BLOCK : channels;
        job.stream = STREAMS_AVAILABLE && (src_layout == NC_LAYOUT_NHWC || dst_layout == NC_LAYOUT_NHWC) &&
                     batch * dst_channels * pixels * (int64_t)sizeof(float) > BLOCKED_STREAM_BYTES &&
                     (uintptr_t)dst % 64 == 0 && dst_channels % NC_CHANNEL_BLOCK == 0;
        const int64_t runs = (pixels + job.pixel_run - 1) / job.pixel_run;
        const int64_t moved = batch * job.blocks * pixels * NC_CHANNEL_BLOCK;
        size_t tasks = 0;
        if (moved <= CACHED_REORDER_FLOATS) {
            tasks = nci_task_grid_init(&job.grid, batch, job.blocks, runs, nci_thread_budget(executor, moved),
                                       dst_layout != NC_LAYOUT_NHWC);
        }
        if (tasks == 0 || !nci_task_grid_balanced(&job.grid)) {
            tasks = nci_task_grid_init(&job.grid, batch, job.blocks, runs, nci_task_budget(executor, moved), false);
        }
        nci_run_tasks(executor, blocked_task, &job, tasks);
        return;
    }
    const int64_t count = batch * channels * pixels;
    transpose_job job = {
        .kernel = nci_find_transpose_kernel(nci_active_isa()),
        .src = src,
        .dst = dst,
        .rows = src_layout == NC_LAYOUT_NCHW ? channels : pixels,
        .cols = src_layout == NC_LAYOUT_NCHW ? pixels : channels,
    };
    /* Tasks split the source's columns, the destination's rows, so each writes whole rows of the
     * destination: the NHWC side's pixels, or the NCHW side's planes (split channels would interleave the
     * threads' stores along every pixel row and miss the whole-row staged path). NHWC into NCHW planes long
     * enough that each of an image's tasks would hold 4 KB of every plane splits the pixels instead: on two
     * threads 64 x 224 x 224 ran 0.95-0.98x split by planes, while 512 x 14 x 14, whose 784-byte planes
     * share lines, ran 1.9-2.4x faster so. Images take their share of the tasks first (nci_task_grid_init). */
    const int64_t block = job.kernel->block;
    const size_t budget =
        count <= CACHED_REORDER_FLOATS ? nci_thread_budget(executor, count) : nci_task_budget(executor, count);
    const int64_t images = batch < (int64_t)budget ? batch : (int64_t)budget;
    const int64_t tasks_per_image = ((int64_t)budget + images - 1) / images;
    const bool split_columns =
        src_layout == NC_LAYOUT_NCHW || job.rows * (int64_t)sizeof(float) < tasks_per_image * 4096;
    const size_t tasks = nci_task_grid_init(&job.grid, batch, (job.cols + block - 1) / block,
                                            (job.rows + block - 1) / block, budget, split_columns);
    nci_run_tasks(executor, transpose_task, &job, tasks);
}

void nci_convert_filter_run(int32_t src_layout, int32_t dst_layout, int64_t out_channels,
                            int64_t in_channels_per_group, int64_t kernel_height, int64_t kernel_width,
                            const float *src, float *dst)
{
    const int64_t taps = kernel_height * kernel_width, inner = in_channels_per_group * taps;
    if (src_layout == dst_layout) {
        memcpy(dst, src, (size_t)(out_channels * inner) * sizeof(float));
        return;
    }
    const bool to_hwio = src_layout == NC_FILTER_OIHW;
    /* OIHW [o][i][t] <-> HWIO [t][i][o], t the kernel tap in row-major order. */
    for (int64_t o = 0; o < out_channels; o++) {
        for (int64_t i = 0; i < in_channels_per_group; i++) {
            for (int64_t t = 0; t < taps; t++) {
                const int64_t oihw = (o * in_channels_per_group + i) * taps + t;
                const int64_t hwio = (t * in_channels_per_group + i) * out_channels + o;
                if (to_hwio) {
                    dst[hwio] = src[oihw];
                } else {
                    dst[oihw] = src[hwio];
                }
            }
        }
    }
}
