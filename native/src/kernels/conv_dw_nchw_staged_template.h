/* Depthwise NCHW convolution (one input channel and one output channel per group) through channels-last rows:
 * V channels at a time (V = NCI_V, the vector width), each input row they need is transposed once into a ring of
 * rows on the stack that holds each pixel's V channels in one vector, with the left and right padding as zero
 * pixels. A tile is V output pixels x those V channels: per tap one weight vector and V input vectors, no masks,
 * V accumulators; the finished tile is transposed in registers and stored to the V output planes. Row tiles on
 * the planes themselves (conv_dw_nchw_4x2__avx512) load every tap under masks, and reach about a sixth of the
 * FMA rate on 28x28 planes.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/ and a tile transpose header (V x V:
 * transpose_tile from memory, transpose_registers in place) and defines KERNEL_SYMBOL, KERNEL_NAME and
 * KERNEL_ISA.
 *
 * The last tile of a row and the last group of channels overlap the ones before rather than run short (rows
 * and planes are at least V long here), and store only what those did not. The ring holds as many rows as
 * the kernel's dilated height spans; each output sums r, s in order. Stack: STAGE_BYTES of ring.
 *
 * Unit column stride only, whose pixel offsets are constants: strides would need a second instantiation of the
 * tile code, which the library's size leaves no room for. */
#include "kernel.h"
#include "pack.h"
#include "simd/common.h"

/* The ring of staged rows, less stack than the NCHW plane kernel's frame (33-41 KiB): 3x3 rows with one pixel
 * of padding a side up to 168 pixels wide at AVX-512, 339 at AVX2; wider rows stay with the row tiles. */
#define STAGE_BYTES (32 * 1024)
#define STAGE_PIXELS ((int64_t)(STAGE_BYTES / sizeof(nci_vf)))
/* Ring rows at most: rows are at least V pixels wide. */
#define MAX_SPAN (STAGE_PIXELS / NCI_V)

/* Staged pixels per ring row: the padded input as far as any output reads it, and at least the whole input
 * row. Every factor is at most STAGE_PIXELS (can_handle), so nothing overflows. */
static int64_t stage_width(const nci_conv_params *p)
{
    const int64_t reach = (p->out_width - 1) * p->stride_width + (p->kernel_width - 1) * p->dilation_width + 1;
    const int64_t input = p->pad_left + p->in_width;
    return reach > input ? reach : input;
}

static bool can_handle(const nci_conv_params *p)
{
    if (p->layout != NC_LAYOUT_NCHW || p->group_in_channels != 1 || p->group_out_channels != 1 ||
        p->in_channels < NCI_V || p->in_width < NCI_V || p->out_width < NCI_V || p->stride_width != 1) {
        return false;
    }
    const int64_t factors[] = {p->kernel_height, p->kernel_width, p->dilation_height, p->dilation_width,
                               p->pad_left,      p->in_width,     p->out_width};
    for (size_t i = 0; i < sizeof factors / sizeof factors[0]; i++) {
        if (factors[i] > STAGE_PIXELS) {
            return false;
        }
    }
    /* Rows of at least V pixels then also keep span within MAX_SPAN. */
    const int64_t span = (p->kernel_height - 1) * p->dilation_height + 1;
    return span <= STAGE_PIXELS && span * stage_width(p) <= STAGE_PIXELS;
}

static int64_t packed_count(const nci_conv_params *p)
{
    return p->out_channels * p->kernel_height * p->kernel_width;
}

static void pack(const nci_conv_params *p, int32_t filter_layout, const float *filter, float *packed)
{
    nci_pack_depthwise_taps_outer(p, filter_layout, filter, packed);
}

/* Input row ih of the V planes from `planes` into ring row `to`, after its left padding. */
static void stage_row(const nci_conv_params *p, const float *planes, int64_t ih, nci_vf *to)
{
    const int64_t width = p->in_width, plane = p->in_height * width;
    for (int64_t w0 = 0; w0 < width; w0 += NCI_V) {
        const int64_t first = w0 + NCI_V <= width ? w0 : width - NCI_V;
        nci_vf v[NCI_V];
        transpose_tile(planes + ih * width + first, plane, v);
        NCI_UNROLL
        for (int j = 0; j < NCI_V; j++) {
            to[p->pad_left + first + j] = v[j];
        }
    }
}

/* The ring row after `slot` for the next kernel row, dh input rows on (dh < span when there is more than one
 * kernel row): stepping costs a compare where `ih % span` cost a 64-bit division, and three divisions a 3x3 tile
 * had cost about as much as the tile's FMAs (AVX2 1.08-1.15x, Zen 4). */
static inline int64_t next_slot(int64_t slot, int64_t dh, int64_t span)
{
    return slot + dh < span ? slot + dh : slot + dh - span;
}

/* Output row oh for the V channels from `first`, storing channels [store_begin, store_end) of the V, from kernel
 * rows [r_begin, r_end), the first of them in ring row first_slot. Each tile is V pixels; the last one starts V
 * before the row's end and stores only the pixels the others did not. */
NCI_INLINE void row(const nci_conv_params *p, const float *weights, const float *bias, const nci_vf *ring,
                    int64_t width, int64_t span, int64_t oh, int64_t r_begin, int64_t r_end, int64_t first_slot,
                    int64_t first, int64_t store_begin, int64_t store_end, float *planes)
{
    const int64_t dw = p->dilation_width, dh = p->dilation_height, taps_apart = p->out_channels;
    const int64_t kernel_width = p->kernel_width, ow = p->out_width, out_plane = p->out_height * ow;
    for (int64_t ow0 = 0; ow0 < ow; ow0 += NCI_V) {
        const int64_t at = ow0 + NCI_V <= ow ? ow0 : ow - NCI_V;
        nci_vf acc[NCI_V];
        NCI_UNROLL
        for (int i = 0; i < NCI_V; i++) {
            acc[i] = v_zero();
        }
        int64_t slot = first_slot;
        for (int64_t r = r_begin; r < r_end; r++, slot = next_slot(slot, dh, span)) {
            const nci_vf *x = ring + slot * width + at;
            const float *w = weights + r * kernel_width * taps_apart + first;
            for (int64_t s = 0; s < kernel_width; s++) {
                const nci_vf wv = v_load(w + s * taps_apart);
                NCI_UNROLL
                for (int i = 0; i < NCI_V; i++) {
                    acc[i] = v_fma(x[i], wv, acc[i]);
                }
                x += dw;
            }
        }
        transpose_registers(acc);
        /* Only a row's last tile, which overlaps the one before, stores under a mask: AVX2's masked stores
         * (vmaskmovps) took about half the kernel's time when every tile used them. Zen 4, 3x3: AVX2
         * 1.35-1.98x (256 x 28^2 1.63x), AVX-512 1.02-1.09x. */
        const bool whole = at == ow0;
        const nci_vmask lanes = v_mask_span(ow0 - at, NCI_V);
        for (int64_t c = store_begin; c < store_end; c++) {
            float *y = planes + (first + c) * out_plane + oh * ow + at;
            nci_vf value = acc[c];
            if (bias != NULL) {
                value = v_add(value, v_set1(bias[first + c]));
            }
            if (p->accumulate) {
                value = v_add(value, whole ? v_load(y) : v_load_mask(y, lanes));
            }
            if (whole) {
                v_store(y, v_activate(p, value));
            } else {
                v_store_mask(y, lanes, v_activate(p, value));
            }
        }
    }
}

static void run(const nci_conv_params *p, const float *filter, const float *bias, const float *input,
                float *output, const nci_task_range *range)
{
    const int64_t channels = p->in_channels, in_plane = p->in_height * p->in_width;
    const int64_t out_plane = p->out_height * p->out_width;
    const int64_t span = (p->kernel_height - 1) * p->dilation_height + 1, width = stage_width(p);
    nci_vf ring[STAGE_PIXELS];
    for (int64_t n = range->batch_begin; n < range->batch_end; n++) {
        for (int64_t c = range->channel_begin; c < range->channel_end;) {
            const int64_t first = c + NCI_V <= channels ? c : channels - NCI_V;
            const int64_t stop = first + NCI_V < range->channel_end ? first + NCI_V : range->channel_end;
            const float *planes = input + (n * channels + first) * in_plane;
            for (int64_t slot = 0; slot < span; slot++) { /* the padding pixels; the rest is staged over */
                for (int64_t i = 0; i < width; i++) {
                    if (i < p->pad_left || i >= p->pad_left + p->in_width) {
                        ring[slot * width + i] = v_zero();
                    }
                }
            }
            int64_t held[MAX_SPAN]; /* the input row each ring row holds */
            for (int64_t slot = 0; slot < span; slot++) {
                held[slot] = -1;
            }
            for (int64_t oh = range->row_begin; oh < range->row_end; oh++) {
                const int64_t ih0 = oh * p->stride_height - p->pad_top;
                int64_t r_begin, r_end;
                nci_valid_taps(ih0, p->dilation_height, p->kernel_height, p->in_height, &r_begin, &r_end);
                /* One division a row finds the first kernel row's ring row. */
                const int64_t first_slot = r_begin < r_end ? (ih0 + r_begin * p->dilation_height) % span : 0;
                for (int64_t r = r_begin, slot = first_slot; r < r_end;
                     r++, slot = next_slot(slot, p->dilation_height, span)) {
                    const int64_t ih = ih0 + r * p->dilation_height;
                    if (held[slot] != ih) {
                        stage_row(p, planes, ih, ring + slot * width);
                        held[slot] = ih;
                    }
                }
                float *out_planes = output + n * channels * out_plane;
                row(p, filter, bias, ring, width, span, oh, r_begin, r_end, first_slot, first, c - first, stop - first,
                    out_planes);
            }
            c = stop;
        }
    }
}

const nci_conv_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .channel_block = 1,
    .can_handle = can_handle,
    .packed_count = packed_count,
    .pack = pack,
    .run = run,
};
