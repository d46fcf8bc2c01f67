using System.Numerics.Tensors;

namespace NativeConv.Models;

/// <summary>
/// An element-wise activation. Right after a convolution or pooling without one it costs nothing: the model folds it
/// into that layer's own activation. Right before a max pooling it moves after the pooling, into it, since the values
/// are the same either way. Elsewhere it runs as a separate pass.
/// </summary>
public sealed class ActivationLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="activation">The function; <see cref="Activation.Clamp"/> bounds must not be NaN and Min &lt;= Max.</param>
    /// <param name="name">Optional name shown in the plan's report.</param>
    /// <exception cref="ArgumentException">A clamp bound is NaN or Min &gt; Max, or the kind is not defined.</exception>
    public ActivationLayer(Activation activation, string? name = null)
        : base(name)
    {
        if (!Enum.IsDefined(activation.Kind))
        {
            throw new ArgumentException($"Activation.Kind ({activation.Kind}) is not a defined ActivationKind value.", nameof(activation));
        }

        if (activation.Kind == ActivationKind.Clamp && (float.IsNaN(activation.Min) || float.IsNaN(activation.Max) || activation.Min > activation.Max))
        {
            throw new ArgumentException(
                $"Clamp bounds ({activation.Min}, {activation.Max}) must not be NaN and Min must not exceed Max.", nameof(activation));
        }

        Activation = activation;
    }

    /// <summary>The function applied to every element.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override string Kind => Activation.Kind == ActivationKind.Clamp ? "clamp" : "relu";

    /// <inheritdoc/>
    public override string ToString() => Describe(Activation);

    internal static string Describe(Activation activation) => activation.Kind switch
    {
        ActivationKind.Relu => "ReLU",
        ActivationKind.Clamp => $"Clamp({activation.Min}, {activation.Max})",
        _ => "Identity",
    };

    internal override LayerStep Plan(TensorShape input, TensorLayout layout, TensorLayout modelLayout, Activation fused) =>
        new Step(input, layout, Activation);

    // NaN stays NaN as in PyTorch: TensorPrimitives.Max and Min propagate NaN. A blocked tensor is processed whole,
    // padding lanes included, and they are cleared again after: a clamp above zero would turn their zeros into its
    // lower bound.
    private sealed class Step(TensorShape shape, TensorLayout layout, Activation activation)
        : LayerStep(shape, shape.ElementCount, "managed")
    {
        internal override void Run(ReadOnlySpan<float> input, Span<float> output, int maxThreads)
        {
            Apply(input, output);
            if (layout == TensorLayout.Nchw16c)
            {
                LayoutIndex.ClearPaddingLanes(output, OutputShape);
            }
        }

        private void Apply(ReadOnlySpan<float> input, Span<float> output)
        {
            switch (activation.Kind)
            {
                case ActivationKind.Relu:
                    TensorPrimitives.Max(input, 0f, output);
                    break;
                case ActivationKind.Clamp:
                    TensorPrimitives.Max(input, activation.Min, output);
                    TensorPrimitives.Min(output, activation.Max, output);
                    break;
                default:
                    input.CopyTo(output);
                    break;
            }
        }
    }
}
