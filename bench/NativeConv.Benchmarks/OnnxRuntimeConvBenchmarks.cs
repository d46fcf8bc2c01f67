using BenchmarkDotNet.Attributes;

namespace NativeConv.Benchmarks;

/// <summary>
/// The convolution suite through ONNX Runtime, one Conv node per layer, NCHW, beside
/// <see cref="ConvBenchmarks"/> with the same layers and thread counts.
/// </summary>
[MemoryDiagnoser]
public class OnnxRuntimeConvBenchmarks : IFlopCount
{
    private OnnxRuntimeSession? conv;

    [ParamsSource(nameof(Layers))]
    public ConvLayer Layer { get; set; } = ConvLayer.Suite().First();

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<ConvLayer> Layers() => ConvLayer.Suite();

    public double Flops => Conv2DGeometry.Create(Layer.Input, Layer.Options).Flops;

    [GlobalSetup]
    public void Setup()
    {
        var geometry = Conv2DGeometry.Create(Layer.Input, Layer.Options);
        var random = new Random(1);
        conv = OnnxRuntimeSession.Conv(Layer, Threads, RandomData.Values(random, geometry.FilterLength), RandomData.Values(random, geometry.BiasLength),
            RandomData.Values(random, geometry.InputLength), new float[geometry.OutputLength]);
    }

    [GlobalCleanup]
    public void Cleanup() => conv?.Dispose();

    [Benchmark]
    public void OnnxRuntime() => conv!.Run();
}
