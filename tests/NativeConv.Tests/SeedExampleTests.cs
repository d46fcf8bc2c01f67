namespace NativeConv.Tests;

/// <summary>
/// The two examples the project started from: the classic TensorFlow-style first layer on a
/// 224x224 RGB image, and the small strided example worked out by hand.
/// </summary>
public sealed class SeedExampleTests
{
    [Theory]
    [InlineData(TensorLayout.Nhwc, FilterLayout.Hwio)]
    [InlineData(TensorLayout.Nchw, FilterLayout.Oihw)]
    public void Classic_224x224x3_image_with_32_5x5_filters_matches_the_reference(TensorLayout layout, FilterLayout filterLayout)
    {
        var shape = new TensorShape(1, 3, 224, 224);
        var options = new Conv2DOptions(32, 5)
        {
            Padding = Padding.Same,
            Activation = Activation.Relu,
            Layout = layout,
            FilterLayout = filterLayout,
        };
        var geometry = Conv2DGeometry.Create(shape, options);
        Assert.Equal(new TensorShape(1, 32, 224, 224), geometry.OutputShape);
        Assert.Equal(new Padding2D(2, 2, 2, 2), geometry.Padding);
        Assert.Equal(32 * 3 * 5 * 5, geometry.FilterLength);

        var stats = new ParityStats();
        ConvParity.Check(
            new ConvCase(
                shape,
                options,
                geometry.OutputShape,
                TestData.Pattern(geometry.InputLength, 1),
                TestData.Pattern(geometry.FilterLength, 2),
                TestData.Pattern(geometry.BiasLength, 3),
                new float[geometry.OutputLength],
                Environment.ProcessorCount),
            stats);
        stats.Report($"224x224x3 * 32x5x5x3, {layout}/{filterLayout}");
    }

    [Fact]
    public void Classic_example_gives_the_same_result_in_TensorFlow_and_PyTorch_layouts()
    {
        var shape = new TensorShape(1, 3, 224, 224);
        var pytorch = new Conv2DOptions(32, 5) { Padding = Padding.Same };
        var tensorflow = pytorch with { Layout = TensorLayout.Nhwc, FilterLayout = FilterLayout.Hwio };
        var geometry = Conv2DGeometry.Create(shape, pytorch);
        float[] input = TestData.Pattern(geometry.InputLength, 4);
        float[] filter = TestData.Pattern(geometry.FilterLength, 5);
        float[] bias = TestData.Pattern(geometry.BiasLength, 6);

        float[] nchw = new float[geometry.OutputLength];
        Convolution.Conv2D(shape, pytorch, input, filter, bias, nchw);
        float[] nhwc = new float[geometry.OutputLength];
        Convolution.Conv2D(shape, tensorflow, Layouts.NchwToNhwc(input, shape), Layouts.OihwToHwio(filter, 32, 3, 5, 5), bias, nhwc);

        var asCase = new ConvCase(shape, pytorch, geometry.OutputShape, input, filter, bias, nchw, 1);
        float[] bound = ConvParity.ErrorBound(asCase);
        Tolerance.Check(
            Layouts.NchwToNhwc(nchw, geometry.OutputShape), nhwc, Layouts.NchwToNhwc(bound, geometry.OutputShape), () => "NHWC/HWIO vs NCHW/OIHW");
    }

    /// <summary>
    /// 5x5x3 input, two 3x3x3 filters with bias, padding 1, stride 2: a 3x3x2 output.
    ///
    /// Input: x[c][h][w] = 25c + 5h + w (the NCHW flat index, 0..74); padding reads 0. Output (p, q)
    /// reads the window whose top-left input pixel is (2p − 1, 2q − 1), so tap (r, s) reads input
    /// pixel (2p − 1 + r, 2q − 1 + s), which is padding when it is −1 or 5.
    ///
    /// Filter 0: +2 at (c0, r1, s1), −1 at (c2, r0, s0), bias +1.
    ///   centre tap → x[0][2p][2q] = 10p + 2q, always inside;
    ///   corner tap → x[2][2p−1][2q−1] = 50 + 5(2p−1) + (2q−1) = 44 + 10p + 2q, padding when p = 0 or q = 0.
    ///   p or q = 0: 2(10p + 2q) + 1            → (0,0) 1, (0,1) 5, (0,2) 9, (1,0) 21, (2,0) 41
    ///   p, q ≥ 1:  2(10p + 2q) − (44 + 10p + 2q) + 1 = 10p + 2q − 43
    ///                                          → (1,1) −31, (1,2) −29, (2,1) −21, (2,2) −19
    ///   e.g. (2,2): 2·x[0][4][4] − x[2][3][3] + 1 = 2·24 − 68 + 1 = −19.
    ///
    /// Filter 1: +1 at (c1, r2, s2), −1 at (c0, r0, s2), +0.5 at (c2, r1, s0), bias −2.
    ///   A = x[1][2p+1][2q+1] = 31 + 10p + 2q,  padding when p = 2 or q = 2;
    ///   B = x[0][2p−1][2q+1] = 10p + 2q − 4,   padding when p = 0 or q = 2;
    ///   C = x[2][2p][2q−1]   = 49 + 10p + 2q,  padding when q = 0.
    ///   out = A − B + C/2 − 2:
    ///   (0,0) 31 − 2 = 29            (0,1) 33 + 51/2 − 2 = 56.5     (0,2) 53/2 − 2 = 24.5
    ///   (1,0) 41 − 6 − 2 = 33        (1,1) 43 − 8 + 61/2 − 2 = 63.5 (1,2) 63/2 − 2 = 29.5
    ///   (2,0) −16 − 2 = −18          (2,1) −18 + 71/2 − 2 = 15.5    (2,2) 73/2 − 2 = 34.5
    ///
    /// Every value is a small multiple of 0.5, so float arithmetic is exact in any order.
    /// </summary>
    [Theory]
    [InlineData(TensorLayout.Nchw, FilterLayout.Oihw)]
    [InlineData(TensorLayout.Nhwc, FilterLayout.Hwio)]
    [InlineData(TensorLayout.Nchw, FilterLayout.Hwio)]
    [InlineData(TensorLayout.Nhwc, FilterLayout.Oihw)]
    public void Small_strided_example_matches_the_hand_computation(TensorLayout layout, FilterLayout filterLayout)
    {
        var shape = new TensorShape(1, 3, 5, 5);
        var options = new Conv2DOptions(2, 3) { Stride = 2, Padding = 1, Layout = layout, FilterLayout = filterLayout };

        float[] input = new float[75];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = i;
        }

        float[] filter = new float[2 * 3 * 3 * 3];
        filter[OihwIndex(0, 0, 1, 1)] = 2;
        filter[OihwIndex(0, 2, 0, 0)] = -1;
        filter[OihwIndex(1, 1, 2, 2)] = 1;
        filter[OihwIndex(1, 0, 0, 2)] = -1;
        filter[OihwIndex(1, 2, 1, 0)] = 0.5f;
        float[] bias = [1, -2];

        float[] expected =
        [
            1, 5, 9,
            21, -31, -29,
            41, -21, -19,

            29, 56.5f, 24.5f,
            33, 63.5f, 29.5f,
            -18, 15.5f, 34.5f,
        ];
        var outputShape = new TensorShape(1, 2, 3, 3);
        Assert.Equal(outputShape, Conv2DGeometry.Create(shape, options).OutputShape);

        if (layout == TensorLayout.Nhwc)
        {
            input = Layouts.NchwToNhwc(input, shape);
            expected = Layouts.NchwToNhwc(expected, outputShape);
        }

        if (filterLayout == FilterLayout.Hwio)
        {
            filter = Layouts.OihwToHwio(filter, 2, 3, 3, 3);
        }

        float[] native = new float[18];
        Convolution.Conv2D(shape, options, input, filter, bias, native);
        Assert.Equal(expected, native);

        using var plan = new Conv2DPlan(shape, options, filter, bias);
        float[] planned = new float[18];
        plan.Run(input, planned);
        Assert.Equal(expected, planned);

        float[] reference = new float[18];
        ReferenceConvolution.Conv2D(shape, options, input, filter, bias, reference);
        Assert.Equal(expected, reference);
    }

    private static int OihwIndex(int k, int c, int r, int s) => ((k * 3 + c) * 3 + r) * 3 + s;
}
