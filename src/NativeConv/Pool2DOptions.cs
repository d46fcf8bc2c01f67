namespace NativeConv;

/// <summary>What a 2-D pooling computes, apart from the input shape: PyTorch's <c>max_pool2d</c>/<c>avg_pool2d</c> arguments.</summary>
/// <remarks>
/// Any values can be stored; <see cref="Pool2DGeometry.Create"/> validates them against an input shape.
/// </remarks>
public sealed record Pool2DOptions
{
    /// <summary>
    /// Creates options for a <paramref name="kernelHeight"/> × <paramref name="kernelWidth"/> window whose stride is the
    /// window size, as PyTorch defaults it.
    /// </summary>
    /// <param name="kind">Max or average.</param>
    /// <param name="kernelHeight">Window height.</param>
    /// <param name="kernelWidth">Window width.</param>
    public Pool2DOptions(PoolKind kind, int kernelHeight, int kernelWidth)
    {
        Kind = kind;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideHeight = kernelHeight;
        StrideWidth = kernelWidth;
    }

    /// <summary>Creates options for a square window whose stride is the window size, as PyTorch defaults it.</summary>
    /// <param name="kind">Max or average.</param>
    /// <param name="kernelSize">Window height and width.</param>
    public Pool2DOptions(PoolKind kind, int kernelSize)
        : this(kind, kernelSize, kernelSize)
    {
    }

    /// <summary>Average over the whole height and width, giving a 1×1 output per channel.</summary>
    public static Pool2DOptions GlobalAverage { get; } = new(PoolKind.Average, 1) { Global = true };

    /// <summary>Maximum over the whole height and width, giving a 1×1 output per channel.</summary>
    public static Pool2DOptions GlobalMax { get; } = new(PoolKind.Max, 1) { Global = true };

    /// <summary>Max or average.</summary>
    public PoolKind Kind { get; init; }

    /// <summary>Window height; at least 1.</summary>
    public int KernelHeight { get; init; }

    /// <summary>Window width; at least 1.</summary>
    public int KernelWidth { get; init; }

    /// <summary>Vertical stride; at least 1. The constructors set it to the window height.</summary>
    public int StrideHeight { get; init; }

    /// <summary>Horizontal stride; at least 1. The constructors set it to the window width.</summary>
    public int StrideWidth { get; init; }

    /// <summary>Sets <see cref="StrideHeight"/> and <see cref="StrideWidth"/> to the same value.</summary>
    public int Stride
    {
        init
        {
            StrideHeight = value;
            StrideWidth = value;
        }
    }

    /// <summary>
    /// Padding around the input; once resolved, each side must be at most half the window on its axis (PyTorch's rule).
    /// Padded positions never win a max and count towards an average only with <see cref="CountIncludePad"/>.
    /// Default <see cref="Padding.Valid"/>.
    /// </summary>
    public Padding Padding { get; init; } = Padding.Valid;

    /// <summary>Vertical distance between window taps; at least 1, and exactly 1 for <see cref="PoolKind.Average"/>. Default 1.</summary>
    public int DilationHeight { get; init; } = 1;

    /// <summary>Horizontal distance between window taps; at least 1, and exactly 1 for <see cref="PoolKind.Average"/>. Default 1.</summary>
    public int DilationWidth { get; init; } = 1;

    /// <summary>Sets <see cref="DilationHeight"/> and <see cref="DilationWidth"/> to the same value.</summary>
    public int Dilation
    {
        init
        {
            DilationHeight = value;
            DilationWidth = value;
        }
    }

    /// <summary>
    /// Rounds the output size up instead of down; a window that would start in the bottom/right padding is dropped,
    /// as in PyTorch.
    /// </summary>
    public bool CeilMode { get; init; }

    /// <summary>
    /// For average pooling: divide by the window clipped to the padded input (true, PyTorch's default) or by the number
    /// of real input taps in the window (false).
    /// </summary>
    public bool CountIncludePad { get; init; } = true;

    /// <summary>
    /// Pool over the whole height and width; the output is 1×1 and kernel, stride, padding, dilation and
    /// <see cref="CeilMode"/> are ignored.
    /// </summary>
    public bool Global { get; init; }

    /// <summary>Memory order of input and output. Default <see cref="TensorLayout.Nchw"/>.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    /// <summary>
    /// Applied to every pooled value, in the same pass: pool first, then activate, <c>output = act(pool(input))</c>.
    /// NaN passes through. Default <see cref="Activation.None"/>.
    /// </summary>
    /// <remarks>
    /// For <see cref="PoolKind.Max"/> the order makes no difference: ReLU and clamp never reorder two values, so
    /// <c>max(act(x)) = act(max(x))</c>, and a ReLU or clamp written before a max pooling can be set here instead,
    /// saving its separate pass over the larger, unpooled tensor. For <see cref="PoolKind.Average"/> the order
    /// matters once a window mixes signs: for the window (-3, 1), <c>relu(avg(x))</c> is 0 but <c>avg(relu(x))</c>
    /// is 0.5. This property computes the former, the activation of the average, so a ReLU written before an average
    /// pooling must stay a separate step. As for a convolution, <see cref="ActivationKind.Clamp"/> bounds must not be
    /// NaN and Min must not exceed Max.
    /// </remarks>
    public Activation Activation { get; init; } = Activation.None;
}
