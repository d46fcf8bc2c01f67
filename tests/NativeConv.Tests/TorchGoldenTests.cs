namespace NativeConv.Tests;

/// <summary>
/// Results recorded from PyTorch 1.13 itself (Golden/torch-golden.json): the parity tests only show
/// that the native code and the managed reference agree, these show both agree with PyTorch.
/// </summary>
public sealed class TorchGoldenTests
{
    // Outputs that the operation should overwrite start as this, so an element left unwritten cannot pass.
    private const float Sentinel = 1e30f;

    public static TheoryData<string> ConvCases => new(TorchGolden.Names("conv2d"));

    public static TheoryData<string> PoolCases => new(TorchGolden.Names("pool2d"));

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2D_matches_PyTorch(string name)
    {
        (ConvCase c, float[] expected) = TorchGolden.Conv(name);
        CheckConv(c, expected);
    }

    /// <summary>
    /// Every golden case again with input and output in <see cref="TensorLayout.Nchw16c"/>: PyTorch's values in the real
    /// lanes, zeros in the padding lanes, although the input's padding lanes and the old output's hold NaN.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2D_in_nchw16c_matches_PyTorch(string name)
    {
        (ConvCase c, float[] expected) = TorchGolden.Conv(name);
        TensorLayout layout = c.Options.Layout;
        TensorShape output = c.ExpectedOutputShape;
        ConvCase blocked = c with
        {
            Options = c.Options with { Layout = TensorLayout.Nchw16c },
            Input = Layouts.FromNchw(Layouts.ToNchw(c.Input, c.InputShape, layout), c.InputShape, TensorLayout.Nchw16c, float.NaN),
            InitialOutput = Layouts.FromNchw(Layouts.ToNchw(c.InitialOutput, output, layout), output, TensorLayout.Nchw16c, float.NaN),
        };
        CheckConv(blocked, Layouts.FromNchw(Layouts.ToNchw(expected, output, layout), output, TensorLayout.Nchw16c));
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pool2D_matches_PyTorch(string name)
    {
        (PoolCase c, float[] expected) = TorchGolden.Pool(name);
        CheckPool(c, expected);
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pool2D_in_nchw16c_matches_PyTorch(string name)
    {
        (PoolCase c, float[] expected) = TorchGolden.Pool(name);
        TensorLayout layout = c.Options.Layout;
        PoolCase blocked = c with
        {
            Options = c.Options with { Layout = TensorLayout.Nchw16c },
            Input = Layouts.FromNchw(Layouts.ToNchw(c.Input, c.InputShape, layout), c.InputShape, TensorLayout.Nchw16c, float.NaN),
        };
        TensorShape output = c.ExpectedOutputShape;
        CheckPool(blocked, Layouts.FromNchw(Layouts.ToNchw(expected, output, layout), output, TensorLayout.Nchw16c));
    }

    /// <summary>
    /// Every golden pooling again with a pooled activation, against PyTorch's pooling put through the same ReLU or clamp,
    /// as <c>relu(max_pool2d(x))</c> would be. The golden file records no pooled activation, but ReLU and clamp are
    /// element-wise, exact and keep NaN, so applying them to PyTorch's output here gives what PyTorch would.
    /// </summary>
    [Theory]
    [MemberData(nameof(PoolCases))]
    public void Pool2D_with_an_activation_matches_the_activated_PyTorch_result(string name)
    {
        (PoolCase c, float[] expected) = TorchGolden.Pool(name);
        foreach (Activation activation in (Activation[])[Activation.Relu, Activation.Clamp(-0.25f, 0.5f)])
        {
            float[] activated = activation.Kind == ActivationKind.Relu
                ? [.. expected.Select(v => MathF.Max(v, 0f))]
                : [.. expected.Select(v => Math.Clamp(v, activation.Min, activation.Max))];
            CheckPool(c with { Options = c.Options with { Activation = activation } }, activated);
        }
    }

    private static void CheckConv(ConvCase c, float[] expected)
    {
        Assert.Equal(expected.Length, c.InitialOutput.Length);
        float[] bound = ConvParity.ErrorBound(c);

        float[] reference = StartingOutput(c);
        ReferenceConvolution.Conv2D(c.InputShape, c.Options, c.Input, c.Filter, c.Bias, reference);
        Tolerance.Check(expected, reference, bound, () => $"reference vs PyTorch, {c}");

        float[] native = StartingOutput(c);
        Convolution.Conv2D(c.InputShape, c.Options, c.Input, c.Filter, c.Bias, native, c.MaxThreads);
        Tolerance.Check(expected, native, bound, () => $"one-shot vs PyTorch, {c}");

        using var plan = new Conv2DPlan(c.InputShape, c.Options, c.Filter, c.Bias);
        float[] planned = StartingOutput(c);
        plan.Run(c.Input, planned);
        Tolerance.Check(expected, planned, bound, () => $"plan {plan.KernelName} vs PyTorch, {c}");
    }

    private static void CheckPool(PoolCase c, float[] expected)
    {
        var geometry = Pool2DGeometry.Create(c.InputShape, c.Options);
        Assert.Equal(expected.Length, geometry.OutputLength);

        float[] reference = Unwritten(expected.Length);
        ReferencePooling.Pool2D(c.InputShape, c.Options, c.Input, reference);
        float[] native = Unwritten(expected.Length);
        Pooling.Pool2D(c.InputShape, c.Options, c.Input, native, c.MaxThreads);
        using var plan = new Pool2DPlan(c.InputShape, c.Options);
        float[] planned = Unwritten(expected.Length);
        plan.Run(c.Input, planned);

        if (c.Options.Kind == PoolKind.Max)
        {
            PoolParity.AssertIdentical(expected, reference, () => $"reference vs PyTorch, {c}");
            PoolParity.AssertIdentical(expected, native, () => $"one-shot vs PyTorch, {c}");
            PoolParity.AssertIdentical(expected, planned, () => $"plan {plan.KernelName} vs PyTorch, {c}");
            return;
        }

        float[] bound = PoolParity.ErrorBound(c);
        Tolerance.Check(expected, reference, bound, () => $"reference vs PyTorch, {c}");
        Tolerance.Check(expected, native, bound, () => $"one-shot vs PyTorch, {c}");
        Tolerance.Check(expected, planned, bound, () => $"plan {plan.KernelName} vs PyTorch, {c}");
    }

    private static float[] StartingOutput(ConvCase c) =>
        c.Options.Accumulate ? (float[])c.InitialOutput.Clone() : Unwritten(c.InitialOutput.Length);

    private static float[] Unwritten(int length)
    {
        var output = new float[length];
        Array.Fill(output, Sentinel);
        return output;
    }
}
