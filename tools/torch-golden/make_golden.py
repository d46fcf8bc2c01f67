#!/usr/bin/python3
"""Golden convolution and pooling results computed by PyTorch itself.

NativeConv promises PyTorch 1.13 semantics for conv2d, max_pool2d and avg_pool2d. The managed
reference and the parity tests only show that NativeConv agrees with itself; this script asks the
real thing. It writes tests/NativeConv.Tests/Golden/torch-golden.json, which
TorchGoldenTests.cs replays through the native library and the managed reference, so CI needs no
PyTorch, only the committed file.

Run with Debian's interpreter, which is where python3-torch installs torch:

    /usr/bin/python3 tools/torch-golden/make_golden.py

The output is a pure function of SEED and this script (torch runs on one thread with
deterministic algorithms), so regenerating with the same torch gives the same file.

File format (all shapes logical N, C, H, W; arrays flat in the case's memory layout):
  torch_version (torch.__version__), torch_package (Debian package version), generator, seed,
  nan_encoding: "null", cases: [...], one case per line.
  Every float is the shortest decimal that reads back as the same float32; NaN is written as
  null because JSON has no NaN. No case contains an infinity.
  Convolution case: op "conv2d", name, n c h w, out_channels, kernel [r, s], stride [h, w],
    pad [top, bottom, left, right], dilation [h, w], groups, layout "nchw"|"nhwc",
    filter_layout "oihw"|"hwio", activation {kind "none"|"relu"|"clamp", min, max},
    accumulate, input, filter, bias ([] = no bias), initial_output ([] unless accumulate),
    expected.
  Pooling case: op "pool2d", name, kind "max"|"average", n c h w, kernel, stride, pad
    (symmetric: PyTorch pooling has no other), dilation, ceil_mode, count_include_pad, global,
    layout, torch_op (which PyTorch call produced it), input, expected.
"""

import json
import os
import random
import subprocess

import torch
import torch.nn.functional as F

SEED = 20240613
CONV_CASES = 300
POOL_CASES = 200
# Bounds the element count of any one tensor so that the file stays small: variety of shapes
# matters more for semantics than size does.
MAX_TENSOR = 900

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUTPUT = os.path.join(REPO, "tests", "NativeConv.Tests", "Golden", "torch-golden.json")


def to_layout(t, layout):
    """Logical NCHW tensor -> flat values in the case's memory layout."""
    if layout == "nhwc":
        t = t.permute(0, 2, 3, 1)
    return t.contiguous().reshape(-1)


def filter_values(w, filter_layout):
    """OIHW weight -> flat values; HWIO is [R][S][C/groups][K], i.e. OIHW permuted (2, 3, 1, 0)."""
    if filter_layout == "hwio":
        w = w.permute(2, 3, 1, 0)
    return w.contiguous().reshape(-1)


class Float32List:
    """Marks a flat float32 tensor for encode, which formats its values itself."""

    def __init__(self, tensor):
        assert tensor.dtype == torch.float32
        self.values = tensor.reshape(-1).numpy()


def format_float32(value):
    # numpy prints the shortest decimal that round-trips the float32, which is both compact and
    # exact for System.Text.Json's GetSingle on the reading side.
    if value != value:
        return "null"
    text = str(value)
    assert text not in ("inf", "-inf"), "infinities cannot be written as JSON"
    return text


def encode(value):
    """json.dumps, except that float32 arrays are written exactly and compactly."""
    if isinstance(value, Float32List):
        return "[" + ",".join(format_float32(v) for v in value.values) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + encode(v) for k, v in value.items()) + "}"
    return json.dumps(value)


# ---- Convolution --------------------------------------------------------------------------------

def conv_case(name, gen, n, c, h, w, k, r, s, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1),
              groups=1, layout="nchw", filter_layout="oihw", bias=True, activation=("none", None, None),
              accumulate=False, weight_scale=1.0):
    top, bottom, left, right = pad
    x = torch.randn(n, c, h, w, generator=gen)
    weight = torch.randn(k, c // groups, r, s, generator=gen) * weight_scale
    b = torch.randn(k, generator=gen) if bias else None

    # PyTorch's conv2d padding is symmetric; asymmetric zero padding is F.pad followed by an
    # unpadded convolution, which is exactly what NativeConv's four pads mean.
    padded = F.pad(x, (left, right, top, bottom))
    y = F.conv2d(padded, weight, b, stride=stride, padding=0, dilation=dilation, groups=groups)

    old = torch.randn(y.shape, generator=gen) if accumulate else None
    if accumulate:
        y = y + old
    kind, lo, hi = activation
    if kind == "relu":
        y = F.relu(y)
    elif kind == "clamp":
        y = torch.clamp(y, lo, hi)

    return {
        "op": "conv2d",
        "name": name,
        "n": n, "c": c, "h": h, "w": w,
        "out_channels": k,
        "kernel": [r, s],
        "stride": list(stride),
        "pad": [top, bottom, left, right],
        "dilation": list(dilation),
        "groups": groups,
        "layout": layout,
        "filter_layout": filter_layout,
        "activation": {"kind": kind, "min": lo, "max": hi},
        "accumulate": accumulate,
        "input": Float32List(to_layout(x, layout)),
        "filter": Float32List(filter_values(weight, filter_layout)),
        "bias": Float32List(b if bias else torch.empty(0)),
        "initial_output": Float32List(to_layout(old, layout) if accumulate else torch.empty(0)),
        "expected": Float32List(to_layout(y, layout)),
    }


def conv_out(size, pad_sum, kernel, stride, dilation):
    return (size + pad_sum - dilation * (kernel - 1) - 1) // stride + 1


def random_activation(rng):
    choice = rng.random()
    if choice < 0.45:
        return ("none", None, None)
    if choice < 0.7:
        return ("relu", None, None)
    if choice < 0.85:
        return ("clamp", 0.0, 6.0)
    # Narrow ranges around zero so that both bounds actually bite on random data.
    lo = round(rng.uniform(-2.0, 0.0), 2)
    return ("clamp", lo, round(lo + rng.uniform(0.0, 2.5), 2))


def random_conv_case(index, rng, gen):
    while True:
        grouping = rng.random()
        if grouping < 0.45:
            groups, cpg, kpg = 1, rng.randint(1, 6), rng.randint(1, 6)
        elif grouping < 0.7:
            groups, cpg, kpg = rng.randint(2, 4), rng.randint(1, 3), rng.randint(1, 3)
        else:
            # Depthwise, with a channel multiplier of kpg.
            groups, cpg, kpg = rng.randint(1, 8), 1, rng.randint(1, 3)
        c, k = groups * cpg, groups * kpg
        r, s = rng.randint(1, 5), rng.randint(1, 5)
        dilation = (rng.choice([1, 1, 1, 2, 3]), rng.choice([1, 1, 1, 2, 3]))
        stride = (rng.choice([1, 1, 2, 3, 4]), rng.choice([1, 1, 2, 3, 4]))
        if rng.random() < 0.5:
            pad = tuple(rng.randint(0, 3) for _ in range(4))
        else:
            ph, pw = rng.randint(0, 2), rng.randint(0, 2)
            pad = (ph, ph, pw, pw)
        min_h = max(1, dilation[0] * (r - 1) + 1 - pad[0] - pad[1])
        min_w = max(1, dilation[1] * (s - 1) + 1 - pad[2] - pad[3])
        h, w = rng.randint(min_h, min_h + 7), rng.randint(min_w, min_w + 7)
        n = rng.choice([0, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3]) if index % 10 else rng.choice([1, 2])
        p = conv_out(h, pad[0] + pad[1], r, stride[0], dilation[0])
        q = conv_out(w, pad[2] + pad[3], s, stride[1], dilation[1])
        if max(n * c * h * w, n * k * p * q, k * cpg * r * s) <= MAX_TENSOR:
            break
    layout = rng.choice(["nchw", "nhwc"])
    filter_layout = rng.choice(["oihw", "hwio"])
    bias = rng.random() < 0.7
    activation = random_activation(rng)
    accumulate = rng.random() < 0.3
    # Larger weights now and then push sums past the ReLU6 ceiling.
    weight_scale = rng.choice([1.0, 1.0, 3.0])
    name = (f"conv{index:03d} n{n} c{c} {h}x{w} k{k} r{r}x{s} s{stride[0]}x{stride[1]} "
            f"p{pad[0]},{pad[1]},{pad[2]},{pad[3]} d{dilation[0]}x{dilation[1]} g{groups} "
            f"{layout} {filter_layout}{'' if bias else ' nobias'} {activation[0]}"
            f"{'' if activation[0] != 'clamp' else f'({activation[1]},{activation[2]})'}"
            f"{' acc' if accumulate else ''}")
    return conv_case(name, gen, n, c, h, w, k, r, s, stride, pad, dilation, groups, layout,
                     filter_layout, bias, activation, accumulate, weight_scale)


def edge_conv_cases(gen):
    """Shapes the random generator reaches rarely or never, named for what they pin down."""
    relu6 = ("clamp", 0.0, 6.0)
    yield conv_case("edge 1x1 image, 3x3 kernel, pad 1", gen, 2, 3, 1, 1, 4, 3, 3, pad=(1, 1, 1, 1))
    yield conv_case("edge 1x1 image, pad 2, stride 2, nhwc hwio", gen, 1, 2, 1, 1, 3, 3, 3, stride=(2, 2),
                    pad=(2, 2, 2, 2), layout="nhwc", filter_layout="hwio")
    yield conv_case("edge 1x1 image, asymmetric pad only top-left", gen, 1, 4, 1, 1, 2, 2, 2, pad=(1, 0, 1, 0))
    yield conv_case("edge kernel equals padded input", gen, 2, 3, 4, 5, 2, 6, 7, pad=(1, 1, 1, 1))
    yield conv_case("edge kernel equals asymmetrically padded input", gen, 1, 2, 3, 3, 3, 6, 4,
                    pad=(2, 1, 0, 1))
    yield conv_case("edge dilated kernel spans padded input", gen, 1, 2, 6, 6, 2, 3, 3, pad=(1, 0, 0, 1),
                    dilation=(3, 3))
    yield conv_case("edge stride 4 over 1x1 kernel", gen, 1, 3, 9, 9, 2, 1, 1, stride=(4, 4))
    yield conv_case("edge stride 5 over 2x2 kernel, nhwc", gen, 2, 2, 8, 11, 3, 2, 2, stride=(5, 3),
                    layout="nhwc")
    yield conv_case("edge stride larger than padded input", gen, 1, 2, 3, 3, 2, 2, 2, stride=(7, 7),
                    pad=(1, 1, 1, 1))
    yield conv_case("edge batch 0", gen, 0, 3, 5, 5, 4, 3, 3, pad=(1, 1, 1, 1))
    yield conv_case("edge batch 0 nhwc accumulate", gen, 0, 2, 4, 4, 2, 2, 2, layout="nhwc", accumulate=True)
    yield conv_case("edge batch 3 nhwc hwio grouped relu6 acc", gen, 3, 4, 5, 4, 6, 3, 3, pad=(1, 1, 1, 1),
                    groups=2, layout="nhwc", filter_layout="hwio", activation=relu6, accumulate=True,
                    weight_scale=3.0)
    yield conv_case("edge depthwise multiplier 3 nhwc hwio", gen, 2, 4, 6, 6, 12, 3, 3, pad=(1, 1, 1, 1),
                    groups=4, layout="nhwc", filter_layout="hwio")
    yield conv_case("edge depthwise multiplier 2 nchw oihw strided", gen, 1, 5, 7, 7, 10, 3, 3, stride=(2, 2),
                    pad=(0, 1, 0, 1), groups=5)
    yield conv_case("edge depthwise dilated asymmetric pad", gen, 1, 6, 6, 7, 6, 3, 2, pad=(2, 0, 1, 3),
                    dilation=(2, 3), groups=6)
    yield conv_case("edge groups 3 no bias clamp", gen, 2, 6, 5, 5, 9, 2, 3, pad=(0, 1, 1, 0), groups=3,
                    bias=False, activation=("clamp", -0.5, 0.5))
    yield conv_case("edge 1x1 conv groups 2 nhwc", gen, 3, 8, 3, 4, 6, 1, 1, groups=2, layout="nhwc",
                    filter_layout="hwio")
    yield conv_case("edge relu6 saturates", gen, 1, 6, 4, 4, 4, 3, 3, pad=(1, 1, 1, 1), activation=relu6,
                    weight_scale=4.0)
    yield conv_case("edge accumulate relu no bias", gen, 2, 3, 4, 4, 3, 3, 3, pad=(1, 1, 1, 1), bias=False,
                    activation=("relu", None, None), accumulate=True)
    yield conv_case("edge single tap 1x1x1x1", gen, 1, 1, 1, 1, 1, 1, 1)
    yield conv_case("edge 1-row image, wide kernel", gen, 2, 2, 1, 9, 3, 1, 4, stride=(1, 2),
                    pad=(0, 0, 2, 1))
    yield conv_case("edge 1-column image, tall kernel nhwc", gen, 1, 3, 9, 1, 2, 5, 1, dilation=(2, 1),
                    pad=(1, 3, 0, 0), layout="nhwc", filter_layout="hwio")


# ---- Pooling ------------------------------------------------------------------------------------

def pool_case(name, gen, kind, n, c, h, w, kernel=(1, 1), stride=None, pad=(0, 0), dilation=(1, 1),
              ceil_mode=False, count_include_pad=True, global_pool=False, layout="nchw", x=None,
              nan_fraction=0.0, global_op=None):
    if x is None:
        x = torch.randn(n, c, h, w, generator=gen)
    if nan_fraction > 0:
        mask = torch.rand(x.shape, generator=gen) < nan_fraction
        x = x.masked_fill(mask, float("nan"))
    stride = kernel if stride is None else stride

    if global_pool:
        # Both the adaptive pooling modules and the plain reductions are how PyTorch users
        # spell global pooling; the golden file records which produced each case.
        if kind == "average":
            torch_op = global_op or "adaptive_avg_pool2d"
            y = F.adaptive_avg_pool2d(x, 1) if torch_op == "adaptive_avg_pool2d" else x.mean(dim=(2, 3), keepdim=True)
        else:
            torch_op = global_op or "adaptive_max_pool2d"
            y = F.adaptive_max_pool2d(x, 1) if torch_op == "adaptive_max_pool2d" else x.amax(dim=(2, 3), keepdim=True)
    elif kind == "max":
        torch_op = "max_pool2d"
        y = F.max_pool2d(x, kernel, stride, pad, dilation, ceil_mode=ceil_mode)
    else:
        torch_op = "avg_pool2d"
        y = F.avg_pool2d(x, kernel, stride, pad, ceil_mode=ceil_mode, count_include_pad=count_include_pad)

    return {
        "op": "pool2d",
        "name": name,
        "kind": kind,
        "n": n, "c": c, "h": h, "w": w,
        "kernel": list(kernel),
        "stride": list(stride),
        "pad": [pad[0], pad[0], pad[1], pad[1]],
        "dilation": list(dilation),
        "ceil_mode": ceil_mode,
        "count_include_pad": count_include_pad,
        "global": global_pool,
        "layout": layout,
        "torch_op": torch_op,
        "input": Float32List(to_layout(x, layout)),
        "expected": Float32List(to_layout(y, layout)),
    }


def pool_out(size, pad, kernel, stride, dilation, ceil_mode):
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def random_pool_case(index, rng, gen):
    n = rng.choice([0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3]) if index % 10 else rng.choice([1, 2])
    c = rng.randint(1, 6)
    layout = rng.choice(["nchw", "nhwc"])
    kind = rng.choice(["max", "average"])
    if rng.random() < 0.12:
        h, w = rng.randint(1, 9), rng.randint(1, 9)
        ops = ["adaptive_avg_pool2d", "mean"] if kind == "average" else ["adaptive_max_pool2d", "amax"]
        op = rng.choice(ops)
        nan = 0.1 if kind == "max" and rng.random() < 0.3 else 0.0
        name = f"pool{index:03d} global {kind} via {op} n{n} c{c} {h}x{w} {layout}{' nan' if nan else ''}"
        return pool_case(name, gen, kind, n, c, h, w, global_pool=True, layout=layout, nan_fraction=nan,
                         global_op=op)
    while True:
        kernel = (rng.randint(1, 5), rng.randint(1, 5))
        stride = (rng.choice([1, 1, 2, 2, 3, kernel[0], kernel[0] + 1]),
                  rng.choice([1, 1, 2, 2, 3, kernel[1], kernel[1] + 1]))
        pad = (rng.randint(0, kernel[0] // 2), rng.randint(0, kernel[1] // 2))
        dilation = (1, 1)
        if kind == "max" and rng.random() < 0.35:
            dilation = (rng.randint(1, 3), rng.randint(1, 3))
        ceil_mode = rng.random() < 0.5
        min_h = max(1, dilation[0] * (kernel[0] - 1) + 1 - 2 * pad[0])
        min_w = max(1, dilation[1] * (kernel[1] - 1) + 1 - 2 * pad[1])
        h, w = rng.randint(min_h, min_h + 8), rng.randint(min_w, min_w + 8)
        p = pool_out(h, pad[0], kernel[0], stride[0], dilation[0], ceil_mode)
        q = pool_out(w, pad[1], kernel[1], stride[1], dilation[1], ceil_mode)
        if p >= 1 and q >= 1 and n * c * h * w <= MAX_TENSOR:
            break
    count_include_pad = kind == "max" or rng.random() < 0.5
    nan = 0.08 if kind == "max" and rng.random() < 0.2 else 0.0
    name = (f"pool{index:03d} {kind} n{n} c{c} {h}x{w} k{kernel[0]}x{kernel[1]} s{stride[0]}x{stride[1]} "
            f"p{pad[0]}x{pad[1]} d{dilation[0]}x{dilation[1]}{' ceil' if ceil_mode else ''}"
            f"{'' if count_include_pad or kind == 'max' else ' exclude-pad'} {layout}{' nan' if nan else ''}")
    return pool_case(name, gen, kind, n, c, h, w, kernel, stride, pad, dilation, ceil_mode,
                     count_include_pad, layout=layout, nan_fraction=nan)


def edge_pool_cases(gen):
    negative = -torch.rand(2, 3, 5, 5, generator=gen) - 0.5
    yield pool_case("edge max all-negative input with padding", gen, "max", 2, 3, 5, 5, (3, 3), (1, 1), (1, 1),
                    x=negative)
    yield pool_case("edge max all-negative, padding 2, stride 2, nhwc", gen, "max", 2, 3, 5, 5, (4, 5), (2, 2),
                    (2, 2), layout="nhwc", x=negative)
    yield pool_case("edge max all-negative 1x1 image, padding 1", gen, "max", 1, 2, 1, 1, (3, 3), (1, 1), (1, 1),
                    x=-torch.rand(1, 2, 1, 1, generator=gen) - 1)
    # in 5, k 2, s 2, pad 1: ceil would give 4 windows but the 4th starts at 6 = in + pad, i.e.
    # entirely in the end padding, so the drop rule leaves 3, as floor does.
    for kind in ("max", "average"):
        yield pool_case(f"edge ceil drop rule {kind} 5 k2 s2 p1", gen, kind, 1, 2, 5, 5, (2, 2), (2, 2), (1, 1),
                        ceil_mode=True)
        yield pool_case(f"edge ceil drop rule {kind} 6 k3 s3 p1 exclude-pad", gen, kind, 1, 2, 6, 6, (3, 3),
                        (3, 3), (1, 1), ceil_mode=True, count_include_pad=False)
        # in 5, k 2, s 2, no pad: floor gives 2, ceil a 3rd window holding only the last column.
        yield pool_case(f"edge ceil adds window {kind} 5 k2 s2", gen, kind, 2, 3, 5, 5, (2, 2), (2, 2),
                        ceil_mode=True)
        yield pool_case(f"edge ceil adds window {kind} 7x8 k3 s2 p1 nhwc", gen, kind, 1, 3, 7, 8, (3, 3),
                        (2, 2), (1, 1), ceil_mode=True, layout="nhwc")
    # With ceil mode the last window runs past the padded extent; count_include_pad then divides by
    # the window clipped to that extent, not by the full kernel area.
    yield pool_case("edge avg ceil window beyond padded extent, include pad", gen, "average", 1, 2, 6, 6, (3, 3),
                    (2, 2), (1, 1), ceil_mode=True, count_include_pad=True)
    yield pool_case("edge avg ceil window beyond padded extent, exclude pad", gen, "average", 1, 2, 6, 6, (3, 3),
                    (2, 2), (1, 1), ceil_mode=True, count_include_pad=False)
    yield pool_case("edge avg 1x1 image padding 1 include pad", gen, "average", 1, 3, 1, 1, (2, 3), (1, 1),
                    (1, 1))
    yield pool_case("edge avg 1x1 image padding 1 exclude pad", gen, "average", 1, 3, 1, 1, (3, 2), (1, 1),
                    (1, 1), count_include_pad=False)
    yield pool_case("edge max dilation 3 ceil", gen, "max", 1, 2, 8, 9, (3, 2), (2, 3), (1, 1), (3, 2),
                    ceil_mode=True)
    yield pool_case("edge max dilated window equals padded input", gen, "max", 1, 2, 5, 5, (3, 3), (1, 1),
                    (1, 1), (3, 3))
    yield pool_case("edge max NaN everywhere", gen, "max", 1, 1, 3, 3, (2, 2), (1, 1), nan_fraction=1.0)
    yield pool_case("edge max sparse NaN with padding, ceil", gen, "max", 2, 2, 6, 6, (3, 3), (2, 2), (1, 1),
                    ceil_mode=True, nan_fraction=0.15)
    yield pool_case("edge max NaN nhwc dilated", gen, "max", 1, 4, 6, 6, (2, 2), (1, 1), (1, 1), (2, 2),
                    layout="nhwc", nan_fraction=0.1)
    yield pool_case("edge max stride larger than kernel", gen, "max", 1, 2, 9, 9, (2, 2), (4, 4))
    yield pool_case("edge avg stride larger than kernel, nhwc", gen, "average", 2, 2, 9, 7, (2, 1), (3, 4),
                    layout="nhwc")
    yield pool_case("edge global max NaN", gen, "max", 1, 3, 4, 4, global_pool=True, nan_fraction=0.1)
    yield pool_case("edge global avg batch 0", gen, "average", 0, 3, 4, 4, global_pool=True)
    yield pool_case("edge max batch 0", gen, "max", 0, 2, 4, 4, (2, 2))
    yield pool_case("edge global avg 1x1", gen, "average", 2, 3, 1, 1, global_pool=True, layout="nhwc")


def torch_package_version():
    # torch.__version__ of Debian's build reads "1.13.0a0"; the package version says which release.
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(SEED)
    gen = torch.Generator().manual_seed(SEED)

    conv = list(edge_conv_cases(gen))
    conv += [random_conv_case(i, rng, gen) for i in range(CONV_CASES - len(conv))]
    pool = list(edge_pool_cases(gen))
    pool += [random_pool_case(i, rng, gen) for i in range(POOL_CASES - len(pool))]

    header = {
        "torch_version": torch.__version__,
        "torch_package": torch_package_version(),
        "generator": "tools/torch-golden/make_golden.py",
        "seed": SEED,
        "nan_encoding": "null",
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n")
        for key, value in header.items():
            out.write(f"{json.dumps(key)}:{json.dumps(value)},\n")
        out.write('"cases":[\n')
        cases = conv + pool
        for i, case in enumerate(cases):
            out.write(encode(case))
            out.write(",\n" if i + 1 < len(cases) else "\n")
        out.write("]}\n")
    print(f"{len(conv)} convolution + {len(pool)} pooling cases, {os.path.getsize(OUTPUT)} bytes -> {OUTPUT}")


if __name__ == "__main__":
    main()
