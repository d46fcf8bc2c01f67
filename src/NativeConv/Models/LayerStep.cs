namespace NativeConv.Models;

// A layer bound to its input shape: what SequentialPlan runs. Every step reads one buffer and writes another;
// the two never overlap (the plan ping-pongs between its own buffers and the caller's input and output).
internal abstract class LayerStep : IDisposable
{
    protected LayerStep(TensorShape outputShape, long flops, string kernelName)
    {
        OutputShape = outputShape;
        Flops = flops;
        KernelName = kernelName;
    }

    internal TensorShape OutputShape { get; }

    internal long Flops { get; }

    internal string KernelName { get; }

    internal abstract void Run(ReadOnlySpan<float> input, Span<float> output, int maxThreads);

    public virtual void Dispose()
    {
    }
}
