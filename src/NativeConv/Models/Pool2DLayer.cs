namespace NativeConv.Models;

/// <summary>
/// A max, average or global pooling layer. An activation layer right after it is folded into it
/// (<see cref="Pool2DOptions.Activation"/>, pool then activate), and so is one right before a max pooling when nothing
/// earlier took it: a max pooling gives the same result with the ReLU or clamp before or after it.
/// </summary>
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
        string text = o.Global ? $"Global{kind}" : $"{kind} {o.KernelHeight}x{o.KernelWidth} stride {o.StrideHeight}x{o.StrideWidth}";
        return o.Activation.Kind == ActivationKind.None ? text : $"{text} + {ActivationLayer.Describe(o.Activation)}";
    }

    internal override bool CanFuse(ActivationLayer next) => Options.Activation.Kind == ActivationKind.None;

    // A ReLU or clamp never swaps the order of two values and passes NaN through, so for a max pooling
    // max(act(x)) = act(max(x)) element for element: the activation can run after the pooling, on the smaller tensor.
    internal bool CanTakeActivationFromBefore => Options.Kind == PoolKind.Max && Options.Activation.Kind == ActivationKind.None;

    internal override LayerStep Plan(TensorShape input, TensorLayout layout, TensorLayout modelLayout, Activation fused)
    {
        Pool2DOptions options = Options with
        {
            Layout = layout,
            Activation = fused.Kind == ActivationKind.None ? Options.Activation : fused,
        };
        var plan = new Pool2DPlan(input, options);
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
