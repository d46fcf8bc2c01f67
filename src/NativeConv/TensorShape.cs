using NativeConv.Interop;

namespace NativeConv;

/// <summary>
/// The logical shape of an activation tensor, always given as (N, C, H, W) whatever its <see cref="TensorLayout"/>.
/// </summary>
/// <remarks>
/// Any values can be stored; <see cref="Conv2DGeometry.Create"/> and <see cref="Pool2DGeometry.Create"/> check that
/// <see cref="Batch"/> is at least 0 and the other dimensions at least 1.
/// </remarks>
/// <param name="Batch">Number of images (N); 0 is allowed and makes every buffer empty.</param>
/// <param name="Channels">Number of channels (C).</param>
/// <param name="Height">Number of rows (H).</param>
/// <param name="Width">Number of columns (W).</param>
public readonly record struct TensorShape(int Batch, int Channels, int Height, int Width)
{
    /// <summary>The number of logical elements, N·C·H·W: the buffer length in <see cref="TensorLayout.Nchw"/> and <see cref="TensorLayout.Nhwc"/>.</summary>
    /// <exception cref="OverflowException">The product does not fit in a <see cref="long"/>.</exception>
    public long ElementCount => checked((long)Batch * Channels * Height * Width);

    /// <summary>
    /// The number of floats a buffer holding this tensor in <paramref name="layout"/> has: N·C·H·W for
    /// <see cref="TensorLayout.Nchw"/> and <see cref="TensorLayout.Nhwc"/>, N·⌈C/16⌉·H·W·16 for
    /// <see cref="TensorLayout.Nchw16c"/>, whose channels are padded to a multiple of 16.
    /// </summary>
    /// <param name="layout">The memory order.</param>
    /// <returns>The buffer length every API taking this shape and layout expects.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layout"/> is not a defined value, or <see cref="Channels"/> is negative.</exception>
    /// <exception cref="OverflowException">The product does not fit in a <see cref="long"/>.</exception>
    public long ElementCountIn(TensorLayout layout)
    {
        if (!Enum.IsDefined(layout))
        {
            throw new ArgumentOutOfRangeException(nameof(layout), layout, $"layout ({layout}) is not a defined TensorLayout value.");
        }

        if (Channels < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, $"Channels ({Channels}) must not be negative.");
        }

        return checked((long)Batch * StoredChannels(layout) * Height * Width);
    }

    /// <summary>Returns the shape as <c>(N=…, C=…, H=…, W=…)</c>.</summary>
    /// <returns>A short text naming the four dimensions.</returns>
    public override string ToString() => $"(N={Batch}, C={Channels}, H={Height}, W={Width})";

    // Channels rounded up to whole blocks for the blocked layout; computed in long, since rounding int.MaxValue up
    // leaves the int range.
    internal long StoredChannels(TensorLayout layout) => layout == TensorLayout.Nchw16c
        ? ((Channels + (long)NativeMethods.NC_CHANNEL_BLOCK - 1) / NativeMethods.NC_CHANNEL_BLOCK) * NativeMethods.NC_CHANNEL_BLOCK
        : Channels;
}
