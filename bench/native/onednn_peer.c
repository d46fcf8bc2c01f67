#include "onednn_peer.h"

#include <dnnl.h>
#include <dnnl_debug.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct onednn_primitive {
    dnnl_primitive_t primitive;
    dnnl_exec_arg_t args[4];
    int arg_count;
    dnnl_memory_desc_t plain_dst;
    /* The activation layout of a pooling primitive in NativeConv's spelling, e.g. "nchw8c"; NULL for
     * convolutions. */
    const char *format;
    char *impl;
};

static dnnl_engine_t engine;
static dnnl_stream_t stream;

#define CHECK(call)                                                                                \
    do {                                                                                           \
        dnnl_status_t check_status_ = (call);                                                      \
        if (check_status_ != dnnl_success) {                                                       \
            fprintf(stderr, "oneDNN: %s failed: %s\n", #call, dnnl_status2str(check_status_));    \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

bool onednn_available(void)
{
    return true;
}

const char *onednn_version_string(void)
{
    static char text[32];
    const dnnl_version_t *v = dnnl_version();
    snprintf(text, sizeof text, "%d.%d.%d", v->major, v->minor, v->patch);
    return text;
}

void onednn_bind_threads(char **argv)
{
#if defined(__linux__)
    if (getenv("OMP_PROC_BIND") != NULL) {
        return;
    }
    setenv("OMP_PROC_BIND", "true", 1);
    if (getenv("OMP_PLACES") == NULL) {
        setenv("OMP_PLACES", "cores", 1);
    }
    execv("/proc/self/exe", argv);
    perror("re-executing with OMP_PROC_BIND=true");
#else
    (void)argv;
#endif
}

void onednn_set_threads(int threads)
{
    omp_set_num_threads(threads);
}

static bool ensure_engine(void)
{
    if (engine != NULL) {
        return true;
    }
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
    return true;
fail:
    return false;
}

/* A memory object owning its buffer, filled from a plain array of count floats when data is given. */
static dnnl_memory_t new_memory(const dnnl_memory_desc_t *md, const float *data, size_t count)
{
    dnnl_memory_t memory = NULL;
    void *handle;
    CHECK(dnnl_memory_create(&memory, md, engine, DNNL_MEMORY_ALLOCATE));
    if (data != NULL) {
        CHECK(dnnl_memory_get_data_handle(memory, &handle));
        memcpy(handle, data, count * sizeof(float));
    }
    return memory;
fail:
    dnnl_memory_destroy(memory);
    return NULL;
}

static bool reorder(dnnl_memory_t from, dnnl_memory_t to)
{
    const dnnl_memory_desc_t *from_md, *to_md;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_primitive_t primitive = NULL;
    bool ok = false;
    CHECK(dnnl_memory_get_memory_desc(from, &from_md));
    CHECK(dnnl_memory_get_memory_desc(to, &to_md));
    CHECK(dnnl_reorder_primitive_desc_create(&pd, from_md, engine, to_md, engine, NULL));
    CHECK(dnnl_primitive_create(&primitive, pd));
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    CHECK(dnnl_primitive_execute(primitive, stream, 2, args));
    CHECK(dnnl_stream_wait(stream));
    ok = true;
fail:
    dnnl_primitive_destroy(primitive);
    dnnl_primitive_desc_destroy(pd);
    return ok;
}

/* Memory in the layout the primitive chose (md), holding data given in the plain layout user_md. */
static dnnl_memory_t converted_memory(const dnnl_memory_desc_t *md, const dnnl_memory_desc_t *user_md,
                                      const float *data)
{
    dnnl_memory_t user = new_memory(user_md, data, dnnl_memory_desc_get_size(user_md) / sizeof(float));
    dnnl_memory_t memory = user != NULL ? new_memory(md, NULL, 0) : NULL;
    if (memory != NULL && !reorder(user, memory)) {
        dnnl_memory_destroy(memory);
        memory = NULL;
    }
    dnnl_memory_destroy(user);
    return memory;
}

static onednn_primitive *finish(dnnl_primitive_desc_t pd, onednn_primitive *p)
{
    const char *impl = NULL;
    CHECK(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl));
    /* oneDNN's reference loops (e.g. nChw16c capped to AVX2, whose native block is 8) are no peer: timing
     * them would only stretch the run, so that contract counts as absent. */
    if (impl != NULL && strncmp(impl, "ref", 3) == 0) {
        goto fail;
    }
    p->impl = strdup(impl != NULL ? impl : "?");
    CHECK(dnnl_primitive_create(&p->primitive, pd));
    dnnl_primitive_desc_destroy(pd);
    return p;
fail:
    dnnl_primitive_desc_destroy(pd);
    onednn_destroy(p);
    return NULL;
}

static dnnl_format_tag_t activation_tag(int32_t layout)
{
    return layout == NC_LAYOUT_NHWC ? dnnl_nhwc : layout == NC_LAYOUT_NCHW16C ? dnnl_nChw16c : dnnl_nchw;
}

onednn_primitive *onednn_conv_create(const nc_conv2d_desc *desc, onednn_mode mode, const float *input,
                                     const float *filter, const float *bias)
{
    nc_tensor_sizes sizes;
    if (!ensure_engine() || nc_conv2d_query(desc, &sizes, NULL, 0) != NC_STATUS_OK) {
        return NULL;
    }
    onednn_primitive *p = calloc(1, sizeof *p);
    dnnl_primitive_desc_t pd = NULL;
    if (p == NULL) {
        return NULL;
    }
    const int grouped = desc->groups > 1;
    const int weight_dims = grouped ? 5 : 4;
    const dnnl_dims_t src_dims = {desc->batch, desc->in_channels, desc->in_height, desc->in_width};
    const dnnl_dims_t dst_dims = {desc->batch, desc->out_channels, sizes.out_height, sizes.out_width};
    const dnnl_dims_t weight_shape = {desc->out_channels, desc->in_channels / desc->groups, desc->kernel_height,
                                      desc->kernel_width};
    const dnnl_dims_t group_shape = {desc->groups, desc->out_channels / desc->groups,
                                     desc->in_channels / desc->groups, desc->kernel_height, desc->kernel_width};
    const dnnl_dims_t bias_dims = {desc->out_channels};
    const int64_t *weight_sizes = grouped ? group_shape : weight_shape;
    const dnnl_format_tag_t act_tag = activation_tag(desc->layout);
    const dnnl_format_tag_t user_weight_tag = grouped ? dnnl_goihw : dnnl_oihw;
    /* With nChw16c activations oneDNN's blocked kernels want blocked weights too; they are reordered at
     * creation, outside the timed loop, as NativeConv packs its weights in the plan. */
    const dnnl_format_tag_t same_weight_tag =
        desc->layout == NC_LAYOUT_NHWC      ? (grouped ? dnnl_hwigo : dnnl_hwio)
        : desc->layout == NC_LAYOUT_NCHW16C ? dnnl_format_tag_any
                                            : user_weight_tag;
    const int blocked = mode == ONEDNN_BLOCKED;

    dnnl_memory_desc_t src_md, weight_md, bias_md, dst_md, user_src_md, user_weight_md;
    CHECK(dnnl_memory_desc_init_by_tag(&src_md, 4, src_dims, dnnl_f32, blocked ? dnnl_format_tag_any : act_tag));
    CHECK(dnnl_memory_desc_init_by_tag(&weight_md, weight_dims, weight_sizes, dnnl_f32,
                                       blocked ? dnnl_format_tag_any : same_weight_tag));
    CHECK(dnnl_memory_desc_init_by_tag(&bias_md, 1, bias_dims, dnnl_f32, dnnl_x));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_md, 4, dst_dims, dnnl_f32, blocked ? dnnl_format_tag_any : act_tag));
    CHECK(dnnl_memory_desc_init_by_tag(&user_src_md, 4, src_dims, dnnl_f32, act_tag));
    CHECK(dnnl_memory_desc_init_by_tag(&user_weight_md, weight_dims, weight_sizes, dnnl_f32, user_weight_tag));
    CHECK(dnnl_memory_desc_init_by_tag(&p->plain_dst, 4, dst_dims, dnnl_f32, act_tag));

    const dnnl_dims_t strides = {desc->stride_height, desc->stride_width};
    const dnnl_dims_t pad_l = {desc->pad_top, desc->pad_left};
    const dnnl_dims_t pad_r = {desc->pad_bottom, desc->pad_right};
    dnnl_convolution_desc_t conv;
    CHECK(dnnl_convolution_forward_desc_init(&conv, dnnl_forward_inference, dnnl_convolution_direct, &src_md,
                                             &weight_md, &bias_md, &dst_md, strides, pad_l, pad_r));
    CHECK(dnnl_primitive_desc_create(&pd, &conv, NULL, engine, NULL));

    dnnl_memory_t src = converted_memory(dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0), &user_src_md, input);
    dnnl_memory_t weights =
        converted_memory(dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0), &user_weight_md, filter);
    dnnl_memory_t bias_memory = new_memory(&bias_md, bias, (size_t)desc->out_channels);
    dnnl_memory_t dst = new_memory(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), NULL, 0);
    p->args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, src};
    p->args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, weights};
    p->args[2] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, bias_memory};
    p->args[3] = (dnnl_exec_arg_t){DNNL_ARG_DST, dst};
    p->arg_count = 4;
    if (src == NULL || weights == NULL || bias_memory == NULL || dst == NULL) {
        goto fail;
    }
    return finish(pd, p);
fail:
    dnnl_primitive_desc_destroy(pd);
    onednn_destroy(p);
    return NULL;
}

/* Pooling with both tensors in tag; input holds the data in user_tag, reordered into tag when they differ. */
static onednn_primitive *pool_create(const nc_pool2d_desc *desc, const float *input, dnnl_format_tag_t tag,
                                     dnnl_format_tag_t user_tag)
{
    nc_tensor_sizes sizes;
    if (!ensure_engine() || nc_pool2d_query(desc, &sizes, NULL, 0) != NC_STATUS_OK) {
        return NULL;
    }
    onednn_primitive *p = calloc(1, sizeof *p);
    dnnl_primitive_desc_t pd = NULL;
    if (p == NULL) {
        return NULL;
    }
    const int global = (desc->flags & NC_POOL2D_GLOBAL) != 0;
    const dnnl_dims_t src_dims = {desc->batch, desc->channels, desc->in_height, desc->in_width};
    const dnnl_dims_t dst_dims = {desc->batch, desc->channels, sizes.out_height, sizes.out_width};
    const dnnl_dims_t strides = {global ? 1 : desc->stride_height, global ? 1 : desc->stride_width};
    const dnnl_dims_t kernel = {global ? desc->in_height : desc->kernel_height,
                                global ? desc->in_width : desc->kernel_width};
    const dnnl_dims_t pad_l = {global ? 0 : desc->pad_top, global ? 0 : desc->pad_left};
    const dnnl_dims_t pad_r = {global ? 0 : desc->pad_bottom, global ? 0 : desc->pad_right};
    const dnnl_alg_kind_t algorithm = desc->kind == NC_POOL_MAX ? dnnl_pooling_max
                                      : (desc->flags & NC_POOL2D_COUNT_INCLUDE_PAD) ? dnnl_pooling_avg_include_padding
                                                                                     : dnnl_pooling_avg_exclude_padding;
    dnnl_memory_desc_t src_md, dst_md, user_src_md;
    CHECK(dnnl_memory_desc_init_by_tag(&src_md, 4, src_dims, dnnl_f32, tag));
    CHECK(dnnl_memory_desc_init_by_tag(&dst_md, 4, dst_dims, dnnl_f32, tag));
    CHECK(dnnl_memory_desc_init_by_tag(&user_src_md, 4, src_dims, dnnl_f32, user_tag));
    CHECK(dnnl_memory_desc_init_by_tag(&p->plain_dst, 4, dst_dims, dnnl_f32, user_tag));
    p->format = tag == dnnl_nhwc ? "nhwc" : tag == dnnl_nChw16c ? "nchw16c" : tag == dnnl_nChw8c ? "nchw8c" : "nchw";
    dnnl_pooling_desc_t pool;
    CHECK(dnnl_pooling_forward_desc_init(&pool, dnnl_forward_inference, algorithm, &src_md, &dst_md, strides, kernel,
                                         pad_l, pad_r));
    CHECK(dnnl_primitive_desc_create(&pd, &pool, NULL, engine, NULL));
    dnnl_memory_t src = tag == user_tag ? new_memory(&src_md, input, (size_t)sizes.input_count)
                                        : converted_memory(&src_md, &user_src_md, input);
    dnnl_memory_t dst = new_memory(&dst_md, NULL, 0);
    p->args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, src};
    p->args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, dst};
    p->arg_count = 2;
    if (src == NULL || dst == NULL) {
        goto fail;
    }
    return finish(pd, p);
fail:
    dnnl_primitive_desc_destroy(pd);
    onednn_destroy(p);
    return NULL;
}

onednn_primitive *onednn_pool_create(const nc_pool2d_desc *desc, const float *input)
{
    const dnnl_format_tag_t tag = activation_tag(desc->layout);
    onednn_primitive *p = pool_create(desc, input, tag, tag);
    /* Capped to AVX2, oneDNN blocks channels by 8 and runs nChw16c only through its reference loops. */
    if (p == NULL && desc->layout == NC_LAYOUT_NCHW16C) {
        p = pool_create(desc, input, dnnl_nChw8c, tag);
    }
    return p;
}

const char *onednn_format_name(const onednn_primitive *primitive)
{
    return primitive->format;
}

void onednn_run(void *primitive)
{
    onednn_primitive *p = primitive;
    dnnl_primitive_execute(p->primitive, stream, p->arg_count, p->args);
    dnnl_stream_wait(stream);
}

void onednn_copy_output(const onednn_primitive *primitive, float *out)
{
    dnnl_memory_t plain = new_memory(&primitive->plain_dst, NULL, 0);
    void *handle;
    if (plain != NULL && reorder(primitive->args[primitive->arg_count - 1].memory, plain) &&
        dnnl_memory_get_data_handle(plain, &handle) == dnnl_success) {
        memcpy(out, handle, dnnl_memory_desc_get_size(&primitive->plain_dst));
    }
    dnnl_memory_destroy(plain);
}

const char *onednn_impl_name(const onednn_primitive *primitive)
{
    return primitive->impl;
}

void onednn_destroy(onednn_primitive *primitive)
{
    if (primitive == NULL) {
        return;
    }
    for (int i = 0; i < primitive->arg_count; i++) {
        dnnl_memory_destroy(primitive->args[i].memory);
    }
    dnnl_primitive_destroy(primitive->primitive);
    free(primitive->impl);
    free(primitive);
}
