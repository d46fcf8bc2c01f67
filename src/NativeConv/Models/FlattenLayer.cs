namespace NativeConv.Models;

/// <summary>
/// Reshapes (N, C, H, W) to (N, C·H·W, 1, 1). The feature order is that of the model's layout: channel-major
/// (C, H, W) for <see cref="TensorLayout.Nchw"/> and <see cref="TensorLayout.Nchw16c"/>, as PyTorch's <c>flatten</c>;
/// pixel-major (H, W, C) for <see cref="TensorLayout.Nhwc"/>, as TensorFlow's <c>Flatten</c>.
/// </summary>
/// <remarks>
/// The model keeps its tensors in <see cref="TensorLayout.Nchw16c"/>, so the layer gathers the features in that order
/// straight from the blocked tensor into a blocked (N, C·H·W, 1, 1) one, with no reorder on either side.
/// </remarks>
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

    internal override LayerStep Plan(TensorShape input, TensorLayout layout, TensorLayout modelLayout, Activation fused) =>
        new Step(input, layout, modelLayout == TensorLayout.Nhwc);

    private sealed class Step(TensorShape input, TensorLayout layout, bool pixelMajor)
        : LayerStep(input with { Channels = checked((int)((long)input.Channels * input.Height * input.Width)), Height = 1, Width = 1 }, 0, "managed")
    {
        internal override void Run(ReadOnlySpan<float> source, Span<float> destination, int maxThreads)
        {
            TensorShape output = OutputShape;
            for (int n = 0; n < input.Batch; n++)
            {
                for (int c = 0; c < input.Channels; c++)
                {
                    for (int h = 0; h < input.Height; h++)
                    {
                        for (int w = 0; w < input.Width; w++)
                        {
                            int feature = pixelMajor
                                ? (((h * input.Width) + w) * input.Channels) + c
                                : (((c * input.Height) + h) * input.Width) + w;
                            destination[LayoutIndex.Of(layout, output, n, feature, 0, 0)] = source[LayoutIndex.Of(layout, input, n, c, h, w)];
                        }
                    }
                }
            }

            if (layout == TensorLayout.Nchw16c)
            {
                LayoutIndex.ClearPaddingLanes(destination, output);
            }
        }
    }
}
