using static NativeConv.GeometryChecks;

namespace NativeConv;

/// <summary>
/// A pooling's input shape and options, validated, with the padding resolved and every size derived: the one place
/// where the managed side states the pooling shape rules. Creating it never calls native code.
/// </summary>
public sealed class Pool2DGeometry
{
    private Pool2DGeometry(TensorShape inputShape, Pool2DOptions options, Padding2D padding, TensorShape outputShape,
        int inputLength, int outputLength)
    {
        InputShape = inputShape;
        Options = options;
        Padding = padding;
        OutputShape = outputShape;
        InputLength = inputLength;
        OutputLength = outputLength;
        bool global = options.Global;
        KernelHeight = global ? inputShape.Height : options.KernelHeight;
        KernelWidth = global ? inputShape.Width : options.KernelWidth;
        StrideHeight = global ? inputShape.Height : options.StrideHeight;
        StrideWidth = global ? inputShape.Width : options.StrideWidth;
        DilationHeight = global ? 1 : options.DilationHeight;
        DilationWidth = global ? 1 : options.DilationWidth;
        CeilMode = !global && options.CeilMode;
    }

    /// <summary>The input shape, (N, C, H, W).</summary>
    public TensorShape InputShape { get; }

    /// <summary>The options the geometry was created from.</summary>
    public Pool2DOptions Options { get; }

    /// <summary>The padding of each side after resolving <see cref="Pool2DOptions.Padding"/>; zero for global pooling.</summary>
    public Padding2D Padding { get; }

    /// <summary>The output shape, (N, C, P, Q); P = Q = 1 for global pooling.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>
    /// Elements of the input buffer: N·C·H·W, or N·⌈C/16⌉·H·W·16 in <see cref="TensorLayout.Nchw16c"/>
    /// (<see cref="TensorShape.ElementCountIn"/> of <see cref="InputShape"/> in <see cref="Pool2DOptions.Layout"/>).
    /// </summary>
    public int InputLength { get; }

    /// <summary>
    /// Elements of the output buffer: N·C·P·Q, or N·⌈C/16⌉·P·Q·16 in <see cref="TensorLayout.Nchw16c"/>
    /// (<see cref="TensorShape.ElementCountIn"/> of <see cref="OutputShape"/> in <see cref="Pool2DOptions.Layout"/>).
    /// </summary>
    public int OutputLength { get; }

    // The window actually used: the options' values, or the whole plane for global pooling, which is exactly a
    // single H×W window. The native descriptor and the reference both read these, so neither special-cases global.
    internal int KernelHeight { get; }

    internal int KernelWidth { get; }

    internal int StrideHeight { get; }

    internal int StrideWidth { get; }

    internal int DilationHeight { get; }

    internal int DilationWidth { get; }

    internal bool CeilMode { get; }

    /// <summary>Validates <paramref name="inputShape"/> against <paramref name="options"/> and derives every size.</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="options">What to compute.</param>
    /// <returns>The validated geometry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A dimension of <paramref name="inputShape"/> is out of range (Batch &lt; 0, another dimension &lt; 1), or an option
    /// is: kernel, stride or dilation &lt; 1, a resolved padding side &lt; 0 or more than half the window on its axis,
    /// an undefined enum value (the activation's kind included). Unless <see cref="Pool2DOptions.Global"/> is set, which
    /// ignores the window options. The message names the property.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// A clamp activation has a NaN bound or Min &gt; Max; average pooling with a dilation other than 1; the output would be smaller than 1×1 (the window, with dilation, is
    /// larger than the padded input); a buffer would have more than <see cref="int.MaxValue"/> elements; or the
    /// zero-padded input would have more floats than a native byte size holds (an extreme window and its padding).
    /// </exception>
    public static Pool2DGeometry Create(TensorShape inputShape, Pool2DOptions options)
    {
        CheckShape(inputShape);
        ArgumentNullException.ThrowIfNull(options);
        Defined(options.Kind, nameof(options.Kind));
        Defined(options.Layout, nameof(options.Layout));
        CheckActivation(options.Activation);

        int outHeight = 1;
        int outWidth = 1;
        Padding2D resolved = default;
        if (!options.Global)
        {
            AtLeast(options.KernelHeight, 1, nameof(options.KernelHeight));
            AtLeast(options.KernelWidth, 1, nameof(options.KernelWidth));
            AtLeast(options.StrideHeight, 1, nameof(options.StrideHeight));
            AtLeast(options.StrideWidth, 1, nameof(options.StrideWidth));
            AtLeast(options.DilationHeight, 1, nameof(options.DilationHeight));
            AtLeast(options.DilationWidth, 1, nameof(options.DilationWidth));
            if (options.Kind == PoolKind.Average && (options.DilationHeight != 1 || options.DilationWidth != 1))
            {
                throw new ArgumentException(
                    $"Average pooling has no dilation: DilationHeight ({options.DilationHeight}) and DilationWidth " +
                    $"({options.DilationWidth}) must be 1.",
                    OptionsParameter);
            }

            Padding padding = options.Padding;
            (long top, long bottom) = padding.ResolveAxis(padding.Explicit.Top, padding.Explicit.Bottom,
                inputShape.Height, options.KernelHeight, options.StrideHeight, options.DilationHeight);
            (long left, long right) = padding.ResolveAxis(padding.Explicit.Left, padding.Explicit.Right,
                inputShape.Width, options.KernelWidth, options.StrideWidth, options.DilationWidth);
            CheckSide(top, nameof(Padding2D.Top), options.KernelHeight, "height");
            CheckSide(bottom, nameof(Padding2D.Bottom), options.KernelHeight, "height");
            CheckSide(left, nameof(Padding2D.Left), options.KernelWidth, "width");
            CheckSide(right, nameof(Padding2D.Right), options.KernelWidth, "width");
            resolved = ToPadding2D(top, bottom, left, right);

            outHeight = OutputAxis("height", inputShape.Height, top, bottom, options.KernelHeight, options.StrideHeight,
                options.DilationHeight, options.CeilMode);
            outWidth = OutputAxis("width", inputShape.Width, left, right, options.KernelWidth, options.StrideWidth,
                options.DilationWidth, options.CeilMode);
        }

        var outputShape = new TensorShape(inputShape.Batch, inputShape.Channels, outHeight, outWidth);
        int inputLength = ElementCount("input", ShapeParameter, inputShape, options.Layout);
        int outputLength = ElementCount("output", OptionsParameter, outputShape, options.Layout);
        PaddedInputFits(inputShape, options.Layout, resolved);
        return new Pool2DGeometry(inputShape, options, resolved, outputShape, inputLength, outputLength);
    }

    private static void CheckSide(long padding, string side, int kernel, string axis)
    {
        ExplicitPadding(padding, side);
        if (padding > kernel / 2)
        {
            throw new ArgumentOutOfRangeException(OptionsParameter, padding,
                $"The {side.ToLowerInvariant()} padding ({padding}) must be at most half the kernel {axis} " +
                $"({kernel} / 2 = {kernel / 2}).");
        }
    }

    // PyTorch's pooling_output_shape: floor division rounding towards negative infinity, and in ceil mode the last
    // window is dropped if it would start in the end padding. In ceil mode a window slightly larger than the padded
    // input still yields one output, as in PyTorch.
    private static int OutputAxis(string axis, long inSize, long padBegin, long padEnd, long kernel, long stride,
        long dilation, bool ceilMode)
    {
        long numerator = inSize + padBegin + padEnd - EffectiveKernel(kernel, dilation) + (ceilMode ? stride - 1 : 0);
        long quotient = numerator / stride;
        if (numerator % stride < 0)
        {
            quotient--;
        }

        long size = quotient + 1;
        if (ceilMode && (size - 1) * stride >= inSize + padBegin)
        {
            size--;
        }

        if (size < 1)
        {
            throw new ArgumentException(
                $"The kernel (with dilation) is larger than the padded input: the output {axis} would be {size}.",
                OptionsParameter);
        }

        return OutputSize(axis, size);
    }

    internal void CheckActivations(ReadOnlySpan<float> input, ReadOnlySpan<float> output)
    {
        Length(input.Length, InputLength, nameof(input), Options.Layout);
        Length(output.Length, OutputLength, nameof(output), Options.Layout);
        NoOverlap(input, output);
    }
}
