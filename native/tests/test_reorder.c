/* nc_reorder and nc_convert_filter against the reference loops, under every ISA cap, serially and
 * split into tasks, plus argument validation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nativeconv.h"
#include "reference.h"
#include "test_util.h"

/* alignment 0 takes malloc's. */
static float *random_floats_at(test_rng *rng, int64_t count, size_t alignment)
{
    const size_t bytes = (size_t)(count > 0 ? count : 1) * sizeof(float);
    float *p = alignment == 0 ? malloc(bytes)
                              : aligned_alloc(alignment, (bytes + alignment - 1) / alignment * alignment);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (int64_t i = 0; i < count; i++) {
        p[i] = test_float(rng);
    }
    return p;
}

static float *random_floats(test_rng *rng, int64_t count)
{
    return random_floats_at(rng, count, 0);
}

/* Runs the tasks last to first on the calling thread, so a split that drops or repeats work shows. */
static void reversed_parallel_for(void *context, nc_task_fn task, void *task_context, size_t task_count)
{
    (void)context;
    for (size_t i = task_count; i-- > 0;) {
        task(task_context, i);
    }
}

static void check_activations(test_rng *rng, int64_t n, int64_t c, int64_t h, int64_t w, const nc_executor *executor)
{
    const int64_t count = n * c * h * w;
    float *nchw = random_floats(rng, count), *expected = random_floats(rng, count);
    float *nhwc = random_floats(rng, count), *back = random_floats(rng, count);
    const size_t size = (size_t)count;
    ref_nchw_to_nhwc(nchw, expected, n, c, h, w);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, n, c, h, w, count > 0 ? nchw : NULL, size,
                            count > 0 ? nhwc : NULL, size, executor),
                 NC_STATUS_OK);
    CHECK(memcmp(nhwc, expected, size * sizeof(float)) == 0);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NHWC, NC_LAYOUT_NCHW, n, c, h, w, count > 0 ? nhwc : NULL, size,
                            count > 0 ? back : NULL, size, executor),
                 NC_STATUS_OK);
    CHECK(memcmp(back, nchw, size * sizeof(float)) == 0);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NHWC, NC_LAYOUT_NHWC, n, c, h, w, count > 0 ? nhwc : NULL, size,
                            count > 0 ? back : NULL, size, executor),
                 NC_STATUS_OK);
    CHECK(memcmp(back, nhwc, size * sizeof(float)) == 0);
    if (test_failures != 0) {
        fprintf(stderr, "reorder failed: n %lld c %lld h %lld w %lld\n", (long long)n, (long long)c, (long long)h,
                (long long)w);
        exit(1);
    }
    free(nchw);
    free(expected);
    free(nhwc);
    free(back);
}

/* Every pair of layouts with NCHW16c on a side, against the reference loops, into a destination with the given
 * alignment (0: malloc's). The source's padding lanes hold NaN and the destination starts as NaN: the result must
 * equal the reference bit for bit, zero lanes included. */
static void check_blocked_at(test_rng *rng, int64_t n, int64_t c, int64_t h, int64_t w, const nc_executor *executor,
                             size_t dst_alignment)
{
    const int64_t plain = n * c * h * w, blocked = ref_layout_count(NC_LAYOUT_NCHW16C, n, c, h, w);
    float *nchw = random_floats(rng, plain);
    float *src = random_floats(rng, blocked), *dst = random_floats_at(rng, blocked, dst_alignment);
    float *expected = random_floats(rng, blocked);
    for (int32_t from = NC_LAYOUT_NCHW; from <= NC_LAYOUT_NCHW16C; from++) {
        for (int32_t to = NC_LAYOUT_NCHW; to <= NC_LAYOUT_NCHW16C; to++) {
            if (from != NC_LAYOUT_NCHW16C && to != NC_LAYOUT_NCHW16C) {
                continue;
            }
            const int64_t src_count = ref_layout_count(from, n, c, h, w), dst_count = ref_layout_count(to, n, c, h, w);
            ref_from_nchw(from, nchw, src, n, c, h, w, NAN);
            ref_from_nchw(to, nchw, expected, n, c, h, w, 0.0f);
            for (int64_t i = 0; i < dst_count; i++) {
                dst[i] = NAN;
            }
            CHECK_STATUS(nc_reorder(from, to, n, c, h, w, src_count > 0 ? src : NULL, (size_t)src_count,
                                    dst_count > 0 ? dst : NULL, (size_t)dst_count, executor),
                         NC_STATUS_OK);
            if (memcmp(dst, expected, (size_t)dst_count * sizeof(float)) != 0) {
                fprintf(stderr, "reorder %d -> %d failed: n %lld c %lld h %lld w %lld\n", from, to, (long long)n,
                        (long long)c, (long long)h, (long long)w);
                test_failures++;
            }
        }
    }
    if (plain > 0) {
        CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NCHW16C, n, c, h, w, nchw, (size_t)plain, dst,
                                (size_t)blocked - 1, executor),
                     NC_STATUS_BUFFER_SIZE);
    }
    free(nchw);
    free(src);
    free(dst);
    free(expected);
}

static void check_blocked(test_rng *rng, int64_t n, int64_t c, int64_t h, int64_t w, const nc_executor *executor)
{
    check_blocked_at(rng, n, c, h, w, executor, 0);
}

static void check_filter(test_rng *rng, int64_t k, int64_t c, int64_t r, int64_t s)
{
    const int64_t count = k * c * r * s;
    float *oihw = random_floats(rng, count), *expected = random_floats(rng, count);
    float *hwio = random_floats(rng, count), *back = random_floats(rng, count);
    const size_t size = (size_t)count;
    ref_oihw_to_hwio(oihw, expected, k, c, r, s);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_OIHW, NC_FILTER_HWIO, k, c, r, s, oihw, size, hwio, size), NC_STATUS_OK);
    CHECK(memcmp(hwio, expected, size * sizeof(float)) == 0);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_HWIO, NC_FILTER_OIHW, k, c, r, s, hwio, size, back, size), NC_STATUS_OK);
    CHECK(memcmp(back, oihw, size * sizeof(float)) == 0);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_HWIO, NC_FILTER_HWIO, k, c, r, s, hwio, size, back, size), NC_STATUS_OK);
    CHECK(memcmp(back, hwio, size * sizeof(float)) == 0);
    free(oihw);
    free(expected);
    free(hwio);
    free(back);
}

static void check_validation(void)
{
    float a[24] = {0}, b[24] = {0};
    CHECK_STATUS(nc_reorder(3, NC_LAYOUT_NCHW, 1, 2, 3, 4, a, 24, b, 24, NULL), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, -1, 1, 2, 3, 4, a, 24, b, 24, NULL), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, -1, 2, 3, 4, a, 24, b, 24, NULL),
                 NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, 0, 3, 4, a, 24, b, 24, NULL),
                 NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, 2, 3, 4, NULL, 24, b, 24, NULL),
                 NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, 2, 3, 4, a, 24, NULL, 24, NULL),
                 NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, 2, 3, 4, a, 23, b, 24, NULL), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, 2, 3, 4, a, 24, b, 25, NULL), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, 2, 3, 2, a, 12, a + 6, 12, NULL),
                 NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 0, 2, 3, 4, NULL, 0, NULL, 0, NULL), NC_STATUS_OK);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, INT64_MAX / 2, 3, 4, a, 24, b, 24, NULL),
                 NC_STATUS_OVERFLOW);
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 0, INT64_MAX / 2, 3, 4, NULL, 0, NULL, 0, NULL),
                 NC_STATUS_OVERFLOW);
    const nc_executor broken = {.context = NULL, .parallel_for = NULL, .max_threads = 2};
    CHECK_STATUS(nc_reorder(NC_LAYOUT_NCHW, NC_LAYOUT_NHWC, 1, 2, 3, 4, a, 24, b, 24, &broken),
                 NC_STATUS_INVALID_ARGUMENT);

    CHECK_STATUS(nc_convert_filter(NC_FILTER_OIHW, 7, 2, 3, 2, 2, a, 24, b, 24), NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_OIHW, NC_FILTER_HWIO, 2, 3, 0, 2, a, 24, b, 24),
                 NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_OIHW, NC_FILTER_HWIO, 2, 3, 2, 2, NULL, 24, b, 24),
                 NC_STATUS_NULL_POINTER);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_OIHW, NC_FILTER_HWIO, 2, 3, 2, 2, a, 24, b, 12), NC_STATUS_BUFFER_SIZE);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_OIHW, NC_FILTER_HWIO, 2, 3, 2, 2, a, 24, a, 24),
                 NC_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(nc_convert_filter(NC_FILTER_OIHW, NC_FILTER_HWIO, INT64_MAX, 3, 2, 2, a, 24, b, 24),
                 NC_STATUS_OVERFLOW);
}

int main(void)
{
    const nc_executor split = {.context = NULL, .parallel_for = reversed_parallel_for, .max_threads = 3};
    const int32_t best = nc_active_isa();
    for (int32_t isa = NC_ISA_SCALAR; isa <= best; isa++) {
        CHECK_STATUS(nc_set_max_isa(isa), NC_STATUS_OK);
        test_rng rng = {4242u};
        for (int i = 0; i < 150; i++) {
            const int64_t n = test_int(&rng, 0, 3), c = test_int(&rng, 1, 40);
            const int64_t h = test_int(&rng, 1, 12), w = test_int(&rng, 1, 20);
            check_activations(&rng, n, c, h, w, i % 2 == 0 ? NULL : &split);
            check_blocked(&rng, n, c, h, w, i % 2 == 0 ? NULL : &split);
        }
        /* One channel or one pixel: the two layouts hold the same order, copied whole; two pixels do not. */
        check_activations(&rng, 2, 1, 9, 7, &split);
        check_activations(&rng, 3, 20, 1, 1, NULL);
        check_activations(&rng, 2, 5, 1, 2, &split);
        check_blocked(&rng, 2, 67, 41, 43, &split);
        check_blocked(&rng, 1, 64, 56, 56, &split);
        /* Small enough to stay in cache, with a partial last block: one task per thread where the three
         * threads' tasks come out near-equal (an image each; two of six channel blocks, or 18-19 of 55 pixel runs
         * into NHWC), four tasks a thread where they would not (two images of three blocks). */
        check_blocked(&rng, 3, 37, 30, 29, &split);
        check_blocked(&rng, 1, 90, 30, 29, &split);
        check_blocked(&rng, 2, 37, 30, 29, &split);
        /* Large enough to be split into tasks, with tile edges on both axes. */
        check_activations(&rng, 2, 67, 41, 43, &split);
        check_activations(&rng, 1, 64, 56, 56, &split);
        /* Past the transposes' 2 MiB streaming threshold. NCHW to NHWC with 37 channels goes through the
         * staged copy; back, 17030 pixels (not whole lines) take ordinary stores and 17408 pixels stream in
         * line groups, whole or split into tasks. 528 channels are too many rows for the stage and stream
         * in line groups both ways. */
        check_activations(&rng, 1, 37, 130, 131, &split);
        check_activations(&rng, 1, 37, 128, 136, NULL);
        check_activations(&rng, 1, 37, 128, 136, &split);
        check_activations(&rng, 1, 528, 32, 32, &split);
        /* Fewer channels than a vector past 2 MiB: the x86 transposes gather the narrow side whatever the size (3
         * channels into NHWC were staged and streamed before), the last vector of 276,651 pixels moved back. */
        check_activations(&rng, 1, 3, 521, 531, &split);
        check_activations(&rng, 1, 13, 201, 203, NULL);
        /* A channel block past the streaming threshold: from NCHW it is staged 256 columns at a time,
         * whole or split into tasks; back, 34752 pixels stream in line groups and 34390 take ordinary
         * stores. */
        check_blocked(&rng, 1, 20, 181, 192, NULL);
        check_blocked(&rng, 1, 20, 181, 192, &split);
        check_blocked(&rng, 1, 20, 190, 181, &split);
        /* Past 2 MiB into a line-aligned destination, NHWC <-> NCHW16c copies each pixel's block with
         * non-temporal stores (x86): into NCHW16c always, into NHWC when the channels fill whole blocks; with
         * 36 channels the partial block takes ordinary stores beside the streamed ones. */
        check_blocked_at(&rng, 1, 32, 130, 131, NULL, 64);
        check_blocked_at(&rng, 2, 32, 97, 101, &split, 64);
        check_blocked_at(&rng, 1, 36, 130, 131, &split, 64);
        for (int i = 0; i < 40; i++) {
            check_filter(&rng, test_int(&rng, 1, 20), test_int(&rng, 1, 20), test_int(&rng, 1, 5),
                         test_int(&rng, 1, 5));
        }
    }
    CHECK_STATUS(nc_set_max_isa(best), NC_STATUS_OK);
    check_validation();
    return test_finish("test_reorder");
}
