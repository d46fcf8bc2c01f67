namespace NativeConv.Tests;

public sealed class FiltersTests
{
    [Fact]
    public void Sobel_Scharr_Laplacian_sharpen_and_emboss_have_their_textbook_weights()
    {
        Assert.Equal([-1f, 0, 1, -2, 0, 2, -1, 0, 1], Kernel2D.SobelX.ToArray());
        Assert.Equal([-1f, -2, -1, 0, 0, 0, 1, 2, 1], Kernel2D.SobelY.ToArray());
        Assert.Equal([-3f, 0, 3, -10, 0, 10, -3, 0, 3], Kernel2D.ScharrX.ToArray());
        Assert.Equal([-3f, -10, -3, 0, 0, 0, 3, 10, 3], Kernel2D.ScharrY.ToArray());
        Assert.Equal([0f, 1, 0, 1, -4, 1, 0, 1, 0], Kernel2D.Laplacian4.ToArray());
        Assert.Equal([1f, 1, 1, 1, -8, 1, 1, 1, 1], Kernel2D.Laplacian8.ToArray());
        Assert.Equal([0f, -1, 0, -1, 5, -1, 0, -1, 0], Kernel2D.Sharpen.ToArray());
        Assert.Equal([-2f, -1, 0, -1, 1, 1, 0, 1, 2], Kernel2D.Emboss.ToArray());
        Assert.Equal(2f, Kernel2D.SobelX[1, 2]);
        Assert.Equal("[-1 0 1; -2 0 2; -1 0 1]", Kernel2D.SobelX.ToString());
    }

    [Fact]
    public void Gaussian_3x3_with_sigma_1_has_the_hand_computed_weights()
    {
        // Centre weight e^0, edge weights e^-1/2, corner weights e^-1, normalised by their sum.
        double sum = 1 + (4 * Math.Exp(-0.5)) + (4 * Math.Exp(-1));
        Kernel2D kernel = Kernel2D.Gaussian(3, 1.0);
        Assert.Equal(1 / sum, kernel[1, 1], 1e-7);
        Assert.Equal(Math.Exp(-0.5) / sum, kernel[0, 1], 1e-7);
        Assert.Equal(Math.Exp(-1) / sum, kernel[2, 2], 1e-7);
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(4, 1.0)]
    [InlineData(5, 1.4)]
    [InlineData(9, 3.0)]
    public void Gaussian_sums_to_one_is_symmetric_and_peaks_in_the_centre(int size, double sigma)
    {
        Kernel2D kernel = Kernel2D.Gaussian(size, sigma);
        Assert.Equal((size, size), (kernel.Height, kernel.Width));
        double sum = 0;
        foreach (float v in kernel.Values)
        {
            sum += v;
        }

        Assert.Equal(1.0, sum, 1e-6);
        for (int r = 0; r < size; r++)
        {
            for (int s = 0; s < size; s++)
            {
                Assert.Equal(kernel[r, s], kernel[s, r]);
                Assert.Equal(kernel[r, s], kernel[size - 1 - r, s]);
                Assert.Equal(kernel[r, s], kernel[r, size - 1 - s]);
                Assert.True(kernel[r, s] <= kernel[size / 2, size / 2]);
            }
        }
    }

    [Fact]
    public void Box_user_matrices_and_bad_arguments()
    {
        Assert.All(Kernel2D.Box(3).ToArray(), v => Assert.Equal(1f / 9, v));
        Kernel2D custom = Kernel2D.FromMatrix(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal((2, 3), (custom.Height, custom.Width));
        Assert.Equal([1f, 2, 3, 4, 5, 6], custom.ToArray());
        Assert.Equal(custom.ToArray(), Kernel2D.Create(2, 3, [1, 2, 3, 4, 5, 6]).ToArray());

        Assert.Equal("values", Assert.Throws<ArgumentException>(() => Kernel2D.Create(2, 2, [1, 2, 3])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernel2D.Create(0, 2, []));
        Assert.Throws<ArgumentException>(() => Kernel2D.FromMatrix(new float[0, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernel2D.Gaussian(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernel2D.Gaussian(3, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernel2D.Box(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernel2D.SobelX[3, 0]);
    }

    public static TheoryData<string, TensorLayout, int> ApplyCases()
    {
        var data = new TheoryData<string, TensorLayout, int>();
        foreach (string kernel in new[] { "gaussian5", "sobelx", "emboss", "custom2x3" })
        {
            foreach (TensorLayout layout in Enum.GetValues<TensorLayout>())
            {
                foreach (int padding in new[] { -1, 0, 2 })
                {
                    data.Add(kernel, layout, padding);
                }
            }
        }

        return data;
    }

    /// <param name="padding">-1 for the default (same), else explicit padding on every side.</param>
    [Theory]
    [MemberData(nameof(ApplyCases))]
    public void Apply_matches_a_depthwise_reference_convolution(string kernelName, TensorLayout layout, int padding)
    {
        Kernel2D kernel = kernelName switch
        {
            "gaussian5" => Kernel2D.Gaussian(5, 1.4),
            "sobelx" => Kernel2D.SobelX,
            "emboss" => Kernel2D.Emboss,
            _ => Kernel2D.Create(2, 3, [0.5f, -1, 2, 0.25f, 1, -0.75f]),
        };
        var shape = new TensorShape(2, 3, 9, 11);
        Padding? chosen = padding < 0 ? null : padding;
        // Blocked padding lanes hold NaN: a filter that read them would spread NaN into real outputs.
        float[] input = Layouts.FromNchw(TestData.Pattern((int)shape.ElementCount, 11), shape, layout, float.NaN);

        TensorShape outputShape = Filters.GetOutputShape(shape, kernel, chosen);
        var actual = new float[outputShape.ElementCountIn(layout)];
        Filters.Apply(shape, input, kernel, actual, chosen, layout);

        var options = new Conv2DOptions(3, kernel.Height, kernel.Width) { Groups = 3, Padding = chosen ?? Padding.Same, Layout = layout };
        float[] filter = [.. kernel.Values, .. kernel.Values, .. kernel.Values];
        var expected = new float[actual.Length];
        ReferenceConvolution.Conv2D(shape, options, input, filter, [], expected);
        Assert.Equal(Conv2DGeometry.Create(shape, options).OutputShape, outputShape);

        var bound = new float[actual.Length];
        ReferenceConvolution.Conv2D(shape, options, Tolerance.Abs(input), Tolerance.Abs(filter), [], bound);
        Tolerance.Check(expected, actual, bound, () => $"{kernelName} {layout} padding {padding}");
    }

    [Fact]
    public void Apply_with_same_padding_keeps_the_shape_and_a_normalised_blur_keeps_a_flat_interior_flat()
    {
        var shape = new TensorShape(1, 2, 8, 8);
        float[] input = Enumerable.Repeat(0.5f, 128).ToArray();
        var output = new float[128];
        Filters.Apply(shape, input, Kernel2D.Box(3), output);
        Assert.Equal(shape, Filters.GetOutputShape(shape, Kernel2D.Box(3)));
        Assert.Equal(0.5f, output[(3 * 8) + 4], 6);
        Assert.Equal(0.5f * 4 / 9, output[0], 6); // the corner window holds 4 of 9 pixels, the rest is zero padding
    }

    /// <summary>
    /// A 5x6 image that is 0 in columns 0-2 and 1 in columns 3-5 (channel 1 holds twice that). Without padding the
    /// 3x3 windows centre on columns 1-4: gx = (1 + 2 + 1)·(right column − left column), which is 4·step at columns 2
    /// and 3 and 0 elsewhere; every row is the same, so gy = 0 and the magnitude is |gx|.
    /// </summary>
    [Theory]
    [InlineData(TensorLayout.Nchw)]
    [InlineData(TensorLayout.Nhwc)]
    [InlineData(TensorLayout.Nchw16c)]
    public void Gradient_magnitude_of_a_vertical_step_edge_is_four_times_the_step_at_the_edge(TensorLayout layout)
    {
        var shape = new TensorShape(1, 2, 5, 6);
        var nchw = new float[60];
        for (int c = 0; c < 2; c++)
        {
            for (int y = 0; y < 5; y++)
            {
                for (int x = 3; x < 6; x++)
                {
                    nchw[(((c * 5) + y) * 6) + x] = c + 1;
                }
            }
        }

        float[] row0 = [0, 4, 4, 0];
        float[] row1 = [0, 8, 8, 0];
        var expectedNchw = new float[2 * 3 * 4];
        for (int y = 0; y < 3; y++)
        {
            row0.CopyTo(expectedNchw, y * 4);
            row1.CopyTo(expectedNchw, 12 + (y * 4));
        }

        var outputShape = new TensorShape(1, 2, 3, 4);
        float[] input = Layouts.FromNchw(nchw, shape, layout, float.NaN);
        float[] expected = Layouts.FromNchw(expectedNchw, outputShape, layout);
        var actual = new float[expected.Length];
        Array.Fill(actual, float.NaN);
        Filters.GradientMagnitude(shape, input, actual, Padding.Valid, layout);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(TensorLayout.Nchw)]
    [InlineData(TensorLayout.Nhwc)]
    [InlineData(TensorLayout.Nchw16c)]
    public void Gradient_magnitude_with_same_padding_combines_the_two_sobel_responses(TensorLayout layout)
    {
        // 9 channels: in Nchw16c the 18 gradient channels take two blocks, the 9 magnitudes one.
        var shape = new TensorShape(2, 9, 7, 5);
        float[] input = Layouts.FromNchw(TestData.Pattern((int)shape.ElementCount, 21), shape, layout);
        var gx = new float[input.Length];
        var gy = new float[input.Length];
        Filters.Apply(shape, input, Kernel2D.SobelX, gx, layout: layout);
        Filters.Apply(shape, input, Kernel2D.SobelY, gy, layout: layout);

        var actual = new float[input.Length];
        Filters.GradientMagnitude(shape, input, actual, layout: layout, maxThreads: 1);
        for (int i = 0; i < actual.Length; i++)
        {
            // The combined call may pick another native kernel than the two single ones, so allow reordered sums.
            Assert.Equal(MathF.Sqrt((gx[i] * gx[i]) + (gy[i] * gy[i])), actual[i], 2e-4f);
        }
    }

    [Fact]
    public void Wrong_buffers_are_rejected_with_the_parameter_name()
    {
        var shape = new TensorShape(1, 1, 4, 4);
        var input = new float[16];
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Filters.Apply(shape, input, Kernel2D.SobelX, new float[15])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Filters.GradientMagnitude(shape, input, new float[15])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Filters.GradientMagnitude(shape, input, input)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => Filters.GradientMagnitude(shape, new float[3], new float[16])).ParamName);
        Assert.Throws<ArgumentNullException>(() => Filters.Apply(shape, input, null!, new float[16]));

        // In Nchw16c the one channel is padded to a block of 16: 256 floats, and the message says why.
        var blocked = new float[256];
        ArgumentException unpadded = Assert.Throws<ArgumentException>(() =>
            Filters.GradientMagnitude(shape, blocked, new float[16], layout: TensorLayout.Nchw16c));
        Assert.Equal("output", unpadded.ParamName);
        Assert.Contains("256", unpadded.Message);
        Assert.Contains("Nchw16c", unpadded.Message);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() =>
            Filters.Apply(shape, input, Kernel2D.SobelX, blocked, layout: TensorLayout.Nchw16c)).ParamName);
    }
}
