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
    }

    /// <summary>The output shape comes from the library here; <c>GeometryTests</c> checks it against hand-computed shapes.</summary>
    private static IEnumerable<ConvCase> InEveryLayout(TensorShape input, Conv2DOptions options)
    {
        var geometry = Conv2DGeometry.Create(input, options);
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
