using System.Globalization;

namespace NativeConv.Benchmarks;

/// <summary>
/// NativeConv (through the .NET API) against ONNX Runtime on the convolution suite, NCHW, 1 and 2
/// threads, in one process with the contenders taking turns; the medians are compared. Faster than the
/// BenchmarkDotNet classes, so ./build.sh bench can put ONNX Runtime rows into its CSV table.
/// Lines appended to the CSV: row,layout,threads,isa,nativeconv_gflops,onnxruntime,peer_gflops,ratio.
/// </summary>
public static class OnnxRuntimeComparison
{
    public static int Run(string csvPath, int repetitions, double minSeconds)
    {
        string isa = NativeConvLibrary.ActiveIsa.ToString().ToLowerInvariant();
        Console.WriteLine($"NativeConv .NET against ONNX Runtime, isa {isa}, {repetitions} repetitions of >= {minSeconds * 1e3:F0} ms");
        Console.WriteLine($"{"row",-14} {"t",1} {"NativeConv GF/s",16} {"ORT GF/s",16} {"ratio",6} {"ORT allocated B/run",19}");
        using var csv = new StreamWriter(csvPath, append: true);
        foreach (int threads in new[] { 1, 2 })
        {
            foreach (var layer in ConvLayer.Suite())
            {
                var geometry = Conv2DGeometry.Create(layer.Input, layer.Options);
                var random = new Random(1);
                float[] filter = RandomData.Values(random, geometry.FilterLength);
                float[] bias = RandomData.Values(random, geometry.BiasLength);
                float[] input = RandomData.Values(random, geometry.InputLength);
                float[] output = new float[geometry.OutputLength], peerOutput = new float[geometry.OutputLength];
                using var plan = new Conv2DPlan(layer.Input, layer.Options, filter, bias) { MaxThreads = threads };
                using var peer = new OnnxRuntimeConv(layer, threads, filter, bias, input, peerOutput);
                Action nativeConv = () => plan.Run(input, output);
                Action onnxRuntime = peer.Run;
                nativeConv();
                onnxRuntime();
                CheckSame(layer.Name, output, peerOutput);
                long allocated = AllocatedPerCall(onnxRuntime);

                var nativeTimes = new double[repetitions];
                var peerTimes = new double[repetitions];
                for (int r = 0; r < repetitions; r++)
                {
                    nativeTimes[r] = CallTimer.SecondsPerCall(nativeConv, threads == 1, minSeconds);
                    peerTimes[r] = CallTimer.SecondsPerCall(onnxRuntime, threads == 1, minSeconds);
                }
                double nativeGflops = geometry.Flops / Median(nativeTimes) * 1e-9;
                double peerGflops = geometry.Flops / Median(peerTimes) * 1e-9;
                Console.WriteLine($"{layer.Name,-14} {threads,1} {nativeGflops,16:F1} {peerGflops,16:F1} {nativeGflops / peerGflops,5:F2}x {allocated,19}");
                csv.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{layer.Name},nchw,{threads},{isa},{nativeGflops:F2},onnxruntime,{peerGflops:F2},{nativeGflops / peerGflops:F3}"));
            }
        }
        return 0;
    }

    private static long AllocatedPerCall(Action action)
    {
        const int calls = 4;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            action();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }

    private static void CheckSame(string name, float[] actual, float[] expected)
    {
        double worst = 0, scale = 1;
        for (int i = 0; i < actual.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        if (worst / scale > 1e-4)
        {
            Console.Error.WriteLine($"MISMATCH {name}: relative difference {worst / scale:G3}");
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
    }
}
