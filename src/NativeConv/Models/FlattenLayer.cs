namespace NativeConv.Models;

/// <summary>
/// Reshapes (N, C, H, W) to (N, C·H·W, 1, 1) without moving data. The feature order is that of the model's layout:
/// channel-major (C, H, W) for <see cref="TensorLayout.Nchw"/>, as PyTorch's <c>flatten</c>; pixel-major (H, W, C)
/// for <see cref="TensorLayout.Nhwc"/>, as TensorFlow's <c>Flatten</c>.
/// </summary>
public sealed class FlattenLayer : Layer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="name">Optional name shown in the plan's report.</param>
    public FlattenLayer(string? name = null)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "flatten";

    /// <inheritdoc/>
    public override string ToString() => "Flatten";

    internal override LayerStep Plan(TensorShape input, TensorLayout layout, Activation fused) =>
        new Step(input with { Channels = checked((int)((long)input.Channels * input.Height * input.Width)), Height = 1, Width = 1 });

    // The plan's steps never work in place, so the unchanged data is copied from one buffer to the other.
    private sealed class Step(TensorShape output) : LayerStep(output, 0, "managed")
    {
        internal override void Run(ReadOnlySpan<float> input, Span<float> output, int maxThreads) => input.CopyTo(output);
    }
}
