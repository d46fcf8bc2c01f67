/* libFuzzer target for the layout conversions nc_reorder and nc_convert_filter: any request is either
 * refused with a status or gives exactly the element permutation the layouts define (a copy moves bits,
 * so NaN payloads must survive too), and converting back restores the original bit for bit. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_executor.h"
#include "fuzz_expect.h"
#include "fuzz_input.h"
#include "nativeconv.h"
#include "reference.h"

#define MAX_ELEMENTS ((int64_t)1 << 16)

static float *allocate(size_t count)
{
    if (count == 0) {
        return NULL;
    }
    float *p = malloc(count * sizeof(float));
    FUZZ_REQUIRE(p != NULL, "out of memory for %zu floats", count);
    return p;
}

/* Element count of a 4-D tensor, or -1 when it is not a small valid shape. */
static int64_t small_count(int64_t a, int64_t b, int64_t c, int64_t d, int64_t a_min)
{
    if (a < a_min || b < 1 || c < 1 || d < 1 || a > MAX_ELEMENTS || b > MAX_ELEMENTS || c > MAX_ELEMENTS ||
        d > MAX_ELEMENTS) {
        return -1;
    }
    int64_t count = a * b;
    count = count > MAX_ELEMENTS ? MAX_ELEMENTS + 1 : count * c;
    count = count > MAX_ELEMENTS ? MAX_ELEMENTS + 1 : count * d;
    return count > MAX_ELEMENTS ? -1 : count;
}

static void fuzz_activations(fuzz_input *in, const nc_executor *executor)
{
    const int32_t from = fuzz_enum(in, 3), to = fuzz_enum(in, 3);
    const int64_t n = fuzz_size(in, 3), c = fuzz_size(in, 40), h = fuzz_size(in, 12), w = fuzz_size(in, 36);
    const bool layouts_valid = from >= 0 && from <= 2 && to >= 0 && to <= 2;
    /* NCHW16c pads channels to whole blocks; the padded count bounds both buffers. */
    const int64_t count = small_count(n, c >= 1 && c <= MAX_ELEMENTS ? (c + 15) / 16 * 16 : c, h, w, 0);
    if (!layouts_valid || count < 0) {
        /* Invalid or too large to allocate: with no buffers the call must fail, never touch memory. */
        const bool valid_empty = layouts_valid && n == 0 && c >= 1 && h >= 1 && w >= 1;
        nc_status st = nc_reorder(from, to, n, c, h, w, NULL, 0, NULL, 0, executor);
        FUZZ_REQUIRE(st != NC_STATUS_OK || valid_empty, "reorder accepted: %d", (int)st);
        return;
    }
    const size_t src_size = (size_t)ref_layout_count(from, n, c, h, w), dst_size = (size_t)ref_layout_count(to, n, c, h, w);
    float *src = allocate(src_size), *dst = allocate(dst_size), *back = allocate(src_size);
    fuzz_floats(in, src, src_size);
    const nc_status st = nc_reorder(from, to, n, c, h, w, src, src_size, dst, dst_size, executor);
    if (executor != NULL && executor->max_threads == 0) {
        /* max_threads 0 breaks the executor contract (>= 1): refused, as by convolution and pooling. */
        FUZZ_REQUIRE(st == NC_STATUS_INVALID_ARGUMENT, "max_threads 0 accepted: status %d", (int)st);
        free(src);
        free(dst);
        free(back);
        return;
    }
    FUZZ_REQUIRE(st == NC_STATUS_OK, "reorder %d -> %d of %lld x %lld x %lld x %lld (executor %s, max_threads %zu): status %d",
                 (int)from, (int)to, (long long)n, (long long)c, (long long)h, (long long)w,
                 executor != NULL ? "yes" : "no", executor != NULL ? executor->max_threads : (size_t)0, (int)st);
    FUZZ_REQUIRE(nc_reorder(to, from, n, c, h, w, dst, dst_size, back, src_size, NULL) == NC_STATUS_OK, "reorder back");
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < c; j++)
            for (int64_t y = 0; y < h; y++)
                for (int64_t x = 0; x < w; x++) {
                    const int64_t s = ref_layout_index(from, c, h, w, i, j, y, x);
                    const int64_t d = ref_layout_index(to, c, h, w, i, j, y, x);
                    FUZZ_REQUIRE(memcmp(&src[s], &dst[d], sizeof(float)) == 0, "element (%lld,%lld,%lld,%lld) moved wrong",
                                 (long long)i, (long long)j, (long long)y, (long long)x);
                    FUZZ_REQUIRE(memcmp(&src[s], &back[s], sizeof(float)) == 0, "round trip changed bits");
                }
    /* The source's padding lanes hold fuzz bytes; what lands in a destination's padding lanes is zero. */
    FUZZ_REQUIRE(ref_nonzero_padding_lanes(to, dst, n, c, h, w) == 0, "padding lanes not zero after reorder");
    FUZZ_REQUIRE(ref_nonzero_padding_lanes(from, back, n, c, h, w) == 0, "padding lanes not zero after reorder back");
    if (src_size > 0) {
        FUZZ_REQUIRE(nc_reorder(from, to, n, c, h, w, src, src_size - 1, dst, dst_size, NULL) == NC_STATUS_BUFFER_SIZE,
                     "short src");
        FUZZ_REQUIRE(nc_reorder(from, to, n, c, h, w, src, src_size, dst, dst_size - 1, NULL) == NC_STATUS_BUFFER_SIZE,
                     "short dst");
    }
    if (src_size > 0 && src_size == dst_size) {
        FUZZ_REQUIRE(nc_reorder(from, to, n, c, h, w, src, src_size, src, src_size, NULL) == NC_STATUS_INVALID_ARGUMENT,
                     "in-place reorder accepted");
    }
    free(src);
    free(dst);
    free(back);
}

static void fuzz_filter(fuzz_input *in)
{
    const int32_t from = fuzz_enum(in, 2), to = fuzz_enum(in, 2);
    const int64_t k = fuzz_size(in, 40), c = fuzz_size(in, 40), r = fuzz_size(in, 5), s = fuzz_size(in, 5);
    const bool layouts_valid = from >= 0 && from <= 1 && to >= 0 && to <= 1;
    const int64_t count = small_count(k, c, r, s, 1);
    if (!layouts_valid || count < 0) {
        nc_status st = nc_convert_filter(from, to, k, c, r, s, NULL, 0, NULL, 0);
        FUZZ_REQUIRE(st != NC_STATUS_OK, "filter conversion accepted: %d", (int)st);
        return;
    }
    const size_t size = (size_t)count;
    float *src = allocate(size), *dst = allocate(size), *back = allocate(size);
    fuzz_floats(in, src, size);
    FUZZ_REQUIRE(nc_convert_filter(from, to, k, c, r, s, src, size, dst, size) == NC_STATUS_OK, "convert");
    for (int64_t o = 0; o < k; o++)
        for (int64_t i = 0; i < c; i++)
            for (int64_t y = 0; y < r; y++)
                for (int64_t x = 0; x < s; x++) {
                    const size_t oihw = (size_t)(((o * c + i) * r + y) * s + x);
                    const size_t hwio = (size_t)(((y * s + x) * c + i) * k + o);
                    const size_t a = from == NC_FILTER_OIHW ? oihw : hwio, b = to == NC_FILTER_OIHW ? oihw : hwio;
                    FUZZ_REQUIRE(memcmp(&src[a], &dst[b], sizeof(float)) == 0, "weight (%lld,%lld,%lld,%lld) moved wrong",
                                 (long long)o, (long long)i, (long long)y, (long long)x);
                }
    FUZZ_REQUIRE(nc_convert_filter(to, from, k, c, r, s, dst, size, back, size) == NC_STATUS_OK, "convert back");
    FUZZ_REQUIRE(memcmp(src, back, size * sizeof(float)) == 0, "round trip changed bits");
    FUZZ_REQUIRE(nc_convert_filter(from, to, k, c, r, s, src, size - 1, dst, size) == NC_STATUS_BUFFER_SIZE, "short src");
    free(src);
    free(dst);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    const uint8_t mode = fuzz_byte(&in), threads = fuzz_byte(&in);
    fuzz_executor_state state = {(fuzz_order)((threads >> 4) % 3), 0, MAX_ELEMENTS};
    nc_executor executor = {&state, fuzz_parallel_for, (size_t)(threads % 16)};
    if (mode % 2 == 0) {
        fuzz_activations(&in, mode & 2 ? &executor : NULL);
    } else {
        fuzz_filter(&in);
    }
    return 0;
}
