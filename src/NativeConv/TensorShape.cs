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
    /// <summary>The number of elements, N·C·H·W.</summary>
    /// <exception cref="OverflowException">The product does not fit in a <see cref="long"/>.</exception>
    public long ElementCount => checked((long)Batch * Channels * Height * Width);

    /// <summary>Returns the shape as <c>(N=…, C=…, H=…, W=…)</c>.</summary>
    /// <returns>A short text naming the four dimensions.</returns>
    public override string ToString() => $"(N={Batch}, C={Channels}, H={Height}, W={Width})";
}
