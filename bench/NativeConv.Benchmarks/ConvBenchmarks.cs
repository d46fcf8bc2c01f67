using BenchmarkDotNet.Attributes;

namespace NativeConv.Benchmarks;

/// <summary>The convolution suite through the .NET API, in both user layouts, on 1 and all threads.</summary>
[MemoryDiagnoser]
public class ConvBenchmarks : IFlopCount
{
    private Conv2DPlan? plan;
    private float[] input = [];
    private float[] output = [];

    [ParamsSource(nameof(Layers))]
    public ConvLayer Layer { get; set; } = ConvLayer.Suite().First();

    [Params(TensorLayout.Nchw, TensorLayout.Nhwc)]
    public TensorLayout Layout { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<ConvLayer> Layers() => ConvLayer.Suite();

    public double Flops => Conv2DGeometry.Create(Layer.Input, Options).Flops;

    private Conv2DOptions Options => Layer.Options with { Layout = Layout };

    [GlobalSetup]
    public void Setup()
    {
        var geometry = Conv2DGeometry.Create(Layer.Input, Options);
        var random = new Random(1);
        input = RandomData.Values(random, geometry.InputLength);
        output = new float[geometry.OutputLength];
        plan = new Conv2DPlan(Layer.Input, Options, RandomData.Values(random, geometry.FilterLength), RandomData.Values(random, geometry.BiasLength))
        {
            MaxThreads = Threads,
        };
    }

    [GlobalCleanup]
    public void Cleanup() => plan?.Dispose();

    [Benchmark]
    public void NativeConv() => plan!.Run(input, output);
}
