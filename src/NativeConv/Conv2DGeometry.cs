using static NativeConv.GeometryChecks;

namespace NativeConv;

/// <summary>
/// A convolution's input shape and options, validated, with the padding resolved and every size derived: the one
/// place where the managed side states the shape rules. Creating it never calls native code.
/// </summary>
public sealed class Conv2DGeometry
{
    private Conv2DGeometry(TensorShape inputShape, Conv2DOptions options, Padding2D padding, TensorShape outputShape,
        int inputLength, int filterLength, int outputLength, long flops)
    {
        InputShape = inputShape;
        Options = options;
        Padding = padding;
        OutputShape = outputShape;
        InputLength = inputLength;
        FilterLength = filterLength;
        OutputLength = outputLength;
        Flops = flops;
    }

    /// <summary>The input shape, (N, C, H, W).</summary>
    public TensorShape InputShape { get; }

    /// <summary>The options the geometry was created from.</summary>
    public Conv2DOptions Options { get; }

    /// <summary>The padding of each side after resolving <see cref="Conv2DOptions.Padding"/>.</summary>
    public Padding2D Padding { get; }

    /// <summary>The output shape, (N, K, P, Q).</summary>
    public TensorShape OutputShape { get; }

    /// <summary>
    /// Elements of the input buffer: N·C·H·W, or N·⌈C/16⌉·H·W·16 in <see cref="TensorLayout.Nchw16c"/>
    /// (<see cref="TensorShape.ElementCountIn"/> of <see cref="InputShape"/> in <see cref="Conv2DOptions.Layout"/>).
    /// </summary>
    public int InputLength { get; }

    /// <summary>Elements of the filter buffer: K·(C/groups)·R·S.</summary>
    public int FilterLength { get; }

    /// <summary>Elements of a non-empty bias buffer: K.</summary>
    public int BiasLength => Options.OutChannels;

    /// <summary>
    /// Elements of the output buffer: N·K·P·Q, or N·⌈K/16⌉·P·Q·16 in <see cref="TensorLayout.Nchw16c"/>
    /// (<see cref="TensorShape.ElementCountIn"/> of <see cref="OutputShape"/> in <see cref="Conv2DOptions.Layout"/>).
    /// </summary>
    public int OutputLength { get; }

    /// <summary>Floating-point operations of one run, counting a multiply-add as two: 2·N·K·(C/groups)·R·S·P·Q.</summary>
    public long Flops { get; }

    /// <summary>Validates <paramref name="inputShape"/> against <paramref name="options"/> and derives every size.</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="options">What to compute.</param>
    /// <returns>The validated geometry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A dimension of <paramref name="inputShape"/> is out of range (Batch &lt; 0, another dimension &lt; 1), or an option
    /// is: OutChannels, kernel, stride, dilation or Groups &lt; 1, an explicit padding side &lt; 0, an undefined enum value.
    /// The message names the property.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// Groups does not divide Channels or OutChannels; a clamp activation has a NaN bound or Min &gt; Max; the kernel
    /// (with dilation) is larger than the padded input; a buffer would have more than <see cref="int.MaxValue"/>
    /// elements; or the zero-padded input would have more floats than a native byte size holds (padding far beyond
    /// the input, such as a same rule over an extreme dilation).
    /// </exception>
    public static Conv2DGeometry Create(TensorShape inputShape, Conv2DOptions options)
    {
        CheckShape(inputShape);
        ArgumentNullException.ThrowIfNull(options);
        AtLeast(options.OutChannels, 1, nameof(options.OutChannels));
        AtLeast(options.KernelHeight, 1, nameof(options.KernelHeight));
        AtLeast(options.KernelWidth, 1, nameof(options.KernelWidth));
        AtLeast(options.StrideHeight, 1, nameof(options.StrideHeight));
        AtLeast(options.StrideWidth, 1, nameof(options.StrideWidth));
        AtLeast(options.DilationHeight, 1, nameof(options.DilationHeight));
        AtLeast(options.DilationWidth, 1, nameof(options.DilationWidth));
        AtLeast(options.Groups, 1, nameof(options.Groups));
        Defined(options.Layout, nameof(options.Layout));
        Defined(options.FilterLayout, nameof(options.FilterLayout));
        CheckActivation(options.Activation);

        int groups = options.Groups;
        if (inputShape.Channels % groups != 0)
        {
            throw new ArgumentException($"Groups ({groups}) must divide Channels ({inputShape.Channels}).", OptionsParameter);
        }

        if (options.OutChannels % groups != 0)
        {
            throw new ArgumentException($"Groups ({groups}) must divide OutChannels ({options.OutChannels}).", OptionsParameter);
        }

        Padding padding = options.Padding;
        (long top, long bottom) = padding.ResolveAxis(padding.Explicit.Top, padding.Explicit.Bottom,
            inputShape.Height, options.KernelHeight, options.StrideHeight, options.DilationHeight);
        (long left, long right) = padding.ResolveAxis(padding.Explicit.Left, padding.Explicit.Right,
            inputShape.Width, options.KernelWidth, options.StrideWidth, options.DilationWidth);
        ExplicitPadding(top, nameof(Padding2D.Top));
        ExplicitPadding(bottom, nameof(Padding2D.Bottom));
        ExplicitPadding(left, nameof(Padding2D.Left));
        ExplicitPadding(right, nameof(Padding2D.Right));
        Padding2D resolved = ToPadding2D(top, bottom, left, right);

        KernelFits("height", inputShape.Height, top, bottom, options.KernelHeight, options.DilationHeight);
        KernelFits("width", inputShape.Width, left, right, options.KernelWidth, options.DilationWidth);
        int outHeight = OutputSize("height", OutputAxis(inputShape.Height, top, bottom, options.KernelHeight,
            options.StrideHeight, options.DilationHeight));
        int outWidth = OutputSize("width", OutputAxis(inputShape.Width, left, right, options.KernelWidth,
            options.StrideWidth, options.DilationWidth));
        var outputShape = new TensorShape(inputShape.Batch, options.OutChannels, outHeight, outWidth);

        int channelsPerGroup = inputShape.Channels / groups;
        int inputLength = ElementCount("input", ShapeParameter, inputShape, options.Layout);
        int filterLength = ElementCount("filter", OptionsParameter,
            options.OutChannels, channelsPerGroup, options.KernelHeight, options.KernelWidth);
        int outputLength = ElementCount("output", OptionsParameter, outputShape, options.Layout);
        PaddedInputFits(inputShape, options.Layout, resolved);

        // Blocked padding lanes are not computed, so the count is the logical one. It is at most OutputLength and
        // FilterLength / K is below 2^31, so twice their product stays below 2^63.
        long flops = 2L * outputShape.ElementCount * ((long)channelsPerGroup * options.KernelHeight * options.KernelWidth);
        return new Conv2DGeometry(inputShape, options, resolved, outputShape, inputLength, filterLength, outputLength, flops);
    }

    // KernelFits has already ensured the dilated kernel fits, so the numerator is not negative.
    private static long OutputAxis(long inSize, long padBegin, long padEnd, long kernel, long stride, long dilation) =>
        ((inSize + padBegin + padEnd - EffectiveKernel(kernel, dilation)) / stride) + 1;

    internal void CheckWeights(ReadOnlySpan<float> filter, ReadOnlySpan<float> bias)
    {
        Length(filter.Length, FilterLength, nameof(filter));
        if (!bias.IsEmpty && bias.Length != BiasLength)
        {
            throw new ArgumentException(
                $"bias has {bias.Length} elements but must be empty or have OutChannels ({BiasLength}).", nameof(bias));
        }
    }

    internal void CheckActivations(ReadOnlySpan<float> input, ReadOnlySpan<float> output)
    {
        Length(input.Length, InputLength, nameof(input), Options.Layout);
        Length(output.Length, OutputLength, nameof(output), Options.Layout);
        NoOverlap(input, output);
    }
}
