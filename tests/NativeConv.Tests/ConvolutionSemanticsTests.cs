namespace NativeConv.Tests;

/// <summary>
/// Small convolutions worked out by hand for the rules where the native code and the reference
/// could share a misreading: grouped filter layouts, dilation, and accumulate-then-activate.
/// Each runs through the one-shot call, a plan and the reference.
/// </summary>
public sealed class ConvolutionSemanticsTests
{
    [Fact]
    public void Grouped_OIHW_filter_is_output_major()
    {
        // 4 channels in 2 groups, one 1x1 filter per group, on a 1x1 image x = 1, 2, 3, 4.
        // OIHW [k][c]: filter 0 = (1, 10) on channels 0,1; filter 1 = (100, 1000) on channels 2,3.
        // out0 = 1·1 + 2·10 = 21; out1 = 3·100 + 4·1000 = 4300.
        var options = new Conv2DOptions(2, 1) { Groups = 2 };
        AssertConv(new TensorShape(1, 4, 1, 1), options, [1, 2, 3, 4], [1, 10, 100, 1000], [21, 4300]);
    }

    [Fact]
    public void Grouped_HWIO_filter_is_input_channel_major_within_the_group()
    {
        // Same request in HWIO [c within group][k]: w[c0][k0] = 1, w[c0][k1] = 10, w[c1][k0] = 100,
        // w[c1][k1] = 1000; output k reads its own group (k / 1), so
        // out0 = x0·1 + x1·100 = 201; out1 = x2·10 + x3·1000 = 4030.
        var options = new Conv2DOptions(2, 1) { Groups = 2, FilterLayout = FilterLayout.Hwio, Layout = TensorLayout.Nhwc };
        AssertConv(new TensorShape(1, 4, 1, 1), options, [1, 2, 3, 4], [1, 10, 100, 1000], [201, 4030]);
    }

    [Fact]
    public void Depthwise_HWIO_filter_matches_TensorFlow_channel_multiplier_order()
    {
        // TensorFlow depthwise filter [kh][kw][channel][multiplier] = [1][1][2][2] = 1, 10, 100, 1000;
        // output channel c·2 + m = x[c]·w[c][m]: x = 3, 5 gives 3, 30, 500, 5000.
        var options = new Conv2DOptions(4, 1) { Groups = 2, FilterLayout = FilterLayout.Hwio, Layout = TensorLayout.Nhwc };
        AssertConv(new TensorShape(1, 2, 1, 1), options, [3, 5], [1, 10, 100, 1000], [3, 30, 500, 5000]);
    }

    [Fact]
    public void Dilation_spreads_the_kernel_taps()
    {
        // Row 1..7, a 1x3 kernel of ones with dilation 2 reads x[i], x[i+2], x[i+4]:
        // 1+3+5 = 9, 2+4+6 = 12, 3+5+7 = 15.
        var options = new Conv2DOptions(1, 1, 3) { DilationWidth = 2 };
        AssertConv(new TensorShape(1, 1, 1, 7), options, [1, 2, 3, 4, 5, 6, 7], [1, 1, 1], [9, 12, 15]);
    }

    [Fact]
    public void Accumulate_adds_the_old_output_before_the_activation()
    {
        // 1x1 conv with weight 2 and bias 1 on x = 1, 2, 3; old output −10, 3, 0.
        // Sums: 2+1−10 = −7, 4+1+3 = 8, 6+1+0 = 7. ReLU: 0, 8, 7. ReLU6: 0, 6, 6.
        var shape = new TensorShape(1, 1, 1, 3);
        float[] input = [1, 2, 3];
        float[] old = [-10, 3, 0];
        var options = new Conv2DOptions(1, 1) { Accumulate = true };
        AssertConv(shape, options, input, [2], [-7, 8, 7], [1], old);
        AssertConv(shape, options with { Activation = Activation.Relu }, input, [2], [0, 8, 7], [1], old);
        AssertConv(shape, options with { Activation = Activation.Relu6 }, input, [2], [0, 6, 6], [1], old);
        AssertConv(shape, options with { Activation = Activation.Clamp(-1, 7.5f) }, input, [2], [-1, 7.5f, 7], [1], old);

        // Without Accumulate the old contents are ignored: 3, 5, 7.
        AssertConv(shape, options with { Accumulate = false }, input, [2], [3, 5, 7], [1], old);
    }

    private static void AssertConv(TensorShape shape, Conv2DOptions options, float[] input, float[] filter, float[] expected,
        float[]? bias = null, float[]? old = null)
    {
        bias ??= [];
        old ??= new float[expected.Length];

        float[] native = (float[])old.Clone();
        Convolution.Conv2D(shape, options, input, filter, bias, native);
        Assert.Equal(expected, native);

        using var plan = new Conv2DPlan(shape, options, filter, bias);
        float[] planned = (float[])old.Clone();
        plan.Run(input, planned);
        Assert.Equal(expected, planned);

        float[] reference = (float[])old.Clone();
        ReferenceConvolution.Conv2D(shape, options, input, filter, bias, reference);
        Assert.Equal(expected, reference);
    }
}
