using BenchmarkDotNet.Attributes;

namespace NativeConv.Benchmarks;

/// <summary>
/// What handing tasks to the .NET thread pool costs per call: a convolution just above the size
/// at which the library starts splitting work (2^15 multiply-adds), run on the calling thread only
/// and through the thread-pool executor with two threads. Two threads halve the arithmetic, so
/// ThreadPool - Serial / 2 is the executor's cost per call.
/// </summary>
[MemoryDiagnoser]
public class ExecutorOverheadBenchmarks
{
    private static readonly TensorShape Shape = new(1, 4, 16, 16);
    private static readonly Conv2DOptions Options = new(4, 3) { Padding = Padding.Same };
    private Conv2DPlan? plan;
    private float[] input = [];
    private float[] output = [];

    [GlobalSetup]
    public void Setup()
    {
        var geometry = Conv2DGeometry.Create(Shape, Options);
        input = new float[geometry.InputLength];
        output = new float[geometry.OutputLength];
        plan = new Conv2DPlan(Shape, Options, new float[geometry.FilterLength]);
    }

    [GlobalCleanup]
    public void Cleanup() => plan?.Dispose();

    [Benchmark(Baseline = true)]
    public void Serial() => plan!.Run(input, output, maxThreads: 1);

    [Benchmark]
    public void ThreadPool() => plan!.Run(input, output, maxThreads: 2);
}
