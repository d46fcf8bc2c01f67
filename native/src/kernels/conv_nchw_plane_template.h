/* Direct convolution on NCHW tensors whose output rows are as wide as the input rows at stride 1 ("same"
 * padding, and every unpadded 1x1 stride-1 convolution). Output pixel q = oh * W + ow then reads input
 * q + (r * dilation - pad_top) * W + s * dilation - pad_left at tap (r, s), so each channel plane is one
 * long row: a tile is TILE_W vectors of consecutive pixels, crossing row boundaries freely, x TILE_K output
 * channels. Lanes whose tap falls into padding (or past the task's last pixel) are masked per tap; the
 * masks depend only on the pixels, so they are built once per tile and reused by every channel block.
 * Every tile sums c, r, s with all taps (a masked tap adds 0 * w), so each output has one fixed order
 * whichever tile or task computes it.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and defines TILE_W, TILE_K,
 * KERNEL_SYMBOL, KERNEL_NAME and KERNEL_ISA. Weights are packed per group into blocks of TILE_K output
 * channels, [c][r][s][TILE_K], zero-padded. No scratch memory beyond the stack (see SLICE_BYTES, copy_slice and
 * COPY_MIN_PLANE). */
#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

/* Bounds the per-tile mask table on the stack; larger kernels go to the general NCHW kernel. */
#define MAX_TAPS 49
#define PLANE_VECTORS TILE_W
#define PLANE_MAX_TAPS MAX_TAPS
#include "plane_masks.h"
/* Channel blocks visited per sweep over the pixels: their weights stay in L2 while the tiles pass. */
#ifndef CHUNK_BYTES
#define CHUNK_BYTES (256 * 1024)
#endif
/* A tile's input, summed over every input channel, outgrows L1 when the channels are many (1x1 with 512
 * channels: 48 KiB a tile), and each channel block of the chunk then reads it again from L2. So the input
 * channels go in slices of about SLICE_BYTES of the tile's input, each slice through all the chunk's
 * blocks; a block's running sums wait on the stack between slices, at most SPLIT_BLOCKS blocks to a
 * chunk. Each output still sums c, r, s in order. SLICE_BYTES counts the floats a tile reads, but the
 * cache lines they touch hold about twice that, and the block's weights share L1 too: 8 KiB beat 16 KiB
 * (AVX2, Zen 3, alternating in one process: 256 channels 56x56 3x3 +9 %, 1x1 512 channels 28x28 +15 %,
 * 64 channels 56x56 +7 %; 64 channels 224x224 -2 %, the 14x14 rows even). */
#define SLICE_BYTES (8 * 1024)
/* The slice of a 1x1 convolution, whose full tiles read it from a contiguous copy (copy_slice), can be larger:
 * 128 input channels then make one slice instead of two, so a chunk is not capped by SPLIT_BLOCKS and takes
 * all 512 output channels of 128->512 28x28: the input tile is copied and read once, not once per chunk
 * (AVX2, measured with 64-channel chunks: 1.14-1.18x; 256->64 56x56 1.07-1.09x; 512->128 28x28 and
 * 1024->256 14x14 within 2 %). 24 KiB measured the same within the noise. */
#define COPY_BYTES (16 * 1024)
/* At most 128 output channels a chunk when the input channels are split, whatever TILE_K (CHUNK_BYTES of
 * weights may stop it sooner): partial sums of 12 KiB (AVX2), 24 KiB (AVX-512) or 6 KiB (NEON) on the
 * stack. With 64 on AVX2, 512->128 28x28 1x1 copied and summed its input tiles twice; 128 was 1.02-1.05x
 * there (library_ab), 3x3 rows even. */
#define SPLIT_BLOCKS (128 / TILE_K)
/* A full tile that crosses a border (checked) loads each tap through lane masks, once for every block of the
 * chunk. On planes of at least COPY_MIN_PLANE pixels it copies every tap of its slice of input channels
 * through the masks once per chunk (copy_checked_slice), and the blocks read the copy unmasked and in order
 * (AVX2, library_ab: 3x3 64->64 56x56 1.00-1.10x, 256->256 56x56 1.07-1.13x, 32->32 112x112 1.13-1.21x, 5x5
 * and 7x7 1.02-1.09x, 224x224 even). On smaller planes the tensor's rows of a slice stay in L1 anyway and the
 * copy only costs (256->256 14x14: 0.92-0.99x), as it does for a chunk of one block, which reads it once
 * (3x3 64->4 and 256->4 56x56 ran 1.17-1.29x faster without). Slices then shrink to what the copy holds, for every
 * tile: interior tiles kept at SLICE_BYTES measured 0.98-1.00x. The copy must hold at least
 * COPY_MIN_CHANNELS channels: fewer would store and reload the blocks' running sums after every channel or
 * two. A kernel file may set COPY_CHECKED_TILES to false. */
#define COPY_MIN_PLANE 1024
#define COPY_MIN_CHANNELS 4
#ifndef COPY_CHECKED_TILES
#define COPY_CHECKED_TILES true
#endif
/* Planes of fewer pixels than this read a 1x1 tile's slice from the tensor instead of a copy; a kernel file
 * may set it (AVX-512 does), by default every plane copies. */
#ifndef COPY_1X1_MIN_PLANE
#define COPY_1X1_MIN_PLANE 0
#endif

typedef struct plane_tile {
    const float *x;            /* input channel c_begin at the tile's first pixel */
    int64_t channel_stride;    /* floats from one input channel to the next at x */
    const int64_t *tap_offset; /* per tap, input offset from the pixel it serves */
    const nci_vmask *masks;    /* [tap][TILE_W], read only by checked tiles */
    int64_t pixels;
    int64_t c_begin, c_end;    /* the slice of input channels this pass sums */
} plane_tile;

/* One tap of one channel: NVEC input vectors from x (masked by masks[v] when CHECKED) times TILE_K broadcast
 * weights. */
NCI_INLINE void plane_step(const int NVEC, const bool CHECKED, const float *x, const nci_vmask *masks, const float *w,
                           nci_vf acc[TILE_W][TILE_K])
{
    nci_vf xv[TILE_W];
    NCI_UNROLL
    for (int v = 0; v < NVEC; v++) {
        xv[v] = CHECKED ? v_load_mask(x + v * NCI_V, masks[v]) : v_load(x + v * NCI_V);
    }
    NCI_UNROLL
    for (int j = 0; j < TILE_K; j++) {
        const nci_vf wv = v_set1(w[j]);
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            acc[v][j] = v_fma(xv[v], wv, acc[v][j]);
        }
    }
}

/* partial holds the block's running sums between slices of input channels: read unless the slice is the
 * first, written unless it is the last (which stores the output instead). */
NCI_INLINE void plane_tile_run(const int NVEC, const bool CHECKED, const nci_conv_params *p, const plane_tile *t,
                               const float *w, float *y, const float *bias, int64_t channels, nci_vf *partial)
{
    const int64_t taps = p->kernel_height * p->kernel_width;
    nci_vf acc[TILE_W][TILE_K];
    NCI_UNROLL
    for (int v = 0; v < NVEC; v++) {
        NCI_UNROLL
        for (int j = 0; j < TILE_K; j++) {
            acc[v][j] = t->c_begin > 0 ? partial[v * TILE_K + j] : v_zero();
        }
    }
    const float *xc = t->x;
    w += t->c_begin * taps * TILE_K;
    /* A 1x1 convolution's unchecked tiles loop over the channels alone, and the general loop below then has
     * nothing left: through it each channel paid a one-pass tap loop, 35 instructions per 12 FMAs
     * (callgrind, 512 channels 28x28). */
    for (int64_t c = t->c_begin; !CHECKED && taps == 1 && c < t->c_end; c++) {
        plane_step(NVEC, false, xc + t->tap_offset[0], NULL, w, acc);
        w += TILE_K;
        xc += t->channel_stride;
    }
    for (int64_t c = CHECKED || taps > 1 ? t->c_begin : t->c_end; c < t->c_end; c++) {
        for (int64_t tap = 0; tap < taps; tap++) {
            plane_step(NVEC, CHECKED, xc + t->tap_offset[tap], t->masks + tap * TILE_W, w, acc);
            w += TILE_K;
        }
        xc += t->channel_stride;
    }
    if (t->c_end < p->group_in_channels) {
        NCI_UNROLL
        for (int v = 0; v < NVEC; v++) {
            NCI_UNROLL
            for (int j = 0; j < TILE_K; j++) {
                partial[v * TILE_K + j] = acc[v][j];
            }
        }
        return;
    }
    nci_vf flat[TILE_W * TILE_K];
    NCI_COPY_TILE(flat, acc, NVEC, TILE_K);
    const int64_t out_plane = p->out_height * p->out_width;
    if (NVEC == TILE_W && channels == TILE_K) {
        v_store_lines(p, flat, 1, TILE_K, TILE_K, TILE_W, t->pixels, bias, 1, y, out_plane);
    } else {
        nci_store_lines(p, flat, 1, TILE_K, channels, NVEC, t->pixels, bias, 1, y, out_plane);
    }
}

static void plane_tile_any(int64_t vectors, bool checked, const nci_conv_params *p, const plane_tile *t,
                           const float *w, float *y, const float *bias, int64_t channels, nci_vf *partial)
{
    switch (vectors * 2 + (checked ? 1 : 0)) {
#if TILE_W >= 4
    case 9: plane_tile_run(4, true, p, t, w, y, bias, channels, partial); break;
    case 8: plane_tile_run(4, false, p, t, w, y, bias, channels, partial); break;
#endif
#if TILE_W >= 3
    case 7: plane_tile_run(3, true, p, t, w, y, bias, channels, partial); break;
    case 6: plane_tile_run(3, false, p, t, w, y, bias, channels, partial); break;
#endif
#if TILE_W >= 2
    case 5: plane_tile_run(2, true, p, t, w, y, bias, channels, partial); break;
    case 4: plane_tile_run(2, false, p, t, w, y, bias, channels, partial); break;
#endif
    case 3: plane_tile_run(1, true, p, t, w, y, bias, channels, partial); break;
    default: plane_tile_run(1, false, p, t, w, y, bias, channels, partial); break;
    }
}

/* With only a few input channels, rows that split into whole tiles of whole vectors run faster on the
 * row-by-row NCHW kernel (measured: 224-wide 5x5 with 3 input channels), so those are left to it; with
 * more channels this kernel wins on the same rows (224-wide 3x3 with 64 channels: about twice as fast). */
static bool can_handle(const nci_conv_params *p)
{
    const bool whole_row_tiles = p->out_width % NCI_V == 0 && p->out_width >= 4 * TILE_W * NCI_V;
    const bool few_channels = p->group_in_channels <= 4;
    return p->layout == NC_LAYOUT_NCHW && p->stride_height == 1 && p->stride_width == 1 &&
           p->out_width == p->in_width && p->kernel_height * p->kernel_width <= MAX_TAPS &&
           !(whole_row_tiles && few_channels);
}

static int64_t packed_count(const nci_conv_params *p)
{
    return nci_blocked_filter_count(p, TILE_K);
}

static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_blocked(p, filter_layout, filter, packed, TILE_K, TILE_K, NCI_ORDER_CHANNELS_OUTER);
}

/* Copies a full unchecked 1x1 tile's pixels of `channels` input channels, from x on (the first channel at the
 * tile's first pixel), into `to`, channel after channel, for the blocks of the chunk to read in turn. Read
 * from the tensor instead, a slice's lines lie one plane apart, and planes whose size is a multiple of 1 KiB
 * (224x224, 112x112, 32x32) put every channel in the same few L1 sets: each block found the slice evicted.
 * Copying once per slice and chunk was 1.38-1.44x on such planes (AVX2, 64->64 224x224, 256->256 32x32),
 * 1.10-1.26x at 56x56 and 1.01-1.04x at 28x28 and 14x14. A 3x3 kernel reuses each line for 9 taps, and
 * copying the rows of its unchecked tiles did not measurably help (1.00-1.07x at 224x224). A chunk of one
 * block reads the copy only once and takes none (1x1 64->4 56x56 ran 1.16-1.27x faster without). */
static void copy_slice(int64_t in_plane, const float *x, int64_t channels, float *to)
{
    for (int64_t c = 0; c < channels; c++) {
        NCI_UNROLL
        for (int v = 0; v < TILE_W; v++) {
            v_store(to + c * TILE_W * NCI_V + v * NCI_V, v_load(x + c * in_plane + v * NCI_V));
        }
    }
}

/* Copies a full checked tile's `channels` input channels, every tap through its masks, into `to`: channel
 * after channel, tap after tap, TILE_W vectors each, for the blocks of the chunk to read unmasked (see
 * COPY_MIN_PLANE). */
static void copy_checked_slice(int64_t in_plane, const float *x, int64_t channels, int64_t taps,
                               const int64_t *tap_offset, const nci_vmask *masks, float *to)
{
    for (int64_t c = 0; c < channels; c++) {
        for (int64_t tap = 0; tap < taps; tap++) {
            NCI_UNROLL
            for (int v = 0; v < TILE_W; v++) {
                v_store(to + ((c * taps + tap) * TILE_W + v) * NCI_V,
                        v_load_mask(x + c * in_plane + tap_offset[tap] + v * NCI_V, masks[tap * TILE_W + v]));
            }
        }
    }
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t cg = p->group_in_channels, kg = p->group_out_channels;
    const int64_t width = p->in_width;
    const int64_t in_plane = p->in_height * width, out_plane = p->out_height * p->out_width;
    const int64_t taps = p->kernel_height * p->kernel_width;
    const int64_t block_stride = cg * taps; /* floats per packed lane */
    const int64_t kg_padded = nci_round_up(kg, TILE_K);
    const int64_t block_bytes = block_stride * TILE_K * (int64_t)sizeof(float);
    const int64_t channel_bytes =
        p->kernel_height * (TILE_W * NCI_V + (p->kernel_width - 1) * p->dilation_width) * (int64_t)sizeof(float);
    const int64_t slice_bytes = taps == 1 ? COPY_BYTES : SLICE_BYTES;
    const int64_t copy_channels = COPY_BYTES / (taps * TILE_W * NCI_V * (int64_t)sizeof(float));
    int64_t slice = slice_bytes / channel_bytes > 1 ? slice_bytes / channel_bytes : 1;
    int64_t chunk_blocks = CHUNK_BYTES / block_bytes > 1 ? CHUNK_BYTES / block_bytes : 1;
    const bool copy_checked =
        COPY_CHECKED_TILES && taps > 1 && copy_channels >= COPY_MIN_CHANNELS && in_plane >= COPY_MIN_PLANE;
    slice = copy_checked && slice > copy_channels ? copy_channels : slice;
    const bool split = slice < cg;
    chunk_blocks = split && chunk_blocks > SPLIT_BLOCKS ? SPLIT_BLOCKS : chunk_blocks;
    const int64_t chunk_channels = chunk_blocks * TILE_K;
    nci_vf partial[SPLIT_BLOCKS * TILE_W * TILE_K];
    int64_t tap_offset[MAX_TAPS];
    plane_tap_offsets(p, tap_offset);
    nci_vf slice_copy[COPY_BYTES / sizeof(nci_vf)];
    int64_t copy_offset[MAX_TAPS];
    for (int64_t tap = 0; tap < taps; tap++) {
        copy_offset[tap] = tap * TILE_W * NCI_V;
    }
    nci_vmask masks[MAX_TAPS * TILE_W];
    const int64_t q_begin = range->row_begin * p->out_width, q_end = range->row_end * p->out_width;
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t k = range->channel_begin; k < range->channel_end;) {
            const int64_t group = k / kg;
            const int64_t group_end = (group + 1) * kg < range->channel_end ? (group + 1) * kg : range->channel_end;
            const int64_t chunk_end = k + chunk_channels < group_end ? k + chunk_channels : group_end;
            const float *planes = input + (n * p->in_channels + group * cg) * in_plane;
            const bool reused = chunk_end - k > TILE_K; /* a copy read by one block only costs */
            for (int64_t q0 = q_begin; q0 < q_end; q0 += TILE_W * NCI_V) {
                const int64_t pixels = q_end - q0 < TILE_W * NCI_V ? q_end - q0 : TILE_W * NCI_V;
                const int64_t vectors = (pixels + NCI_V - 1) / NCI_V;
                const bool checked = plane_tile_masks(p, q0, pixels, vectors, masks);
                const bool copy_1x1 = taps == 1 && in_plane >= COPY_1X1_MIN_PLANE;
                const bool copied = vectors == TILE_W && reused && (checked ? copy_checked : copy_1x1);
                plane_tile t = {.channel_stride = copied ? (checked ? taps : 1) * TILE_W * NCI_V : in_plane,
                                .tap_offset = copied ? copy_offset : tap_offset, .masks = masks, .pixels = pixels};
                for (t.c_begin = 0; t.c_begin < cg; t.c_begin = t.c_end) {
                    t.c_end = cg - t.c_begin > slice ? t.c_begin + slice : cg;
                    t.x = planes + q0 + t.c_begin * in_plane;
                    if (copied && checked) {
                        copy_checked_slice(in_plane, t.x, t.c_end - t.c_begin, taps, tap_offset, masks,
                                           (float *)slice_copy);
                        t.x = (const float *)slice_copy;
                    } else if (copied) {
                        copy_slice(in_plane, t.x + tap_offset[0], t.c_end - t.c_begin, (float *)slice_copy);
                        t.x = (const float *)slice_copy;
                    }
                    for (int64_t kb = k; kb < chunk_end; kb += TILE_K) {
                        const int64_t first = kb - group * kg; /* a multiple of TILE_K: tasks split at blocks */
                        const int64_t channels = kg - first < TILE_K ? kg - first : TILE_K;
                        plane_tile_any(vectors, checked && !copied, p, &t,
                                       filter + (group * kg_padded + first) * block_stride,
                                       output + (n * p->out_channels + kb) * out_plane + q0,
                                       bias != NULL ? bias + kb : NULL, channels,
                                       split ? partial + (kb - k) / TILE_K * TILE_W * TILE_K : NULL);
                    }
                }
            }
            k = chunk_end;
        }
    }
}

const nci_conv_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .channel_block = TILE_K,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
