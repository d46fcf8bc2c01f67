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
    [InlineData(TensorLayout.Nchw16c)]
    public void A_small_vgg_style_stack_matches_the_reference_chained_by_hand(TensorLayout layout)
    {
        float[] input = TestData.Pattern((int)Input.ElementCount, 30);
        // The reference chain runs in NCHW. The layout changes only the memory order, and the output (N, 5, 1, 1)
        // is stored the same way in NCHW and NHWC; the flatten order differs, but it flattens 1x1 maps.
        float[] expected = ReferenceChain(input);

        using SequentialPlan plan = Model(layout).Build(Input);
        Assert.Equal(new TensorShape(2, 5, 1, 1), plan.OutputShape);
        Assert.Equal(Layouts.Length(plan.OutputShape, layout), plan.OutputLength);
        float[] blocked = plan.Run(Layouts.FromNchw(input, Input, layout, float.NaN));
        BlockedLayoutTests.AssertZeroPadding(blocked, plan.OutputShape, layout, () => $"model output in {layout}");
        float[] actual = Layouts.ToNchw(blocked, plan.OutputShape, layout);

        // Two convolutions, two poolings and a dense layer of float sums against double sums.
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, actual {actual[i]}");
        }

        // Running again reuses the buffers and gives the same result.
        Assert.Equal(blocked, plan.Run(Layouts.FromNchw(input, Input, layout)));
    }

    [Fact]
    public void Build_folds_an_activation_into_the_layer_before_it_and_reports_shapes_flops_and_times()
    {
        using SequentialPlan plan = Model(TensorLayout.Nchw).Build(Input);

        Assert.Equal(
            ["conv0+relu1", "maxpool2", "conv3+clamp4", "avgpool5+relu6", "globalavgpool7", "flatten8", "conv9"],
            plan.Layers.Select(l => l.Name));
        Assert.Equal(
            [new(2, 8, 16, 12), new(2, 8, 8, 6), new(2, 16, 4, 3), new(2, 16, 3, 2), new(2, 16, 1, 1), new(2, 16, 1, 1), new TensorShape(2, 5, 1, 1)],
            plan.Layers.Select(l => l.OutputShape));
        Assert.Equal(Input, plan.Layers[0].InputShape);
        Assert.Equal(Conv2DGeometry.Create(Input, Conv1).Flops, plan.Layers[0].Flops);
        Assert.Equal(2L * 2 * 16 * 4 * 3 * 8 * 9, plan.Layers[2].Flops);
        Assert.Equal(2L * 16 * 3 * 2 * 4, plan.Layers[3].Flops);
        Assert.Equal(plan.Layers.Sum(l => l.Flops), plan.TotalFlops);
        Assert.Equal("managed", plan.Layers[5].KernelName);
        Assert.Contains("+ ReLU", plan.Layers[0].Description);
        Assert.Equal("AvgPool 2x2 stride 1x1 + ReLU", plan.Layers[3].Description);
        Assert.NotEqual("managed", plan.Layers[3].KernelName);

        // Between layers the tensors are in Nchw16c: the largest are the reordered input (3 channels) and the first
        // convolution's output (8 channels), both padded to 16 channels; there are two buffers of that.
        Assert.Equal(2L * 2 * 16 * 16 * 12, plan.BufferElements);

        Assert.All(plan.Layers, l => Assert.Equal(TimeSpan.Zero, l.LastRunTime));
        Assert.Equal(TimeSpan.Zero, plan.LastReorderTime);
        plan.Run(new float[plan.InputLength]);
        Assert.Contains(plan.Layers, l => l.LastRunTime > TimeSpan.Zero);
        Assert.True(plan.LastReorderTime > TimeSpan.Zero);
        string summary = plan.Summary();
        Assert.Contains("conv3+clamp4", summary);
        Assert.Contains("reorder-in", summary);
        Assert.Contains("Nchw16c -> Nchw", summary);
        Assert.Contains("total", summary);

        // A model whose own layout is Nchw16c has nothing to reorder.
        using SequentialPlan blocked = Model(TensorLayout.Nchw16c).Build(Input);
        Assert.Equal(plan.Layers.Select(l => (l.Name, l.OutputShape, l.Flops)), blocked.Layers.Select(l => (l.Name, l.OutputShape, l.Flops)));
        Assert.Equal(2 * 16 * 16 * 12, blocked.InputLength);
        Assert.Equal(2 * 16, blocked.OutputLength);
        blocked.Run(new float[blocked.InputLength]);
        Assert.Equal(TimeSpan.Zero, blocked.LastReorderTime);
        Assert.DoesNotContain("reorder", blocked.Summary());
    }

    [Fact]
    public void An_activation_keeps_NaN_as_PyTorch_does_standalone_or_fused()
    {
        float[] input = [float.NaN, -1, 2, -3];
        var shape = new TensorShape(1, 1, 2, 2);

        // Nothing folds an activation into a flatten, so the ReLU runs as its own managed pass.
        using SequentialPlan standalone = new Sequential().Flatten().Relu().Build(shape);
        Assert.Equal(2, standalone.Layers.Count);
        Assert.Equal("managed", standalone.Layers[1].KernelName);

        // After a pooling it becomes the pooling's activation, computed natively in the same pass.
        using SequentialPlan fused = new Sequential().MaxPool(1).Relu().Build(shape);
        Assert.Equal("maxpool0+relu1", Assert.Single(fused.Layers).Name);

        foreach (SequentialPlan plan in (SequentialPlan[])[standalone, fused])
        {
            float[] output = plan.Run(input);
            Assert.True(float.IsNaN(output[0]));
            Assert.Equal([0f, 2, 0], output[1..]);
        }
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

    private static readonly TensorShape WideInput = new(2, 3, 12, 10);
    private static readonly Conv2DOptions WideConv = new(20, 3) { Padding = 1 };
    private static readonly Conv2DOptions Depthwise = new(20, 3) { Padding = 1, Groups = 20 };
    private static readonly Conv2DOptions Grouped = new(18, 1) { Groups = 2 };
    private static readonly float[] WideFilter = Scaled(TestData.Pattern(20 * 3 * 3 * 3, 40), 0.3f);
    private static readonly float[] WideBias = TestData.Pattern(20, 41);
    private static readonly float[] DepthwiseFilter = Scaled(TestData.Pattern(20 * 9, 42), 0.4f);
    private static readonly float[] GroupedFilter = Scaled(TestData.Pattern(18 * 10, 43), 0.3f);
    private static readonly float[] WideDense = Scaled(TestData.Pattern(7 * 18 * 3 * 2, 44), 0.1f);

    /// <summary>
    /// Channel counts that are not multiples of 16 (3, 20, 18, 7), a depthwise and a grouped convolution whose groups
    /// split a block, a clamp above zero, and a flatten of 3x2 maps, whose feature order the blocked flatten must get
    /// right.
    /// </summary>
    private static Sequential WideModel(TensorLayout layout) =>
        new Sequential(layout)
            .Conv2D(WideConv, WideFilter, WideBias).Relu()
            .MaxPool(2)
            .Conv2D(Depthwise, DepthwiseFilter).Clamp(0.25f, 1.5f)
            .Conv2D(Grouped, GroupedFilter)
            .AvgPool(2)
            .Clamp(0.1f, 2f)
            .Flatten()
            .Dense(7, WideDense);

    /// <summary>
    /// The model keeps its tensors in Nchw16c, yet gives what the same layers give run one by one with plans in the
    /// model's layout (NCHW or NHWC, flattening by copying that memory order). Within tolerance, not bitwise: the
    /// blocked kernels may sum in another order. And a model whose own layout is Nchw16c computes exactly the same
    /// floats as the NCHW one, whose only difference is the two exact reorders.
    /// </summary>
    [Theory]
    [InlineData(TensorLayout.Nchw)]
    [InlineData(TensorLayout.Nhwc)]
    public void Blocked_execution_gives_what_the_layers_give_one_by_one(TensorLayout layout)
    {
        float[] nchw = TestData.Pattern((int)WideInput.ElementCount, 45);
        float[] input = Layouts.FromNchw(nchw, WideInput, layout);
        float[] expected = ChainOfPlans(input, layout);

        using SequentialPlan plan = WideModel(layout).Build(WideInput);
        Assert.Equal(new TensorShape(2, 7, 1, 1), plan.OutputShape);
        float[] actual = plan.Run(input);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, actual {actual[i]}");
        }

        if (layout == TensorLayout.Nchw)
        {
            using SequentialPlan blocked = WideModel(TensorLayout.Nchw16c).Build(WideInput);
            float[] blockedOutput = blocked.Run(Layouts.FromNchw(nchw, WideInput, TensorLayout.Nchw16c, float.NaN));
            BlockedLayoutTests.AssertZeroPadding(blockedOutput, blocked.OutputShape, TensorLayout.Nchw16c, () => "Nchw16c model");
            Assert.Equal(actual, Layouts.ToNchw(blockedOutput, blocked.OutputShape, TensorLayout.Nchw16c));
        }
    }

    /// <summary>A clamp above zero would turn the zeros of blocked padding lanes into its lower bound if it touched them.</summary>
    [Fact]
    public void A_clamp_above_zero_keeps_blocked_padding_lanes_zero_standalone_or_fused()
    {
        var shape = new TensorShape(1, 3, 2, 2);
        float[] nchw = [-1, 0.75f, 2, 0.6f, 0, 0, 0, 0, 3, 3, 3, 3];
        Sequential standalone = new Sequential(TensorLayout.Nchw16c).MaxPool(1).Flatten().Clamp(0.5f, 1f);
        Sequential fused = new Sequential(TensorLayout.Nchw16c).MaxPool(1).Clamp(0.5f, 1f).Flatten();
        foreach ((Sequential model, int steps) in (ReadOnlySpan<(Sequential, int)>)[(standalone, 3), (fused, 2)])
        {
            using SequentialPlan plan = model.Build(shape);
            Assert.Equal(steps, plan.Layers.Count);
            float[] output = plan.Run(Layouts.FromNchw(nchw, shape, TensorLayout.Nchw16c, float.NaN));
            Assert.Equal(new TensorShape(1, 12, 1, 1), plan.OutputShape);
            Assert.Equal(16, output.Length);
            Assert.Equal([0.5f, 0.75f, 1, 0.6f, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1, 0, 0, 0, 0], output);
        }
    }

    /// <summary>
    /// conv → max pool → ReLU → avg pool → clamp: each activation becomes the activation of the pooling before it. The
    /// result is bitwise what the same plans give run one by one with the activations as separate passes, since the
    /// same kernels run and ReLU and clamp are exact; a NaN in the input passes through both.
    /// </summary>
    [Fact]
    public void A_pooling_takes_the_activation_after_it_with_one_step_fewer_each()
    {
        Sequential model = new Sequential(TensorLayout.Nchw16c)
            .Conv2D(WideConv, WideFilter, WideBias)
            .MaxPool(2).Relu()
            .AvgPool(2, stride: 1).Clamp(0.25f, 1.5f);
        using SequentialPlan plan = model.Build(WideInput);

        Assert.Equal(model.Layers.Count - 2, plan.Layers.Count);
        Assert.Equal(["conv0", "maxpool1+relu2", "avgpool3+clamp4"], plan.Layers.Select(l => l.Name));
        Assert.Equal(["MaxPool 2x2 stride 2x2 + ReLU", "AvgPool 2x2 stride 1x1 + Clamp(0.25, 1.5)"], plan.Layers.Skip(1).Select(l => l.Description));
        Assert.All(plan.Layers, l => Assert.NotEqual("managed", l.KernelName));
        Assert.Contains("avgpool3+clamp4", plan.Summary());

        float[] nchw = TestData.Pattern((int)WideInput.ElementCount, 46);
        nchw[17] = float.NaN;
        float[] input = Layouts.FromNchw(nchw, WideInput, TensorLayout.Nchw16c);
        TensorShape shape = WideInput;
        float[] x = ConvPlan(ref shape, input, WideConv with { Layout = TensorLayout.Nchw16c }, WideFilter, WideBias);
        x = PoolPlan(ref shape, x, new Pool2DOptions(PoolKind.Max, 2) { Layout = TensorLayout.Nchw16c });
        x = Blocked(x, shape, v => v < 0 ? 0 : v);
        x = PoolPlan(ref shape, x, new Pool2DOptions(PoolKind.Average, 2) { Stride = 1, Layout = TensorLayout.Nchw16c });
        x = Blocked(x, shape, v => v < 0.25f ? 0.25f : v > 1.5f ? 1.5f : v);

        float[] actual = plan.Run(input);
        Assert.Contains(actual, float.IsNaN);
        Assert.Equal(x, actual);
    }

    /// <summary>
    /// A clamp after a convolution that already has an activation cannot join the convolution, so it moves after the
    /// max pooling that follows it, into it. A ReLU before an average pooling stays where it is: there the order
    /// matters. The result is bitwise what the layers give in their written order.
    /// </summary>
    [Fact]
    public void An_activation_before_a_max_pooling_moves_after_it_with_one_step_fewer()
    {
        Sequential model = new Sequential(TensorLayout.Nchw16c)
            .Conv2D(WideConv with { Activation = Activation.Relu }, WideFilter, WideBias)
            .Clamp(0.25f, 1.5f).MaxPool(2)
            .Relu().AvgPool(2, stride: 1);
        using SequentialPlan plan = model.Build(WideInput);

        Assert.Equal(model.Layers.Count - 1, plan.Layers.Count);
        Assert.Equal(["conv0", "clamp1+maxpool2", "relu3", "avgpool4"], plan.Layers.Select(l => l.Name));
        PlannedLayer moved = plan.Layers[1];
        Assert.Equal("MaxPool 2x2 stride 2x2 + Clamp(0.25, 1.5) (moved after the max pool)", moved.Description);
        Assert.Equal(new TensorShape(2, 20, 12, 10), moved.InputShape);
        Assert.Equal(new TensorShape(2, 20, 6, 5), moved.OutputShape);
        Assert.Equal(2L * 20 * 6 * 5 * 4, moved.Flops);
        Assert.Equal("managed", plan.Layers[2].KernelName);

        float[] nchw = TestData.Pattern((int)WideInput.ElementCount, 47);
        nchw[40] = float.NaN;
        float[] input = Layouts.FromNchw(nchw, WideInput, TensorLayout.Nchw16c);
        TensorShape shape = WideInput;
        float[] x = ConvPlan(ref shape, input, WideConv with { Layout = TensorLayout.Nchw16c, Activation = Activation.Relu }, WideFilter, WideBias);
        x = Blocked(x, shape, v => v < 0.25f ? 0.25f : v > 1.5f ? 1.5f : v);
        x = PoolPlan(ref shape, x, new Pool2DOptions(PoolKind.Max, 2) { Layout = TensorLayout.Nchw16c });
        x = Blocked(x, shape, v => v < 0 ? 0 : v);
        x = PoolPlan(ref shape, x, new Pool2DOptions(PoolKind.Average, 2) { Stride = 1, Layout = TensorLayout.Nchw16c });

        float[] actual = plan.Run(input);
        Assert.Contains(actual, float.IsNaN);
        Assert.Equal(x, actual);

        // At the start of a model, and before a global max pooling, the activation moves too.
        using SequentialPlan first = new Sequential().Relu().MaxPool(2).Build(WideInput);
        Assert.Equal("relu0+maxpool1", Assert.Single(first.Layers).Name);
        using SequentialPlan global = new Sequential().MaxPool(2).Relu().Clamp(0, 1).GlobalMaxPool().Build(WideInput);
        Assert.Equal(["maxpool0+relu1", "clamp2+globalmaxpool3"], global.Layers.Select(l => l.Name));
        // An average pooling never takes an activation from before it.
        using SequentialPlan average = new Sequential().Relu().AvgPool(2).Build(WideInput);
        Assert.Equal(["relu0", "avgpool1"], average.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Blocked_model_buffers_must_have_the_padded_length()
    {
        using SequentialPlan plan = Model(TensorLayout.Nchw16c).Build(Input);
        var input = Assert.Throws<ArgumentException>(() => plan.Run(new float[(int)Input.ElementCount]));
        Assert.Equal("input", input.ParamName);
        Assert.Contains($"exactly {2 * 16 * 16 * 12} in Nchw16c", input.Message);
        var output = Assert.Throws<ArgumentException>(() => plan.Run(new float[plan.InputLength], new float[10]));
        Assert.Equal("output", output.ParamName);
        Assert.Contains("exactly 32 in Nchw16c", output.Message);

        Assert.Equal("inputShape", Assert.Throws<ArgumentOutOfRangeException>(() => Model(TensorLayout.Nchw).Build(Input with { Height = 0 })).ParamName);
        Assert.Equal("Layout", Assert.Throws<ArgumentOutOfRangeException>(() => Model((TensorLayout)5).Build(Input)).ParamName);
    }

    /// <summary>WideModel's layers run one at a time in <paramref name="layout"/> with the library's plans.</summary>
    private static float[] ChainOfPlans(float[] input, TensorLayout layout)
    {
        TensorShape shape = WideInput;
        float[] x = input;
        x = ConvPlan(ref shape, x, WideConv with { Layout = layout, Activation = Activation.Relu }, WideFilter, WideBias);
        x = PoolPlan(ref shape, x, new Pool2DOptions(PoolKind.Max, 2) { Layout = layout });
        x = ConvPlan(ref shape, x, Depthwise with { Layout = layout, Activation = Activation.Clamp(0.25f, 1.5f) }, DepthwiseFilter, []);
        x = ConvPlan(ref shape, x, Grouped with { Layout = layout }, GroupedFilter, []);
        x = PoolPlan(ref shape, x, new Pool2DOptions(PoolKind.Average, 2) { Layout = layout });
        x = x.Select(v => Math.Clamp(v, 0.1f, 2f)).ToArray();
        // Flattening keeps the memory order: channel-major in NCHW, pixel-major in NHWC.
        shape = new TensorShape(shape.Batch, shape.Channels * shape.Height * shape.Width, 1, 1);
        return ConvPlan(ref shape, x, new Conv2DOptions(7, 1) { Layout = layout }, WideDense, []);
    }

    private static float[] ConvPlan(ref TensorShape shape, float[] input, Conv2DOptions options, float[] filter, float[] bias)
    {
        using var plan = new Conv2DPlan(shape, options, filter, bias);
        var output = new float[plan.Geometry.OutputLength];
        plan.Run(input, output);
        shape = plan.OutputShape;
        return output;
    }

    private static float[] PoolPlan(ref TensorShape shape, float[] input, Pool2DOptions options)
    {
        using var plan = new Pool2DPlan(shape, options);
        var output = new float[plan.Geometry.OutputLength];
        plan.Run(input, output);
        shape = plan.OutputShape;
        return output;
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

    /// <summary>An element-wise function of a blocked tensor's real lanes; its padding lanes stay zero.</summary>
    private static float[] Blocked(float[] blocked, TensorShape shape, Func<float, float> function) =>
        Layouts.FromNchw(Layouts.ToNchw(blocked, shape, TensorLayout.Nchw16c).Select(function).ToArray(), shape, TensorLayout.Nchw16c);
}
