namespace NativeConv.Tests.Support;

/// <summary>
/// CsCheck generators for small but complete convolution requests. Every dependent rule is built
/// into the generator (input size chosen after kernel, dilation and pads), so every case is valid.
/// </summary>
internal static class ConvCaseGen
{
    public static readonly Gen<float> Value = Gen.Single[-2f, 2f];

    public static readonly Gen<PaddingMode> Mode = Gen.Frequency(
        (4, Gen.Const(PaddingMode.Explicit)),
        (1, Gen.Const(PaddingMode.Valid)),
        (1, Gen.Const(PaddingMode.SameUpper)),
        (1, Gen.Const(PaddingMode.SameLower)));

    public static readonly Gen<int> Batch = Gen.Frequency(
        (1, Gen.Const(0)),
        (5, Gen.Const(1)),
        (3, Gen.Int[2, 3]));

    /// <summary>
    /// (groups, input channels per group, output channels per group): mostly few channels, some depthwise with a
    /// multiplier, and some with more than one block of 16 channels, rarely a whole number of blocks, and with group
    /// boundaries inside a block (for <see cref="TensorLayout.Nchw16c"/>).
    /// </summary>
    public static readonly Gen<(int Groups, int InPerGroup, int OutPerGroup)> Grouping = Gen.Frequency(
        (6, from g in Gen.Int[1, 3]
            from cg in Gen.Int[1, 3]
            from kg in Gen.Int[1, 3]
            select (g, cg, kg)),
        (2, from channels in Gen.Int[1, 6]
            from multiplier in Gen.Int[1, 3]
            select (channels, 1, multiplier)),
        (1, from g in Gen.Int[1, 3]
            from cg in Gen.Int[5, 20]
            from kg in Gen.Int[5, 20]
            select (g, cg, kg)),
        (1, from channels in Gen.Int[15, 40]
            from multiplier in Gen.Int[1, 2]
            select (channels, 1, multiplier)));

    public static readonly Gen<Activation> Activations = Gen.Frequency(
        (2, Gen.Const(Activation.None)),
        (1, Gen.Const(Activation.Relu)),
        (1, Gen.Const(Activation.Relu6)),
        (1, from low in Gen.Single[-1.5f, 0.5f]
            from width in Gen.Single[0f, 2f]
            select Activation.Clamp(low, low + width)));

    public static Gen<Axis> Spatial(PaddingMode mode) =>
        from kernel in Gen.Int[1, 4]
        from dilation in Gen.Frequency((3, Gen.Const(1)), (1, Gen.Int[2, 3]))
        from stride in Gen.Frequency((2, Gen.Const(1)), (2, Gen.Int[2, 5]))
        from padBegin in mode == PaddingMode.Explicit ? Gen.Int[0, 3] : Gen.Const(0)
        from padEnd in mode == PaddingMode.Explicit ? Gen.Int[0, 3] : Gen.Const(0)
        let span = ShapeMath.Span(kernel, dilation)
        let smallest = mode switch
        {
            PaddingMode.Explicit => Math.Max(1, span - padBegin - padEnd),
            PaddingMode.Valid => span,
            _ => 1,
        }
        // The smallest size makes the (dilated) kernel exactly as large as the padded input.
        from size in Gen.Frequency((1, Gen.Const(smallest)), (3, Gen.Int[smallest, smallest + 7]))
        select new Axis(size, kernel, stride, dilation, padBegin, padEnd);

    public static readonly Gen<ConvCase> Any =
        from layout in Gen.Enum<TensorLayout>()
        from filterLayout in Gen.Enum<FilterLayout>()
        from grouping in Grouping
        from mode in Mode
        from height in Spatial(mode)
        from width in Spatial(mode)
        from batch in Batch
        from hasBias in Gen.Bool
        from activation in Activations
        from accumulate in Gen.Bool
        from maxThreads in Gen.Int[1, 4]
        let data = Shapes(batch, grouping, mode, height, width)
        from input in Value.Array[data.Input.ElementCountAsInt(layout)]
        from filter in Value.Array[data.FilterLength]
        from bias in hasBias ? Value.Array[data.OutChannels] : Gen.Const(Array.Empty<float>())
        from initial in Value.Array[data.Output.ElementCountAsInt(layout)]
        select new ConvCase(
            data.Input,
            new Conv2DOptions(data.OutChannels, height.Kernel, width.Kernel)
            {
                StrideHeight = height.Stride,
                StrideWidth = width.Stride,
                DilationHeight = height.Dilation,
                DilationWidth = width.Dilation,
                Padding = Axis.ToPadding(mode, height, width),
                Groups = grouping.Groups,
                Activation = activation,
                Accumulate = accumulate,
                Layout = layout,
                FilterLayout = filterLayout,
            },
            data.Output,
            // Blocked padding lanes hold NaN in the input and the old output: no result may depend on them.
            Layouts.FillPadding(input, data.Input, layout, float.NaN),
            filter,
            bias,
            Layouts.FillPadding(initial, data.Output, layout, float.NaN),
            maxThreads);

    private static (TensorShape Input, TensorShape Output, int OutChannels, int FilterLength) Shapes(
        int batch, (int Groups, int InPerGroup, int OutPerGroup) grouping, PaddingMode mode, Axis height, Axis width)
    {
        int channels = grouping.Groups * grouping.InPerGroup;
        int outChannels = grouping.Groups * grouping.OutPerGroup;
        (int top, int bottom) = height.Resolve(mode);
        (int left, int right) = width.Resolve(mode);
        var input = new TensorShape(batch, channels, height.Size, width.Size);
        var output = new TensorShape(
            batch,
            outChannels,
            ShapeMath.ConvOutput(height.Size, height.Kernel, height.Stride, height.Dilation, top, bottom),
            ShapeMath.ConvOutput(width.Size, width.Kernel, width.Stride, width.Dilation, left, right));
        int filterLength = outChannels * grouping.InPerGroup * height.Kernel * width.Kernel;
        return (input, output, outChannels, filterLength);
    }
}
