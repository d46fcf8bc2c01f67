namespace NativeConv.Models;

/// <summary>A convolution layer with its weights.</summary>
public sealed class Conv2DLayer : Layer
{
    private readonly float[] filter;
    private readonly float[] bias;

    /// <summary>Creates the layer; the weights are copied.</summary>
    /// <param name="options">
    /// What to compute. Its <see cref="Conv2DOptions.Layout"/> is replaced by the one the model keeps activations in
    /// (<see cref="TensorLayout.Nchw16c"/>, see <see cref="Sequential"/>); the filter is read in
    /// <see cref="Conv2DOptions.FilterLayout"/>. <see cref="Conv2DOptions.Accumulate"/> is not allowed.
    /// </param>
    /// <param name="filter">K·(C/groups)·R·S weights; their count is checked against the input when the model is built.</param>
    /// <param name="bias">Empty for no bias, else one value per output channel.</param>
    /// <param name="name">Optional name shown in the plan's report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> asks to accumulate, or <paramref name="bias"/> has neither 0 nor OutChannels elements.</exception>
    public Conv2DLayer(Conv2DOptions options, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias = default, string? name = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Accumulate)
        {
            throw new ArgumentException("A layer cannot accumulate into its output: the model reuses its buffers.", nameof(options));
        }

        if (!bias.IsEmpty && bias.Length != options.OutChannels)
        {
            throw new ArgumentException(
                $"bias has {bias.Length} elements but must be empty or have OutChannels ({options.OutChannels}).", nameof(bias));
        }

        Options = options;
        this.filter = filter.ToArray();
        this.bias = bias.ToArray();
    }

    /// <summary>What the layer computes.</summary>
    public Conv2DOptions Options { get; }

    /// <summary>The weights in <see cref="Conv2DOptions.FilterLayout"/>.</summary>
    public ReadOnlySpan<float> Filter => filter;

    /// <summary>The bias, empty if none.</summary>
    public ReadOnlySpan<float> Bias => bias;

    /// <inheritdoc/>
    public override string Kind => "conv";

    /// <inheritdoc/>
    public override string ToString()
    {
        Conv2DOptions o = Options;
        string text = $"Conv2D {o.OutChannels}x{o.KernelHeight}x{o.KernelWidth}";
        if (o.StrideHeight != 1 || o.StrideWidth != 1)
        {
            text += $" stride {o.StrideHeight}x{o.StrideWidth}";
        }

        if (o.Groups != 1)
        {
            text += $" groups {o.Groups}";
        }

        return o.Activation.Kind == ActivationKind.None ? text : $"{text} + {ActivationLayer.Describe(o.Activation)}";
    }

    internal override bool CanFuse(ActivationLayer next) => Options.Activation.Kind == ActivationKind.None;

    internal override LayerStep Plan(TensorShape input, TensorLayout layout, TensorLayout modelLayout, Activation fused)
    {
        Conv2DOptions options = Options with
        {
            Layout = layout,
            Activation = fused.Kind == ActivationKind.None ? Options.Activation : fused,
        };
        return new Step(new Conv2DPlan(input, options, filter, bias));
    }

    private sealed class Step(Conv2DPlan plan) : LayerStep(plan.OutputShape, plan.Geometry.Flops, plan.KernelName)
    {
        internal override void Run(ReadOnlySpan<float> input, Span<float> output, int maxThreads) => plan.Run(input, output, maxThreads);

        public override void Dispose() => plan.Dispose();
    }
}
