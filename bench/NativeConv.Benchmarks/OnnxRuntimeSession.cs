using Microsoft.ML.OnnxRuntime;

namespace NativeConv.Benchmarks;

/// <summary>
/// A one-node model (<see cref="OnnxConvModel"/>, <see cref="OnnxPoolModel"/>) as an ONNX Runtime session (CPU,
/// graph optimization ALL, sequential execution, the given intra-op thread count), with input X and output Y bound
/// to preallocated NCHW arrays so a run allocates as little as ORT allows.
/// </summary>
public sealed class OnnxRuntimeSession : IDisposable
{
    private static readonly string[] InputNames = ["X"];
    private static readonly string[] OutputNames = ["Y"];
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly OrtValue[] inputs;
    private readonly OrtValue[] outputs;

    public OnnxRuntimeSession(byte[] model, int threads, float[] input, TensorShape inputShape, float[] output, TensorShape outputShape)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        session = new InferenceSession(model, options);
        inputs = [OrtValue.CreateTensorValueFromMemory(input, OnnxModel.Dims(inputShape))];
        outputs = [OrtValue.CreateTensorValueFromMemory(output, OnnxModel.Dims(outputShape))];
    }

    /// <summary>One suite convolution layer, NCHW, with the given weights.</summary>
    public static OnnxRuntimeSession Conv(ConvLayer layer, int threads, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias, float[] input, float[] output) =>
        new(OnnxConvModel.Create(layer, filter, bias), threads, input, layer.Input, output, Conv2DGeometry.Create(layer.Input, layer.Options).OutputShape);

    /// <summary>One suite pooling, NCHW.</summary>
    public static OnnxRuntimeSession Pool(PoolLayer layer, int threads, float[] input, float[] output) =>
        new(OnnxPoolModel.Create(layer), threads, input, layer.Input, output, Pool2DGeometry.Create(layer.Input, layer.Options).OutputShape);

    public void Run() => session.Run(runOptions, InputNames, inputs, OutputNames, outputs);

    public void Dispose()
    {
        foreach (var value in inputs.Concat(outputs))
        {
            value.Dispose();
        }
        runOptions.Dispose();
        session.Dispose();
    }
}
