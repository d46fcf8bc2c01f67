using Microsoft.ML.OnnxRuntime;

namespace NativeConv.Benchmarks;

/// <summary>
/// One suite layer as an ONNX Runtime session (CPU, graph optimization ALL, the given intra-op thread
/// count), with input and output bound to preallocated arrays so a run allocates as little as ORT allows.
/// </summary>
public sealed class OnnxRuntimeConv : IDisposable
{
    private static readonly string[] InputNames = ["X"];
    private static readonly string[] OutputNames = ["Y"];
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly OrtValue[] inputs;
    private readonly OrtValue[] outputs;

    public OnnxRuntimeConv(ConvLayer layer, int threads, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias, float[] input, float[] output)
    {
        var geometry = Conv2DGeometry.Create(layer.Input, layer.Options with { Layout = TensorLayout.Nchw });
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        session = new InferenceSession(OnnxConvModel.Create(layer, filter, bias), options);
        inputs = [OrtValue.CreateTensorValueFromMemory(input, OnnxConvModel.Dims(layer.Input))];
        outputs = [OrtValue.CreateTensorValueFromMemory(output, OnnxConvModel.Dims(geometry.OutputShape))];
    }

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
