using NativeConv.Interop;

namespace NativeConv;

// The values are nativeconv.h's, so the descriptors take them by a plain cast.
/// <summary>How an activation tensor (input or output) is ordered in memory.</summary>
/// <remarks>Shapes are always given logically as (N, C, H, W); the layout only decides the memory order.</remarks>
public enum TensorLayout
{
    /// <summary><c>[batch][channel][height][width]</c>, as PyTorch and ONNX use.</summary>
    Nchw = (int)nc_layout.NC_LAYOUT_NCHW,

    /// <summary><c>[batch][height][width][channel]</c>, as TensorFlow uses.</summary>
    Nhwc = (int)nc_layout.NC_LAYOUT_NHWC,
}
