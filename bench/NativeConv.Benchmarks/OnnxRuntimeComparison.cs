using System.Globalization;

namespace NativeConv.Benchmarks;

/// <summary>
/// NativeConv (through the .NET API) against ONNX Runtime on the convolution or the pooling suite, NCHW, 1 and 2
/// threads, in one process with the contenders taking turns; the medians are compared. Faster than the
/// BenchmarkDotNet classes, so bench/run.sh can put ONNX Runtime rows into its CSV tables.
/// Lines appended to the CSV: row,layout,threads,isa,nativeconv_gflops,onnxruntime,peer_gflops,ratio for the
/// convolutions (conv.csv's columns) and row,layout,threads,isa,nativeconv_gbps,onnxruntime,peer_gbps,ratio for the
/// poolings (pool.csv's), GB/s counting the input and output bytes once, as bench/native/pool_vs_onednn.c does.
/// </summary>
public static class OnnxRuntimeComparison
{
    private const int NameWidth = 22;

    public static int RunConv(string csvPath, int repetitions, double minSeconds) =>
        Run(csvPath, repetitions, minSeconds, "convolution", "GF/s", ConvLayer.Suite(), ConvContest);

    public static int RunPool(string csvPath, int repetitions, double minSeconds) =>
        Run(csvPath, repetitions, minSeconds, "pooling", "GB/s", PoolLayer.Suite(), PoolContest);

    private static Contest ConvContest(ConvLayer layer, int threads)
    {
        var geometry = Conv2DGeometry.Create(layer.Input, layer.Options);
        var random = new Random(1);
        float[] filter = RandomData.Values(random, geometry.FilterLength);
        float[] bias = RandomData.Values(random, geometry.BiasLength);
        float[] input = RandomData.Values(random, geometry.InputLength);
        float[] output = new float[geometry.OutputLength], peerOutput = new float[geometry.OutputLength];
        var plan = new Conv2DPlan(layer.Input, layer.Options, filter, bias) { MaxThreads = threads };
        var peer = OnnxRuntimeSession.Conv(layer, threads, filter, bias, input, peerOutput);
        return new(layer.Name, geometry.Flops, () => plan.Run(input, output), peer.Run, output, peerOutput, plan, peer);
    }

    private static Contest PoolContest(PoolLayer layer, int threads)
    {
        var geometry = Pool2DGeometry.Create(layer.Input, layer.Options);
        float[] input = RandomData.Values(new Random(1), geometry.InputLength);
        float[] output = new float[geometry.OutputLength], peerOutput = new float[geometry.OutputLength];
        var plan = new Pool2DPlan(layer.Input, layer.Options) { MaxThreads = threads };
        var peer = OnnxRuntimeSession.Pool(layer, threads, input, peerOutput);
        double bytes = (geometry.InputLength + (double)geometry.OutputLength) * sizeof(float);
        return new(layer.Name, bytes, () => plan.Run(input, output), peer.Run, output, peerOutput, plan, peer);
    }

    // unit names the rates: a contest's Work per second, over 1e9.
    private static int Run<TLayer>(string csvPath, int repetitions, double minSeconds, string suiteName, string unit,
        IEnumerable<TLayer> suite, Func<TLayer, int, Contest> contestFor)
    {
        string isa = NativeConvLibrary.ActiveIsa.ToString().ToLowerInvariant();
        Console.WriteLine($"NativeConv .NET against ONNX Runtime, {suiteName}, isa {isa}, {repetitions} repetitions of >= {minSeconds * 1e3:F0} ms");
        Console.WriteLine($"{"row",-NameWidth} {"t",1} {$"NativeConv {unit}",16} {$"ORT {unit}",16} {"ratio",6} {"ORT allocated B/run",19}");
        using var csv = new StreamWriter(csvPath, append: true);
        foreach (int threads in new[] { 1, 2 })
        {
            foreach (var layer in suite)
            {
                using var contest = contestFor(layer, threads);
                contest.NativeConv();
                contest.OnnxRuntime();
                CheckSame(contest.Name, contest.Output, contest.PeerOutput);
                long allocated = AllocatedPerCall(contest.OnnxRuntime);

                var nativeTimes = new double[repetitions];
                var peerTimes = new double[repetitions];
                for (int r = 0; r < repetitions; r++)
                {
                    nativeTimes[r] = CallTimer.SecondsPerCall(contest.NativeConv, threads == 1, minSeconds);
                    peerTimes[r] = CallTimer.SecondsPerCall(contest.OnnxRuntime, threads == 1, minSeconds);
                }
                double native = contest.Work / Median(nativeTimes) * 1e-9;
                double peer = contest.Work / Median(peerTimes) * 1e-9;
                Console.WriteLine($"{contest.Name,-NameWidth} {threads,1} {native,16:F1} {peer,16:F1} {native / peer,5:F2}x {allocated,19}");
                csv.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{contest.Name},nchw,{threads},{isa},{native:F2},onnxruntime,{peer:F2},{native / peer:F3}"));
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

    /// <summary>
    /// One row's two contenders, ready to run: the same input, each into its own output; <see cref="Work"/> is what a
    /// call does (floating-point operations or bytes moved). Disposing frees the plan and the session.
    /// </summary>
    private sealed record Contest(string Name, double Work, Action NativeConv, Action OnnxRuntime, float[] Output,
        float[] PeerOutput, IDisposable Plan, IDisposable Session) : IDisposable
    {
        public void Dispose()
        {
            Plan.Dispose();
            Session.Dispose();
        }
    }
}
