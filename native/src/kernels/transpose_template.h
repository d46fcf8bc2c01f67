/* Matrix transpose in NCI_V x NCI_V register tiles: the tile's rows loaded and transposed in registers,
 * NCI_V row stores. A part whose rows or columns do not fill a last tile moves that tile back over rows
 * or columns already done, rewriting the same values. A matrix narrower than a tile (3 channels against
 * 224^2 pixels) is gathered where the ISA has gathers (TRANSPOSE_GATHERS): every destination vector in one
 * gather of its NCI_V floats, wherever they lie in the source. Other parts narrower than a tile (fewer
 * rows than a tile before the first line group of a streamed transpose) have no room to move a tile back
 * and move one float at a time.
 *
 * Instantiated by a kernel file that includes an ISA header from simd/, defines
 * `NCI_INLINE void transpose_tile(const float *src, int64_t stride, nci_vf *v)` (loads the tile whose
 * rows start stride floats apart at src; v[j] lane i is then src[i * stride + j]; inlined, because a call
 * passes the tile through memory, which halved the speed of transposes in cache) and KERNEL_SYMBOL,
 * KERNEL_NAME and KERNEL_ISA; and, where the ISA has non-temporal stores, defines TRANSPOSE_STREAMS,
 * `stream_store(p, v)` (v_store to a vector-aligned p, bypassing the caches) and `stream_fence()` (orders
 * those stores before later ones); and, where it has gathers, defines TRANSPOSE_GATHERS and
 * `gather(base, index)` (lane i reads base[index[i]], index NCI_V int32 offsets).
 *
 * Tiles are walked in blocks of about BLOCK x BLOCK (a last column block narrower than a tile joins the
 * one before; streamed transposes with the longer destination rows take STREAM_ROWS rows a block), blocks
 * along the longer side outermost, and inside a block in the order line_rows picks from the strides. A tensor layout
 * change is a transpose with one short side (the channels) and one long side (the pixels); walking the
 * long side block by block keeps every read run and every write run BLOCK floats long and finishes each
 * block's destination while it is in cache, where tile rows taken the whole length of the long side
 * would leave NCI_V-float pieces of every destination line behind them, to be read back and completed
 * on the next pass.
 *
 * A transpose whose destination is larger than STREAM_BYTES writes it with non-temporal stores: it
 * would not stay in cache anyway, and such stores skip reading every destination line before writing
 * it, a third of the memory traffic. They write whole 64-byte lines, LINE floats made of the stores of
 * LINE / NCI_V tiles one above the other, so source rows are taken in groups that start where a
 * destination line does; the few rows before the first such group and after the last are written
 * with ordinary stores. When the transpose covers every row of a matrix with few rows (a change to
 * channels last), each block of columns has one contiguous destination instead: it is transposed into
 * a stage in cache and streamed out in aligned lines, so only the run's two ends use ordinary stores
 * whatever the destination's alignment. The staged transposes also ask for each tile's source lines a
 * little ahead: sixteen or more rows read side by side are more streams than the hardware prefetchers
 * follow. */
#include <stdint.h>

#include "kernel.h"
#include "simd/common.h"

#define BLOCK 64
#define LINE 16
/* Rows a streamed transpose with the longer destination rows takes per block: each destination row
 * then gets 1 KB of lines per visit instead of 256 bytes (64 x 224^2 NHWC to NCHW ran 1.02-1.10x faster). */
#define STREAM_ROWS 256
/* About a core's share of L2: past it the destination streams through memory whatever we do. */
#define STREAM_BYTES (INT64_C(2) << 20)
/* Floats ahead of the tile being read that prefetches ask for: two AVX-512 tiles. */
#define PREFETCH_AHEAD 32

/* The tile at rows [r, r + NCI_V) x columns [c0, c0 + NCI_V), asking first for the lines its rows read
 * PREFETCH_AHEAD floats further on. The prefetches go through nci_prefetch_float, which is always inlined:
 * a plain `static inline` function that only prefetches is one GCC 12 may find free of side effects and
 * drop every call to (as nci_prefetch_floats explains), which it did to the kernels' own prefetch function
 * here. Issued, they ran 64 x 224^2 NCHW to NHWC 1.35-1.60x faster (AVX-512; AVX2 1.59x, two threads
 * 1.16x; Zen 4, reorder_ab). */
NCI_INLINE void load_tile(bool prefetch, const float *src, int64_t cols, int64_t r, int64_t c0, nci_vf *v)
{
#if defined(TRANSPOSE_STREAMS)
    for (int i = 0; prefetch && i < NCI_V; i++) {
        nci_prefetch_float(src, (r + i) * cols + c0 + PREFETCH_AHEAD);
    }
#else
    (void)prefetch;
#endif
    transpose_tile(src + r * cols + c0, cols, v);
}

/* Rows [r0, r0 + TILES * NCI_V) x columns [c0, c0 + NCI_V), all inside the matrix. The flags are
 * run-time values: each instantiation below is inlined once, and one well-predicted branch per tile
 * costs less than the code of a copy per flag combination. Non-temporal stores hold every tile until
 * whole destination lines can go out together; ordinary stores take one tile at a time, since AVX2's
 * 16 registers cannot hold two tiles and their transposes without spilling (512 x 196 ran 1.14-1.23x
 * faster so). */
NCI_INLINE void full_tiles(const int TILES, bool stream, bool prefetch, const float *src, int64_t rows, int64_t cols,
                           int64_t r0, int64_t c0, float *dst)
{
#if defined(TRANSPOSE_STREAMS)
    if (stream) {
        nci_vf v[LINE / NCI_V][NCI_V];
        for (int t = 0; t < TILES; t++) {
            load_tile(prefetch, src, cols, r0 + t * NCI_V, c0, v[t]);
        }
        for (int j = 0; j < NCI_V; j++) {
            for (int t = 0; t < TILES; t++) {
                stream_store(dst + (c0 + j) * rows + r0 + t * NCI_V, v[t][j]);
            }
        }
        return;
    }
#else
    (void)stream;
#endif
    for (int t = 0; t < TILES; t++) {
        nci_vf v[NCI_V];
        load_tile(prefetch, src, cols, r0 + t * NCI_V, c0, v);
        for (int j = 0; j < NCI_V; j++) {
            v_store(dst + (c0 + j) * rows + r0 + t * NCI_V, v[j]);
        }
    }
}

/* Rows [row_begin, row_end) x columns [col_begin, col_end), one float at a time, for a part narrower
 * than a tile, which has no room to move a tile back. Staging such a part through lane-masked loads and
 * stores cost more than the moves themselves: a change of 3 channels to channels last, all such parts,
 * ran 1.7-2.2x faster so. */
static void narrow_part(const float *src, int64_t rows, int64_t cols, int64_t row_begin, int64_t row_end,
                        int64_t col_begin, int64_t col_end, float *dst)
{
    /* The narrow side innermost, so the long side is read or written in order. */
    if (row_end - row_begin < NCI_V) {
        for (int64_t c = col_begin; c < col_end; c++) {
            for (int64_t r = row_begin; r < row_end; r++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
        return;
    }
    for (int64_t r = row_begin; r < row_end; r++) {
        for (int64_t c = col_begin; c < col_end; c++) {
            dst[c * rows + r] = src[r * cols + c];
        }
    }
}

/* Where the tile of a remainder [begin, end) of a range starting at floor starts: moved back to give a
 * whole tile when the range has room for one. Tiles moved back rewrite values already stored, which
 * costs less than lane-masked stores (6 ns each on the Zen 3 we measure on, four times a plain store). */
static int64_t whole_tile_start(int64_t floor, int64_t begin, int64_t end)
{
    const bool short_tile = begin < end && end - begin < NCI_V;
    return short_tile && end - floor >= NCI_V ? end - NCI_V : begin;
}

/* Rows [row_begin, row_end) tile by tile with ordinary stores, each row of tiles across the columns. */
static void tile_rows(bool prefetch, const float *src, int64_t rows, int64_t cols, int64_t row_begin, int64_t row_end,
                      int64_t col_begin, int64_t col_end, float *dst)
{
    if (row_begin >= row_end || col_begin >= col_end) {
        return;
    }
    if (row_end - row_begin < NCI_V || col_end - col_begin < NCI_V) {
        narrow_part(src, rows, cols, row_begin, row_end, col_begin, col_end, dst);
        return;
    }
    for (int64_t r = row_begin; r < row_end; r += NCI_V) {
        const int64_t r0 = whole_tile_start(row_begin, r, row_end);
        for (int64_t c = col_begin; c < col_end; c += NCI_V) {
            full_tiles(1, false, prefetch, src, rows, cols, r0, whole_tile_start(col_begin, c, col_end), dst);
        }
    }
}

/* Rows [row_begin, row_end), a whole number of lines. Whichever side has the longer rows in memory
 * (the larger stride) takes whole lines of each row it touches and runs along them: with a power-of-two
 * stride, rows taken half a line at a time across a block all fall in a few cache sets and evict each
 * other before their second half is used. So ordinary stores go tile row by tile row when the source
 * rows are the longer, and in line groups down each column of tiles when the destination rows are
 * (AVX2, in cache: 512 x 196 went from 21-26 to 32-40 GB/s, 196 x 512 from 24 to 33-44). Non-temporal
 * stores always take line groups, which write whole destination lines. */
static void line_rows(bool stream, bool prefetch, const float *src, int64_t rows, int64_t cols, int64_t row_begin,
                      int64_t row_end, int64_t col_begin, int64_t col_end, float *dst)
{
    if (!stream && rows <= cols) {
        tile_rows(prefetch, src, rows, cols, row_begin, row_end, col_begin, col_end, dst);
        return;
    }
    const int64_t line_groups = (row_end - row_begin) / LINE, tile_cols = (col_end - col_begin) / NCI_V;
    const bool columns_outer = rows > cols;
    const int64_t outer = columns_outer ? tile_cols : line_groups, inner = columns_outer ? line_groups : tile_cols;
    for (int64_t o = 0; o < outer; o++) {
        for (int64_t i = 0; i < inner; i++) {
            const int64_t group = columns_outer ? i : o, column = columns_outer ? o : i;
            /* Line groups never prefetch, so that none of their code holds prefetches: with them 64 x 224^2 NHWC
             * and NCHW16c to NCHW, streamed here, ran 1.06-1.28x faster, but the code (2.5 KB) did not fit
             * under 500,000 bytes. Only the staged transposes' tile rows ask for lines ahead. */
            full_tiles(LINE / NCI_V, stream, false, src, rows, cols, row_begin + group * LINE,
                       col_begin + column * NCI_V, dst);
        }
    }
    if (col_begin + tile_cols * NCI_V < col_end) {
        tile_rows(false, src, rows, cols, row_begin, row_end,
                  whole_tile_start(col_begin, col_begin + tile_cols * NCI_V, col_end), col_end, dst);
    }
}

/* The end of the column block starting at c: a last block narrower than a tile joins the one before. */
static int64_t column_block_end(int64_t c, int64_t col_end)
{
    return col_end - c < BLOCK + NCI_V ? col_end : c + BLOCK;
}

/* Rows [row_begin, row_end) with line groups from row `lines` on, blocks along the longer side outermost. */
static void transpose_blocks(bool stream, bool prefetch, const float *src, int64_t rows, int64_t cols,
                             int64_t row_begin, int64_t row_end, int64_t col_begin, int64_t col_end, int64_t lines,
                             float *dst)
{
    const int64_t lines_end = lines + (row_end - lines) / LINE * LINE;
    const int64_t rest = whole_tile_start(row_begin, lines_end, row_end);
    if (col_end - col_begin >= row_end - row_begin) {
        for (int64_t c = col_begin, c_end; c < col_end; c = c_end) {
            c_end = column_block_end(c, col_end);
            tile_rows(false, src, rows, cols, row_begin, lines, c, c_end, dst);
            for (int64_t r = lines; r < lines_end; r += BLOCK) {
                line_rows(stream, prefetch, src, rows, cols, r, lines_end - r < BLOCK ? lines_end : r + BLOCK, c,
                          c_end, dst);
            }
            tile_rows(false, src, rows, cols, rest, row_end, c, c_end, dst);
        }
        return;
    }
    tile_rows(false, src, rows, cols, row_begin, lines, col_begin, col_end, dst);
    const int64_t row_block = stream ? STREAM_ROWS : BLOCK;
    for (int64_t r = lines; r < lines_end; r += row_block) {
        const int64_t r_end = lines_end - r < row_block ? lines_end : r + row_block;
        for (int64_t c = col_begin, c_end; c < col_end; c = c_end) {
            c_end = column_block_end(c, col_end);
            line_rows(stream, prefetch, src, rows, cols, r, r_end, c, c_end, dst);
        }
    }
    tile_rows(false, src, rows, cols, rest, row_end, col_begin, col_end, dst);
}

#if defined(TRANSPOSE_STREAMS)
/* Stage size, 16 KiB: as many columns as fit, so a matrix of 16 rows (a channel block) reads 1 KB of
 * each source row per stage, not 256 bytes (64 x 224^2 NCHW to NCHW16c ran 1.16-1.32x faster). */
#define STAGE_FLOATS 4096

/* count floats from src to dst: non-temporal stores for the lines inside, ordinary ones at the ends. */
static void stream_copy(const float *src, int64_t count, float *dst)
{
    const int64_t offset = (int64_t)((uintptr_t)dst / sizeof(float) % NCI_V);
    int64_t i = offset == 0 ? 0 : NCI_V - offset;
    i = i < count ? i : count;
    v_store_mask(dst, v_mask_span(0, i), v_load_mask(src, v_mask_span(0, i)));
    for (; i + NCI_V <= count; i += NCI_V) {
        stream_store(dst + i, v_load(src + i));
    }
    v_store_mask(dst + i, v_mask_span(0, count - i), v_load_mask(src + i, v_mask_span(0, count - i)));
}

/* All rows of the matrix, blocks of `block` columns: each block's destination is one contiguous run,
 * transposed into an aligned stage in cache and streamed out whatever the destination's alignment. */
static void staged_blocks(const float *src, int64_t rows, int64_t cols, int64_t col_begin, int64_t col_end,
                          int64_t block, float *dst)
{
    nci_vf stage_vectors[STAGE_FLOATS / NCI_V];
    float *stage = (float *)stage_vectors;
    for (int64_t c = col_begin; c < col_end; c += block) {
        const int64_t width = col_end - c < block ? col_end - c : block;
        transpose_blocks(false, true, src + c, rows, cols, 0, rows, 0, width, 0, stage);
        stream_copy(stage, width * rows, dst + c * rows);
    }
}
#endif

#if defined(TRANSPOSE_GATHERS)
/* index[e] = e % period * stride + e / period for e in [0, count): where a narrow part's gathers read. */
NCI_OUTLINE void gather_offsets(int32_t *index, int64_t count, int64_t period, int64_t stride)
{
    for (int64_t e = 0, q = 0, m = 0; e < count; e++) {
        index[e] = (int32_t)(m * stride + q);
        if (++m == period) {
            m = 0;
            q++;
        }
    }
}

/* A transpose with a side narrower than a vector, the whole of that side: for each block of NCI_V lines
 * [begin, end) along the long side (the last moved back over lines already done), count vectors, the j-th
 * gathered from src + line * src_step at index + j * NCI_V and stored at dst + line * dst_step + j * dst_vector. */
NCI_OUTLINE void gathered_part(const float *src, int64_t src_step, int64_t begin, int64_t end, const int32_t *index,
                               int64_t count, float *dst, int64_t dst_step, int64_t dst_vector)
{
    for (int64_t line = begin; line < end; line += NCI_V) {
        const int64_t first = line + NCI_V <= end ? line : end - NCI_V;
        for (int64_t j = 0; j < count; j++) {
            v_store(dst + first * dst_step + j * dst_vector, gather(src + first * src_step, index + j * NCI_V));
        }
    }
}
#endif

static void run(const float *src, int64_t rows, int64_t cols, int64_t row_begin, int64_t row_end, int64_t col_begin,
                int64_t col_end, float *dst)
{
#if defined(TRANSPOSE_GATHERS)
    /* A whole narrow side in gathers: 3 channels x 224^2 ran 2.7-4.0x faster than one float at a time (one
     * thread; two threads 2.4-3.1x; Intel Xeon, Emerald Rapids, reorder_ab, AVX-512 and AVX2). At 3 x 1024^2,
     * past STREAM_BYTES, gathers with ordinary stores ran 1.9-3.8x faster than the staged and streamed paths.
     * Their offsets are int32. */
    int32_t index[NCI_V * NCI_V];
    if (cols < NCI_V && col_begin == 0 && col_end == cols && row_end - row_begin >= NCI_V) {
        /* Destination row c takes source rows [r, r + NCI_V) at column c. */
        gather_offsets(index, cols * NCI_V, NCI_V, cols);
        gathered_part(src, cols, row_begin, row_end, index, cols, dst, 1, rows);
        return;
    }
    if (rows < NCI_V && row_begin == 0 && row_end == rows && col_end - col_begin >= NCI_V &&
        cols < INT32_MAX / NCI_V) {
        /* The destination of NCI_V columns is rows whole vectors: float e of it is source row e % rows, column
         * e / rows. */
        gather_offsets(index, rows * NCI_V, rows, cols);
        gathered_part(src, 1, col_begin, col_end, index, rows, dst, rows, NCI_V);
        return;
    }
#endif
#if defined(TRANSPOSE_STREAMS)
    if (rows * cols * (int64_t)sizeof(float) > STREAM_BYTES) {
        const int64_t stage_cols = STAGE_FLOATS / rows / NCI_V * NCI_V;
        if (col_end - col_begin >= row_end - row_begin && row_begin == 0 && row_end == rows && stage_cols > 0) {
            staged_blocks(src, rows, cols, col_begin, col_end, stage_cols, dst);
            stream_fence();
            return;
        }
        /* Destination rows of whole lines all start at the same offset into a line, so the rows where
         * lines start are the same for every destination row. */
        const uintptr_t address = (uintptr_t)dst;
        if (rows % LINE == 0 && address % sizeof(float) == 0) {
            const int64_t offset = (int64_t)(address / sizeof(float) % LINE);
            const int64_t first = row_begin + ((LINE - offset - row_begin) % LINE + LINE) % LINE;
            transpose_blocks(true, true, src, rows, cols, row_begin, row_end, col_begin, col_end,
                             first < row_end ? first : row_end, dst);
            stream_fence();
            return;
        }
    }
#endif
    transpose_blocks(false, false, src, rows, cols, row_begin, row_end, col_begin, col_end, row_begin, dst);
}

const nci_transpose_kernel KERNEL_SYMBOL = {
    .name = KERNEL_NAME,
    .isa = KERNEL_ISA,
    .block = NCI_V,
    .run = run,
};
