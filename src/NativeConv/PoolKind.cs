using NativeConv.Interop;

namespace NativeConv;

// The values are nativeconv.h's, so the descriptors take them by a plain cast.
/// <summary>The reduction a pooling window performs.</summary>
public enum PoolKind
{
    /// <summary>The largest real input in the window; a NaN anywhere in the window gives NaN, as in PyTorch.</summary>
    Max = (int)nc_pool_kind.NC_POOL_MAX,

    /// <summary>The mean of the window, with PyTorch's divisor rules (see <see cref="Pool2DOptions.CountIncludePad"/>).</summary>
    Average = (int)nc_pool_kind.NC_POOL_AVERAGE,
}
