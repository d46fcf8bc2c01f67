using NativeConv.Interop;

namespace NativeConv;

// The values are nativeconv.h's, so the descriptors take them by a plain cast.
/// <summary>How an activation tensor (input or output) is ordered in memory.</summary>
/// <remarks>
/// Shapes are always given logically as (N, C, H, W); the layout only decides the memory order, and for
/// <see cref="Nchw16c"/> also the buffer length (see <see cref="TensorShape.ElementCountIn"/>).
/// </remarks>
public enum TensorLayout
{
    /// <summary><c>[batch][channel][height][width]</c>, as PyTorch and ONNX use.</summary>
    Nchw = (int)nc_layout.NC_LAYOUT_NCHW,

    /// <summary><c>[batch][height][width][channel]</c>, as TensorFlow uses.</summary>
    Nhwc = (int)nc_layout.NC_LAYOUT_NHWC,

    /// <summary>
    /// Channels in blocks of 16, the block innermost: <c>[batch][⌈channel / 16⌉][height][width][channel % 16]</c>, as
    /// oneDNN's <c>nChw16c</c>. Element (n, c, h, w) is at
    /// <c>((((n·⌈C/16⌉ + c/16)·H + h)·W + w)·16) + c % 16</c>, so one 512-bit vector holds 16 channels of a pixel.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The channels are padded to a multiple of 16, so a tensor holds N·⌈C/16⌉·H·W·16 floats, more than N·C·H·W when
    /// C is not a multiple of 16; <see cref="TensorShape.ElementCountIn"/> gives the count. The lanes past the last
    /// real channel are padding: no result depends on them (they may hold anything, even NaN, in an input) and every
    /// operation, convolution, pooling and <see cref="Reorder.Activations"/>, writes zeros there.
    /// </para>
    /// <para>
    /// Use it to chain layers: the SIMD kernels read and write it directly, so a tensor converted once stays blocked
    /// from layer to layer with no reorder in between, as <see cref="Models.Sequential"/> does. Filters keep their
    /// own layout (<see cref="FilterLayout"/>). The <c>TensorSpan</c> overloads do not take it: a tensor's lengths
    /// cannot carry the channel count of a blocked tensor.
    /// </para>
    /// </remarks>
    Nchw16c = (int)nc_layout.NC_LAYOUT_NCHW16C,
}
