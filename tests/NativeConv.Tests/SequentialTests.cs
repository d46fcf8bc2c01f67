using NativeConv.Models;

namespace NativeConv.Tests;

public sealed class SequentialTests
{
    private static readonly TensorShape Input = new(2, 3, 16, 12);

    private static readonly Conv2DOptions Conv1 = new(8, 3) { Padding = 1 };
    private static readonly Conv2DOptions Conv2 = new(16, 3) { Padding = Padding.Same, Stride = 2 };
    private static readonly float[] Filter1 = Scaled(TestData.Pattern(8 * 3 * 3 * 3, 31), 0.3f);
    private static readonly float[] Bias1 = TestData.Pattern(8, 32);
    private static readonly float[] Filter2 = Scaled(TestData.Pattern(16 * 8 * 3 * 3, 33), 0.2f);
    private static readonly float[] Bias2 = TestData.Pattern(16, 34);
    private static readonly float[] DenseWeights = Scaled(TestData.Pattern(5 * 16, 35), 0.5f);
    private static readonly float[] DenseBias = TestData.Pattern(5, 36);

    /// <summary>conv → ReLU → max pool → conv (stride 2) → clamp → avg pool → ReLU → global average → flatten → dense.</summary>
    private static Sequential Model(TensorLayout layout) =>
        new Sequential(layout)
            .Conv2D(Conv1, Filter1, Bias1).Relu()
            .MaxPool(2)
            .Conv2D(Conv2, Filter2, Bias2).Clamp(0, 1.5f)
            .AvgPool(2, stride: 1)
            .Relu()
            .GlobalAveragePool()
            .Flatten()
            .Dense(5, DenseWeights, DenseBias);

    [Theory]
    [InlineData(TensorLayout.Nchw)]
    [InlineData(TensorLayout.Nhwc)]
    public void A_small_vgg_style_stack_matches_the_reference_chained_by_hand(TensorLayout layout)
    {
        float[] input = TestData.Pattern((int)Input.ElementCount, 30);
        // The reference chain runs in NCHW. The layout changes only the memory order, and the output (N, 5, 1, 1)
        // is stored the same way in both layouts; the flatten order differs, but it flattens 1x1 maps.
        float[] expected = ReferenceChain(input);

        using SequentialPlan plan = Model(layout).Build(Input);
        Assert.Equal(new TensorShape(2, 5, 1, 1), plan.OutputShape);
        float[] actual = plan.Run(layout == TensorLayout.Nhwc ? Layouts.NchwToNhwc(input, Input) : input);

        // Two convolutions, two poolings and a dense layer of float sums against double sums.
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, actual {actual[i]}");
        }

        // Running again reuses the buffers and gives the same result.
        Assert.Equal(actual, plan.Run(layout == TensorLayout.Nhwc ? Layouts.NchwToNhwc(input, Input) : input));
    }

    [Fact]
    public void Build_folds_an_activation_into_the_convolution_before_it_and_reports_shapes_flops_and_times()
    {
        using SequentialPlan plan = Model(TensorLayout.Nchw).Build(Input);

        Assert.Equal(
            ["conv0+relu1", "maxpool2", "conv3+clamp4", "avgpool5", "relu6", "globalavgpool7", "flatten8", "conv9"],
            plan.Layers.Select(l => l.Name));
        Assert.Equal(
            [new(2, 8, 16, 12), new(2, 8, 8, 6), new(2, 16, 4, 3), new(2, 16, 3, 2), new(2, 16, 3, 2), new(2, 16, 1, 1), new(2, 16, 1, 1), new TensorShape(2, 5, 1, 1)],
            plan.Layers.Select(l => l.OutputShape));
        Assert.Equal(Input, plan.Layers[0].InputShape);
        Assert.Equal(Conv2DGeometry.Create(Input, Conv1).Flops, plan.Layers[0].Flops);
        Assert.Equal(2L * 2 * 16 * 4 * 3 * 8 * 9, plan.Layers[2].Flops);
        Assert.Equal(2L * 16 * 3 * 2 * 4, plan.Layers[3].Flops);
        Assert.Equal(plan.Layers.Sum(l => l.Flops), plan.TotalFlops);
        Assert.Equal("managed", plan.Layers[4].KernelName);
        Assert.Contains("+ ReLU", plan.Layers[0].Description);

        // The largest tensor between layers is the first convolution's output; there are two buffers of it.
        Assert.Equal(2L * 2 * 8 * 16 * 12, plan.BufferElements);

        Assert.All(plan.Layers, l => Assert.Equal(TimeSpan.Zero, l.LastRunTime));
        plan.Run(new float[plan.InputLength]);
        Assert.Contains(plan.Layers, l => l.LastRunTime > TimeSpan.Zero);
        string summary = plan.Summary();
        Assert.Contains("conv3+clamp4", summary);
        Assert.Contains("total", summary);
    }

    [Fact]
    public void A_standalone_activation_keeps_NaN_as_PyTorch_does()
    {
        float[] input = [float.NaN, -1, 2, -3];
        using SequentialPlan plan = new Sequential().MaxPool(1).Relu().Build(new TensorShape(1, 1, 2, 2));
        Assert.Equal(2, plan.Layers.Count);
        float[] output = plan.Run(input);
        Assert.True(float.IsNaN(output[0]));
        Assert.Equal([0f, 2, 0], output[1..]);
    }

    [Fact]
    public void Invalid_models_and_runs_are_rejected_clearly()
    {
        Assert.Throws<InvalidOperationException>(() => new Sequential().Build(Input));
        Assert.Throws<ArgumentException>(() => new Conv2DLayer(Conv1 with { Accumulate = true }, Filter1));
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => new Conv2DLayer(Conv1, Filter1, [1, 2])).ParamName);

        // The second convolution expects 8 input channels; its filter is too short for 3.
        var wrong = new Sequential().Conv2D(Conv1, Filter1).Conv2D(Conv2 with { OutChannels = 4 }, Filter1, name: "second");
        var error = Assert.Throws<ArgumentException>(() => wrong.Build(Input));
        Assert.Contains("'second'", error.Message);
        Assert.Contains("filter", error.Message);

        SequentialPlan plan = Model(TensorLayout.Nchw).Build(Input);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => plan.Run(new float[3])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => plan.Run(new float[plan.InputLength], new float[3])).ParamName);
        plan.Dispose();
        plan.Dispose();
        Assert.Throws<ObjectDisposedException>(() => plan.Run(new float[plan.InputLength]));
    }

    private static float[] ReferenceChain(float[] nchw)
    {
        TensorShape shape = Input;
        float[] x = nchw;
        x = Conv(ref shape, x, Conv1 with { Activation = Activation.Relu }, Filter1, Bias1);
        x = Pool(ref shape, x, new Pool2DOptions(PoolKind.Max, 2));
        x = Conv(ref shape, x, Conv2 with { Activation = Activation.Clamp(0, 1.5f) }, Filter2, Bias2);
        x = Pool(ref shape, x, new Pool2DOptions(PoolKind.Average, 2) { Stride = 1 });
        x = x.Select(v => Math.Max(v, 0f)).ToArray();
        x = Pool(ref shape, x, Pool2DOptions.GlobalAverage);
        shape = new TensorShape(shape.Batch, shape.Channels, 1, 1);
        return Conv(ref shape, x, new Conv2DOptions(5, 1), DenseWeights, DenseBias);
    }

    private static float[] Conv(ref TensorShape shape, float[] input, Conv2DOptions options, float[] filter, float[] bias)
    {
        var geometry = Conv2DGeometry.Create(shape, options);
        var output = new float[geometry.OutputLength];
        ReferenceConvolution.Conv2D(shape, options, input, filter, bias, output);
        shape = geometry.OutputShape;
        return output;
    }

    private static float[] Pool(ref TensorShape shape, float[] input, Pool2DOptions options)
    {
        var geometry = Pool2DGeometry.Create(shape, options);
        var output = new float[geometry.OutputLength];
        ReferencePooling.Pool2D(shape, options, input, output);
        shape = geometry.OutputShape;
        return output;
    }

    private static float[] Scaled(float[] values, float factor) => values.Select(v => v * factor).ToArray();
}
