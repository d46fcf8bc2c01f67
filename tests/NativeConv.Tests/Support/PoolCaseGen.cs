namespace NativeConv.Tests.Support;

/// <summary>CsCheck generators for valid pooling requests, with NaNs, all-negative inputs and pooled activations mixed in.</summary>
internal static class PoolCaseGen
{
    public static Gen<Axis> Spatial(PoolKind kind, PaddingMode mode, bool ceil) =>
        from kernel in Gen.Int[1, 4]
        // SAME padding of a dilated window can exceed kernel / 2, which pooling rejects.
        from dilation in kind == PoolKind.Max && mode == PaddingMode.Explicit
            ? Gen.Frequency((3, Gen.Const(1)), (1, Gen.Int[2, 3]))
            : Gen.Const(1)
        from stride in Gen.Frequency((1, Gen.Const(kernel)), (2, Gen.Int[1, 4]))
        from padBegin in mode == PaddingMode.Explicit ? Gen.Int[0, kernel / 2] : Gen.Const(0)
        from padEnd in mode == PaddingMode.Explicit ? Gen.Int[0, kernel / 2] : Gen.Const(0)
        let span = ShapeMath.Span(kernel, dilation)
        // In ceil mode (as in PyTorch) the one window may reach up to stride − 1 past the padded input.
        let slack = ceil ? stride - 1 : 0
        let smallest = mode switch
        {
            PaddingMode.Explicit => Math.Max(1, span - padBegin - padEnd - slack),
            PaddingMode.Valid => Math.Max(1, span - slack),
            _ => 1,
        }
        from size in Gen.Frequency((1, Gen.Const(smallest)), (3, Gen.Int[smallest, smallest + 7]))
        select new Axis(size, kernel, stride, dilation, padBegin, padEnd);

    public static Gen<float> Values(bool withNaN, bool allNegative)
    {
        Gen<float> finite = allNegative ? Gen.Single[-2f, -0.01f] : Gen.Single[-2f, 2f];
        return withNaN ? Gen.Frequency((30, finite), (1, Gen.Const(float.NaN))) : finite;
    }

    public static readonly Gen<PoolCase> Any =
        from kind in Gen.Enum<PoolKind>()
        from layout in Gen.Enum<TensorLayout>()
        from global in Gen.Frequency((1, Gen.Const(true)), (9, Gen.Const(false)))
        from ceil in Gen.Bool
        from includePad in Gen.Bool
        from mode in ConvCaseGen.Mode
        from height in Spatial(kind, mode, ceil && !global)
        from width in Spatial(kind, mode, ceil && !global)
        from batch in ConvCaseGen.Batch
        from channels in Gen.Frequency((3, Gen.Int[1, 5]), (1, Gen.Int[6, 20]))
        from withNaN in Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true)))
        from allNegative in Gen.Bool
        from maxThreads in Gen.Int[1, 4]
        from activation in ConvCaseGen.Activations
        let inputShape = new TensorShape(batch, channels, height.Size, width.Size)
        let outputShape = global
            ? inputShape with { Height = 1, Width = 1 }
            : inputShape with { Height = Output(height, mode, ceil), Width = Output(width, mode, ceil) }
        from input in Values(withNaN, allNegative).Array[inputShape.ElementCountAsInt(layout)]
        select new PoolCase(
            inputShape,
            global
                ? (kind == PoolKind.Max ? Pool2DOptions.GlobalMax : Pool2DOptions.GlobalAverage) with { Layout = layout, Activation = activation }
                : new Pool2DOptions(kind, height.Kernel, width.Kernel)
                {
                    StrideHeight = height.Stride,
                    StrideWidth = width.Stride,
                    DilationHeight = height.Dilation,
                    DilationWidth = width.Dilation,
                    Padding = Axis.ToPadding(mode, height, width),
                    CeilMode = ceil,
                    CountIncludePad = includePad,
                    Layout = layout,
                    Activation = activation,
                },
            outputShape,
            // Blocked padding lanes hold NaN: neither a max nor an average may read them.
            Layouts.FillPadding(input, inputShape, layout, float.NaN),
            maxThreads);

    private static int Output(Axis axis, PaddingMode mode, bool ceil)
    {
        (int begin, int end) = axis.Resolve(mode);
        return ShapeMath.PoolOutput(axis.Size, axis.Kernel, axis.Stride, axis.Dilation, begin, end, ceil);
    }
}
