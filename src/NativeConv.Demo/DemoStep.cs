using System.Diagnostics;
using NativeConv.Reference;

namespace NativeConv.Demo;

/// <summary>One row of the demo's table: a layer run natively, timed, and checked against the reference.</summary>
internal sealed record DemoStep(string Name, TensorShape Input, TensorShape Output, string Kernel, double Milliseconds, double GigaFlops, double MaxError)
{
    private const int TimedRuns = 7;

    public static DemoStep Convolve(string name, TensorShape inputShape, Conv2DOptions options, float[] input, float[] filter, float[] bias, out float[] output)
    {
        using var plan = new Conv2DPlan(inputShape, options, filter, bias);
        output = new float[plan.Geometry.OutputLength];
        float[] result = output;
        double ms = MedianMilliseconds(() => plan.Run(input, result));

        var expected = new float[output.Length];
        ReferenceConvolution.Conv2D(inputShape, options, input, filter, bias, expected);
        return new DemoStep(name, inputShape, plan.OutputShape, plan.KernelName, ms, plan.Geometry.Flops / (ms * 1e6), MaxAbsDifference(output, expected));
    }

    /// <summary>Times <see cref="Filters.Apply"/> and checks it against the same filter as a depthwise reference convolution.</summary>
    public static DemoStep Filter(string name, TensorShape shape, Kernel2D kernel, float[] input, out float[] output)
    {
        output = new float[input.Length];
        float[] result = output;
        double ms = MedianMilliseconds(() => Filters.Apply(shape, input, kernel, result));

        var options = new Conv2DOptions(shape.Channels, kernel.Height, kernel.Width) { Groups = shape.Channels, Padding = Padding.Same };
        var geometry = Conv2DGeometry.Create(shape, options);
        float[] filter = Enumerable.Repeat(kernel.ToArray(), shape.Channels).SelectMany(k => k).ToArray();
        var expected = new float[output.Length];
        ReferenceConvolution.Conv2D(shape, options, input, filter, [], expected);
        return new DemoStep(name, shape, geometry.OutputShape, "Filters.Apply", ms, geometry.Flops / (ms * 1e6), MaxAbsDifference(output, expected));
    }

    public static DemoStep Pool(string name, TensorShape inputShape, Pool2DOptions options, float[] input, out float[] output)
    {
        using var plan = new Pool2DPlan(inputShape, options);
        output = new float[plan.Geometry.OutputLength];
        float[] result = output;
        double ms = MedianMilliseconds(() => plan.Run(input, result));

        var expected = new float[output.Length];
        ReferencePooling.Pool2D(inputShape, options, input, expected);
        return new DemoStep(name, inputShape, plan.OutputShape, plan.KernelName, ms, double.NaN, MaxAbsDifference(output, expected));
    }

    // A median of a few runs after one warm-up: a rough figure for the table, not a benchmark (see bench/).
    private static double MedianMilliseconds(Action run)
    {
        run();
        var times = new double[TimedRuns];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[TimedRuns / 2];
    }

    private static double MaxAbsDifference(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        }
        return max;
    }
}
