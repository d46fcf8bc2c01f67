namespace NativeConv.Models;

/// <summary>A max, average or global pooling layer.</summary>
public sealed class Pool2DLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="options">
    /// What to compute; its <see cref="Pool2DOptions.Layout"/> is replaced by the one the model keeps activations in
    /// (<see cref="TensorLayout.Nchw16c"/>, see <see cref="Sequential"/>).
    /// </param>
    /// <param name="name">Optional name shown in the plan's report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public Pool2DLayer(Pool2DOptions options, string? name = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>What the layer computes.</summary>
    public Pool2DOptions Options { get; }

    /// <inheritdoc/>
    public override string Kind => (Options.Global ? "global" : string.Empty) + (Options.Kind == PoolKind.Max ? "maxpool" : "avgpool");

    /// <inheritdoc/>
    public override string ToString()
    {
        Pool2DOptions o = Options;
        string kind = o.Kind == PoolKind.Max ? "MaxPool" : "AvgPool";
        return o.Global ? $"Global{kind}" : $"{kind} {o.KernelHeight}x{o.KernelWidth} stride {o.StrideHeight}x{o.StrideWidth}";
    }

    internal override LayerStep Plan(TensorShape input, TensorLayout layout, TensorLayout modelLayout, Activation fused)
    {
        var plan = new Pool2DPlan(input, Options with { Layout = layout });
        TensorShape output = plan.OutputShape;
        long window = Options.Global ? (long)input.Height * input.Width : (long)Options.KernelHeight * Options.KernelWidth;
        return new Step(plan, output.ElementCount * window);
    }

    // A window of k taps costs k comparisons or additions per output.
    private sealed class Step(Pool2DPlan plan, long operations) : LayerStep(plan.OutputShape, operations, plan.KernelName)
    {
        internal override void Run(ReadOnlySpan<float> input, Span<float> output, int maxThreads) => plan.Run(input, output, maxThreads);

        public override void Dispose() => plan.Dispose();
    }
}
