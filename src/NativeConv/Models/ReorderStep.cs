namespace NativeConv.Models;

// Converts the model's input into the layout its layers run in, or the last layer's result back: a native reorder,
// planned like a layer but reported apart from the layers (SequentialPlan.LastReorderTime).
internal sealed class ReorderStep(TensorShape shape, TensorLayout from, TensorLayout to)
    : LayerStep(shape, 0, "reorder")
{
    internal TensorLayout From => from;

    internal TensorLayout To => to;

    internal override void Run(ReadOnlySpan<float> input, Span<float> output, int maxThreads) =>
        Reorder.Activations(OutputShape, from, to, input, output, maxThreads);
}
