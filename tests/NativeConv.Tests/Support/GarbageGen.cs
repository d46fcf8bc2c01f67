namespace NativeConv.Tests.Support;

/// <summary>
/// Requests built from arbitrary numbers: mostly small (so some are valid), some zero or negative,
/// some at the int extremes, plus undefined enum values and NaN or reversed clamp bounds.
/// </summary>
internal static class GarbageGen
{
    public static readonly Gen<int> Number = Gen.Frequency(
        (12, Gen.Int[1, 4]),
        (3, Gen.Int[-2, 0]),
        (1, Gen.Int),
        (1, Gen.OneOf(Gen.Const(int.MaxValue), Gen.Const(int.MinValue), Gen.Const(65536), Gen.Const(46341))));

    public static readonly Gen<int> EnumValue = Gen.Frequency((12, Gen.Int[0, 1]), (1, Gen.Int[-2, 4]));

    public static readonly Gen<float> Bound = Gen.Frequency(
        (6, Gen.Single[-3f, 3f]),
        (1, Gen.OneOf(Gen.Const(float.NaN), Gen.Const(float.NegativeInfinity), Gen.Const(float.PositiveInfinity))));

    public static readonly Gen<Padding> Paddings = Gen.Frequency(
        (4, from top in Number from bottom in Number from left in Number from right in Number
            select Padding.Of(top - 1, bottom - 1, left - 1, right - 1)),
        (1, Gen.OneOf(Gen.Const(Padding.Valid), Gen.Const(Padding.Same), Gen.Const(Padding.SameLower), Gen.Const(default(Padding)))));

    public static readonly Gen<TensorShape> Shapes =
        from batch in Number
        from channels in Number
        from height in Number
        from width in Number
        select new TensorShape(batch - 1, channels, height + 2, width + 2);

    public static readonly Gen<(TensorShape, Conv2DOptions)> Conv =
        from shape in Shapes
        from outChannels in Number
        from kernelHeight in Number
        from kernelWidth in Number
        from strideHeight in Number
        from strideWidth in Number
        from dilationHeight in Number
        from dilationWidth in Number
        from groups in Gen.Frequency((3, Gen.Const(1)), (1, Number))
        from padding in Paddings
        from activationKind in EnumValue
        from min in Bound
        from max in Bound
        from layout in EnumValue
        from filterLayout in EnumValue
        from accumulate in Gen.Bool
        select (shape, new Conv2DOptions(outChannels, kernelHeight, kernelWidth)
        {
            StrideHeight = strideHeight,
            StrideWidth = strideWidth,
            DilationHeight = dilationHeight,
            DilationWidth = dilationWidth,
            Groups = groups,
            Padding = padding,
            Activation = new Activation((ActivationKind)activationKind, min, max),
            Layout = (TensorLayout)layout,
            FilterLayout = (FilterLayout)filterLayout,
            Accumulate = accumulate,
        });

    public static readonly Gen<(TensorShape, Pool2DOptions)> Pool =
        from shape in Shapes
        from kind in EnumValue
        from kernelHeight in Number
        from kernelWidth in Number
        from strideHeight in Number
        from strideWidth in Number
        from dilationHeight in Number
        from dilationWidth in Number
        from padding in Paddings
        from ceil in Gen.Bool
        from includePad in Gen.Bool
        from global in Gen.Frequency((6, Gen.Const(false)), (1, Gen.Const(true)))
        from layout in EnumValue
        select (shape, new Pool2DOptions((PoolKind)kind, kernelHeight, kernelWidth)
        {
            StrideHeight = strideHeight,
            StrideWidth = strideWidth,
            DilationHeight = dilationHeight,
            DilationWidth = dilationWidth,
            Padding = padding,
            CeilMode = ceil,
            CountIncludePad = includePad,
            Global = global,
            Layout = (TensorLayout)layout,
        });
}
