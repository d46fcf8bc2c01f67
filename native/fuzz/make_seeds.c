/* Writes the seed corpus of both fuzz targets in the byte format of fuzz_input.h: valid requests that
 * reach every kernel family (NCHW and NHWC, grouped and depthwise, strided, dilated, padded, with each
 * activation; max and average pooling in every mode) on every ISA cap, followed by tensor bytes that
 * include the IEEE specials. The fuzzer mutates from there into the hostile cases.
 * Usage: make_seeds <conv corpus dir> <pool corpus dir> <reorder corpus dir> */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "nativeconv.h"

typedef struct seed {
    uint8_t bytes[1024];
    size_t size;
} seed;

static void put(seed *s, uint8_t b)
{
    if (s->size < sizeof s->bytes) {
        s->bytes[s->size++] = b;
    }
}

static void put_size(seed *s, int64_t v)
{
    put(s, (uint8_t)(v + 2));
}

/* Tensor bytes: small values mostly, and every 29th element an IEEE special when asked for. */
static void put_tensor_bytes(seed *s, uint32_t salt, int specials)
{
    uint32_t state = 2654435761u * (salt + 1);
    while (s->size < sizeof s->bytes) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        uint8_t b = (uint8_t)(state % FUZZ_SPECIALS_FIRST);
        if (specials && state % 29 == 0) {
            b = (uint8_t)(FUZZ_SPECIALS_FIRST + state / 29 % (256 - FUZZ_SPECIALS_FIRST));
        }
        put(s, b);
    }
}

static void write_seed(const char *dir, const char *prefix, int index, const seed *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s-%03d", dir, prefix, index);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(s->bytes, 1, s->size, f) != s->size || fclose(f) != 0) {
        fprintf(stderr, "make_seeds: cannot write %s\n", path);
        exit(1);
    }
}

typedef struct conv_shape {
    int64_t n, c, h, w, k, r, s, stride_h, stride_w, pad, dilation, groups;
} conv_shape;

static const conv_shape conv_shapes[] = {
    {1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1},      {2, 4, 7, 13, 6, 3, 3, 2, 2, 1, 1, 2},
    {1, 8, 6, 17, 8, 3, 3, 1, 1, 1, 1, 8},     {1, 6, 9, 33, 12, 3, 3, 1, 1, 1, 1, 6},
    {1, 5, 5, 5, 7, 1, 1, 1, 1, 0, 1, 1},      {1, 16, 4, 20, 24, 1, 1, 1, 1, 0, 1, 1},
    {1, 2, 12, 12, 3, 5, 5, 3, 3, 2, 1, 1},    {1, 4, 10, 11, 4, 3, 3, 1, 1, 2, 2, 4},
    {3, 1, 6, 36, 1, 2, 4, 1, 2, 0, 1, 1},     {1, 40, 3, 9, 40, 3, 3, 1, 1, 1, 1, 40},
    {1, 33, 4, 19, 17, 1, 3, 1, 1, 1, 1, 1},   {0, 3, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1},
    {1, 12, 5, 31, 36, 3, 1, 2, 1, 1, 3, 4},   {2, 9, 7, 7, 18, 3, 3, 1, 1, 4, 1, 9},
};

static const conv_shape *conv_at(int i)
{
    return &conv_shapes[i % (int)(sizeof conv_shapes / sizeof conv_shapes[0])];
}

static int write_conv_seeds(const char *dir)
{
    int count = 0;
    const int shapes = (int)(sizeof conv_shapes / sizeof conv_shapes[0]);
    for (int i = 0; i < shapes * 3; i++) {
        const conv_shape *c = conv_at(i);
        seed s = {{0}, 0};
        put(&s, (uint8_t)(i % 3));                             /* ISA cap: scalar, avx2, avx512 */
        put(&s, (uint8_t)((i % 3) << 4 | (1 + i % 8)));       /* order and max_threads */
        put(&s, (uint8_t)(i % 2));                             /* bias */
        put_size(&s, c->n);
        put_size(&s, c->c);
        put_size(&s, c->h);
        put_size(&s, c->w);
        put_size(&s, c->k);
        put_size(&s, c->r);
        put_size(&s, c->s);
        put_size(&s, c->stride_h);
        put_size(&s, c->stride_w);
        for (int side = 0; side < 4; side++) {
            put_size(&s, side == 3 && i % 2 ? 0 : c->pad);
        }
        put_size(&s, c->dilation);
        put_size(&s, c->dilation);
        put_size(&s, c->groups);
        put(&s, (uint8_t)(i / shapes % 3));  /* layout */
        put(&s, (uint8_t)(i % 2));           /* filter layout */
        put(&s, (uint8_t)(i % 3));           /* activation */
        put(&s, (uint8_t)(i / 5 % 2));       /* accumulate */
        put(&s, 2);                          /* clamp -1 .. 6 */
        put(&s, 1);
        put_tensor_bytes(&s, (uint32_t)i, i % 4 == 3);
        write_seed(dir, "conv", count++, &s);
    }
    return count;
}

typedef struct pool_shape {
    int64_t n, c, h, w, kh, kw, sh, sw, pad, dilation;
} pool_shape;

static const pool_shape pool_shapes[] = {
    {1, 3, 8, 8, 2, 2, 2, 2, 0, 1},   {2, 5, 9, 13, 3, 3, 2, 2, 1, 1}, {1, 16, 7, 7, 3, 3, 1, 1, 1, 1},
    {1, 4, 12, 36, 5, 5, 3, 3, 2, 1}, {1, 33, 4, 19, 3, 1, 1, 2, 1, 1}, {1, 2, 11, 11, 3, 3, 2, 2, 1, 2},
    {3, 1, 5, 6, 1, 1, 1, 1, 0, 1},   {0, 2, 4, 4, 2, 2, 2, 2, 0, 1},  {1, 40, 6, 9, 4, 2, 3, 1, 2, 1},
};

static int write_pool_seeds(const char *dir)
{
    int count = 0;
    const int shapes = (int)(sizeof pool_shapes / sizeof pool_shapes[0]);
    for (int i = 0; i < shapes * 12; i++) {
        const pool_shape *p = &pool_shapes[i % shapes];
        const int kind = i / shapes % 2, layout = i / shapes / 2 % 3, mode = i / shapes / 6 % 2;
        seed s = {{0}, 0};
        put(&s, (uint8_t)(i % 3));
        put(&s, (uint8_t)((i % 3) << 4 | (1 + i % 8)));
        put_size(&s, p->n);
        put_size(&s, p->c);
        put_size(&s, p->h);
        put_size(&s, p->w);
        put_size(&s, p->kh);
        put_size(&s, p->kw);
        put_size(&s, p->sh);
        put_size(&s, p->sw);
        for (int side = 0; side < 4; side++) {
            put_size(&s, p->pad > p->kh / 2 || p->pad > p->kw / 2 ? 0 : p->pad);
        }
        put_size(&s, kind == NC_POOL_AVERAGE ? 1 : p->dilation);
        put_size(&s, kind == NC_POOL_AVERAGE ? 1 : p->dilation);
        put(&s, (uint8_t)kind);
        put(&s, (uint8_t)layout);
        /* ceil mode and count-include-pad alternate; every 9th seed pools globally */
        put(&s, (uint8_t)((mode ? NC_POOL2D_CEIL_MODE : 0) | (i % 2 ? NC_POOL2D_COUNT_INCLUDE_PAD : 0) |
                          (i % 9 == 4 ? NC_POOL2D_GLOBAL : 0)));
        put(&s, (uint8_t)(i % 3)); /* activation */
        put(&s, 2);                /* clamp -1 .. 6 */
        put(&s, 1);
        put_tensor_bytes(&s, (uint32_t)i + 1000u, i % 3 == 2);
        write_seed(dir, "pool", count++, &s);
    }
    return count;
}

/* Pooling inputs that once failed a CI fuzz run, kept as seeds so that every run replays them first: a
 * one-row window with dilation near INT64_MAX (the kernel's row step overflowed), and a window of 65536 x
 * 2^62 taps (this harness's work bound overflowed). */
static const seed pool_findings[] = {
    {{0x01, 0x10, 0x03, 0x06, 0x03, 0x15, 0x23, 0x05, 0x03, 0x04, 0x02, 0x02, 0x02, 0x02, 0xf0, 0x03, 0x10}, 17},
    {{0x00, 0x11, 0x03, 0x23, 0x06, 0x15, 0xfb, 0xfc, 0xfc, 0xfc, 0x02, 0x02, 0x02, 0x02, 0x03, 0xb7, 0x29, 0x32,
      0x2b, 0x8d, 0x79, 0x05, 0x4f, 0xdf, 0x3b, 0xd4, 0xc5},
     27},
};

static int write_pool_findings(const char *dir)
{
    const int count = (int)(sizeof pool_findings / sizeof pool_findings[0]);
    for (int i = 0; i < count; i++) {
        write_seed(dir, "pool-found", i, &pool_findings[i]);
    }
    return count;
}

/* Activation reorders (mode 0 serial, 2 on the executor) and filter conversions (mode 1) both ways. */
static int write_reorder_seeds(const char *dir)
{
    static const int64_t shapes[][4] = {{1, 3, 5, 7}, {2, 16, 4, 9}, {1, 33, 3, 17}, {0, 4, 2, 2}, {3, 1, 12, 36}};
    int count = 0;
    for (int i = 0; i < 5 * 6; i++) {
        const int64_t *shape = shapes[i % 5];
        const int mode = i / 5 % 3 == 2 ? 1 : (i / 5 % 3) * 2;
        seed s = {{0}, 0};
        put(&s, (uint8_t)mode);
        put(&s, (uint8_t)((i % 3) << 4 | (1 + i % 8)));
        put(&s, (uint8_t)(i % 3));           /* from layout */
        put(&s, (uint8_t)((i / 3 + 1) % 3)); /* to layout */
        for (int d = 0; d < 4; d++) {
            put_size(&s, mode == 1 && shape[d] == 0 ? 1 : shape[d]);
        }
        put_tensor_bytes(&s, (uint32_t)i + 2000u, i % 2);
        write_seed(dir, "reorder", count++, &s);
    }
    return count;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: make_seeds <conv corpus dir> <pool corpus dir> <reorder corpus dir>\n");
        return 2;
    }
    int conv = write_conv_seeds(argv[1]);
    int pool = write_pool_seeds(argv[2]) + write_pool_findings(argv[2]);
    int reorder = write_reorder_seeds(argv[3]);
    printf("make_seeds: %d conv, %d pool and %d reorder seeds\n", conv, pool, reorder);
    return 0;
}
