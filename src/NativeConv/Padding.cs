namespace NativeConv;

/// <summary>
/// Zero padding as the user states it: four explicit sides, or a rule (<see cref="Valid"/>, <see cref="Same"/>,
/// <see cref="SameLower"/>) that is resolved against the input size.
/// </summary>
/// <remarks>
/// The factories accept any values; <see cref="Conv2DGeometry.Create"/> and <see cref="Pool2DGeometry.Create"/> check the
/// resolved padding. <c>default(Padding)</c> is explicit zero padding.
/// </remarks>
public readonly record struct Padding
{
    private Padding(PaddingMode mode, Padding2D explicitPadding)
    {
        Mode = mode;
        Explicit = explicitPadding;
    }

    /// <summary>How the padding is decided.</summary>
    public PaddingMode Mode { get; }

    /// <summary>The four sides; meaningful only when <see cref="Mode"/> is <see cref="PaddingMode.Explicit"/>.</summary>
    public Padding2D Explicit { get; }

    /// <summary>No padding (the default of the option types).</summary>
    public static Padding Valid { get; } = new(PaddingMode.Valid, default);

    /// <summary>
    /// Output size <c>ceil(in / stride)</c> with the odd padding pixel at the bottom/right: TensorFlow <c>SAME</c>,
    /// ONNX <c>SAME_UPPER</c>.
    /// </summary>
    public static Padding Same { get; } = new(PaddingMode.SameUpper, default);

    /// <summary>As <see cref="Same"/>, with the odd padding pixel at the top/left: ONNX <c>SAME_LOWER</c>.</summary>
    public static Padding SameLower { get; } = new(PaddingMode.SameLower, default);

    /// <summary>Explicit padding that may differ on every side.</summary>
    /// <param name="top">Rows above the input.</param>
    /// <param name="bottom">Rows below the input.</param>
    /// <param name="left">Columns left of the input.</param>
    /// <param name="right">Columns right of the input.</param>
    /// <returns>The explicit padding.</returns>
    public static Padding Of(int top, int bottom, int left, int right) =>
        new(PaddingMode.Explicit, new Padding2D(top, bottom, left, right));

    /// <summary>Explicit padding that is the same above and below, and the same left and right (PyTorch's <c>padding=(h, w)</c>).</summary>
    /// <param name="height">Rows above and below the input.</param>
    /// <param name="width">Columns left and right of the input.</param>
    /// <returns>The explicit padding.</returns>
    public static Padding Symmetric(int height, int width) => Of(height, height, width, width);

    /// <summary>Explicit padding of <paramref name="all"/> pixels on every side (PyTorch's <c>padding=n</c>).</summary>
    /// <param name="all">Pixels on each of the four sides.</param>
    public static implicit operator Padding(int all) => Of(all, all, all, all);

    /// <summary>Computes the explicit padding this value stands for, for the given input and window.</summary>
    /// <remarks>
    /// For the same rules: <c>out = ceil(in / stride)</c> and
    /// <c>total = max(0, (out - 1)·stride + (kernel - 1)·dilation + 1 - in)</c>; <see cref="PaddingMode.SameUpper"/> puts the
    /// odd pixel at the end, <see cref="PaddingMode.SameLower"/> at the beginning. Explicit padding is returned unchanged,
    /// even if negative.
    /// </remarks>
    /// <param name="inHeight">Input height, at least 1.</param>
    /// <param name="inWidth">Input width, at least 1.</param>
    /// <param name="kernelHeight">Kernel height, at least 1.</param>
    /// <param name="kernelWidth">Kernel width, at least 1.</param>
    /// <param name="strideHeight">Vertical stride, at least 1.</param>
    /// <param name="strideWidth">Horizontal stride, at least 1.</param>
    /// <param name="dilationHeight">Vertical dilation, at least 1.</param>
    /// <param name="dilationWidth">Horizontal dilation, at least 1.</param>
    /// <returns>The padding of each side.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or dilation is less than 1.</exception>
    /// <exception cref="ArgumentException">A resolved side overflows <see cref="int"/>.</exception>
    public Padding2D Resolve(int inHeight, int inWidth, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strideWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilationHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilationWidth);

        (long top, long bottom) = ResolveAxis(Explicit.Top, Explicit.Bottom, inHeight, kernelHeight, strideHeight, dilationHeight);
        (long left, long right) = ResolveAxis(Explicit.Left, Explicit.Right, inWidth, kernelWidth, strideWidth, dilationWidth);
        if (Math.Max(Math.Max(top, bottom), Math.Max(left, right)) > int.MaxValue)
        {
            throw new ArgumentException(
                $"The {Mode} padding for this kernel, stride and dilation overflows int ({top}, {bottom}, {left}, {right}).");
        }

        return new Padding2D((int)top, (int)bottom, (int)left, (int)right);
    }

    // Works in long because a same-padding total can exceed int for extreme kernels and dilations; every
    // factor is below 2^31, so no product here overflows long. Callers have checked that sizes are >= 1.
    internal (long Begin, long End) ResolveAxis(int explicitBegin, int explicitEnd, long inSize, long kernel, long stride, long dilation)
    {
        if (Mode == PaddingMode.Explicit)
        {
            return (explicitBegin, explicitEnd);
        }

        if (Mode == PaddingMode.Valid)
        {
            return (0, 0);
        }

        long outSize = (inSize + stride - 1) / stride;
        long total = Math.Max(0, ((outSize - 1) * stride) + ((kernel - 1) * dilation) + 1 - inSize);
        long half = total / 2;
        return Mode == PaddingMode.SameUpper ? (half, total - half) : (total - half, half);
    }
}
