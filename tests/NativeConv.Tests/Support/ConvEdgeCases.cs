namespace NativeConv.Tests.Support;

/// <summary>
/// Hand-picked convolutions at the corners of the parameter space, each in every layout
/// combination, so they are covered on every run whatever the random generator draws.
/// </summary>
internal static class ConvEdgeCases
{
    public static IEnumerable<ConvCase> All() => Requests().SelectMany(r => InEveryLayout(r.Input, r.Options));

    private static IEnumerable<(TensorShape Input, Conv2DOptions Options)> Requests()
    {
        // 1x1 image, 3x3 kernel that sees the pixel only through padding on every side.
        yield return (new TensorShape(1, 2, 1, 1), new Conv2DOptions(3, 3) { Padding = 1 });
        // Kernel exactly as large as the padded input (output 1x1).
        yield return (new TensorShape(2, 3, 3, 4), new Conv2DOptions(2, 5, 6) { Padding = 1 });
        // Dilated kernel spanning the whole input.
        yield return (new TensorShape(1, 2, 7, 7), new Conv2DOptions(2, 3) { Dilation = 3 });
        // Strides larger than the kernel skip input pixels.
        yield return (new TensorShape(1, 2, 9, 10), new Conv2DOptions(3, 2, 1) { StrideHeight = 4, StrideWidth = 3 });
        // Depthwise with channel multiplier 2.
        yield return (new TensorShape(1, 4, 6, 6), new Conv2DOptions(8, 3) { Padding = 1, Groups = 4 });
        // Asymmetric padding with a stride.
        yield return (new TensorShape(1, 3, 6, 7), new Conv2DOptions(4, 3, 2) { Stride = 2, Padding = Padding.Of(2, 0, 0, 1) });
        // TensorFlow SAME with an odd total: the extra row/column goes at the end (or start for SameLower).
        yield return (new TensorShape(1, 2, 6, 6), new Conv2DOptions(2, 3) { Stride = 2, Padding = Padding.Same });
        yield return (new TensorShape(1, 2, 6, 6), new Conv2DOptions(2, 3) { Stride = 2, Padding = Padding.SameLower });
        // Empty batch: nothing to compute, nothing must be touched.
        yield return (new TensorShape(0, 2, 5, 5), new Conv2DOptions(2, 3));
        // Grouped 1x1 (pointwise) convolution.
        yield return (new TensorShape(3, 6, 4, 5), new Conv2DOptions(9, 1) { Groups = 3 });
        // More than one block of 16 channels in and out, neither a whole number of blocks.
        yield return (new TensorShape(2, 17, 5, 6), new Conv2DOptions(33, 3) { Padding = 1 });
        // Exactly one block in, exactly two out: no padding lanes.
        yield return (new TensorShape(1, 16, 4, 4), new Conv2DOptions(32, 3) { Padding = Padding.Same });
        // Two groups of 17 channels: each group boundary falls inside a block.
        yield return (new TensorShape(1, 34, 5, 5), new Conv2DOptions(18, 3) { Groups = 2, Stride = 2, Padding = 1 });
        // Depthwise over 20 channels (a block and a part), channel multiplier 3.
        yield return (new TensorShape(1, 20, 6, 7), new Conv2DOptions(60, 3) { Groups = 20, Padding = 1 });
        // Depthwise 3x3 at stride 1, one channel per group, rows longer than two AVX-512 vectors with uneven
        // padding: the row tiles of conv_dw_nchw_3x3_6x1__avx512 and conv_dw_nchw_3x3_4x1__avx2 load under masks at
        // every border and plainly inside, and 14 output rows leave both a tail of two-row tiles.
        yield return (new TensorShape(2, 5, 13, 37), new Conv2DOptions(5, 3) { Groups = 5, Padding = Padding.Of(1, 2, 0, 2) });
        // The same tiles at stride 2: 21 output columns end in a tile moved back over its neighbour, and 6 output
        // rows fill one AVX-512 tile or leave an AVX2 tile's two-row tail.
        yield return (new TensorShape(1, 6, 11, 41), new Conv2DOptions(6, 3) { Groups = 6, Stride = 2, Padding = 1 });
        // A 7x7 stride-2 first layer over rows wider than one staged chunk: the NCHW row kernel stages each
        // chunk's input rows as even and odd columns.
        yield return (new TensorShape(1, 7, 9, 400), new Conv2DOptions(4, 7) { Stride = 2, Padding = 3 });
        // Depthwise on a 1x1 image padded to a larger output: in Nchw16c the image's blocks are adjacent but the
        // output's a plane apart (found by the random parity test), and some outputs see only padding.
        yield return (new TensorShape(1, 21, 1, 1),
            new Conv2DOptions(21, 2, 1) { Groups = 21, StrideHeight = 2, StrideWidth = 5, DilationHeight = 3, DilationWidth = 2, Padding = Padding.Of(2, 3, 1, 3) });
        yield return (new TensorShape(2, 28, 1, 1),
            new Conv2DOptions(28, 1) { Groups = 28, StrideHeight = 4, Padding = Padding.Of(1, 3, 3, 1), Activation = Activation.Relu6 });
    }

    /// <summary>The output shape comes from the library here; <c>GeometryTests</c> checks it against hand-computed shapes.</summary>
    private static IEnumerable<ConvCase> InEveryLayout(TensorShape input, Conv2DOptions options)
    {
        int salt = 0;
        foreach (TensorLayout layout in Enum.GetValues<TensorLayout>())
        {
            foreach (FilterLayout filterLayout in Enum.GetValues<FilterLayout>())
            {
                salt++;
                Conv2DOptions variant = options with
                {
                    Layout = layout,
                    FilterLayout = filterLayout,
                    Activation = salt % 2 == 0 ? Activation.Relu6 : Activation.None,
                    Accumulate = salt > 2,
                };
                var geometry = Conv2DGeometry.Create(input, variant);
                yield return new ConvCase(
                    input,
                    variant,
                    geometry.OutputShape,
                    TestData.Pattern(geometry.InputLength, salt),
                    TestData.Pattern(geometry.FilterLength, salt + 10),
                    salt % 2 == 0 ? [] : TestData.Pattern(geometry.BiasLength, salt + 20),
                    TestData.Pattern(geometry.OutputLength, salt + 30),
                    salt);
            }
        }
    }
}
