using BenchmarkDotNet.Attributes;

namespace NativeConv.Benchmarks;

/// <summary>
/// What a call costs beyond the arithmetic: a convolution small enough that the work is a few
/// hundred nanoseconds, run serially (no executor) and through the .NET thread pool executor.
/// The difference between the two rows is the executor's overhead per call.
/// </summary>
[MemoryDiagnoser]
public class ExecutorOverheadBenchmarks
{
    private static readonly TensorShape Shape = new(1, 4, 8, 8);
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
