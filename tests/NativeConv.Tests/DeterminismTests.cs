namespace NativeConv.Tests;

/// <summary>
/// The documented guarantee that results are bitwise identical for every thread count, checked per ISA path and
/// kernel family (dense and depthwise convolution in every layout, max and average pooling): every MaxThreads from
/// 1 to 9 plus 16 and 64, then one plan hammered by 8 threads at once with a different thread count on each run.
/// <see cref="PlanLifetimeTests"/> covers the default ISA and one shape; this covers every path.
/// </summary>
[Collection(IsaCollection.Name)]
public sealed class DeterminismTests
{
    private const int ConcurrentThreads = 8;
    private const int RunsPerThread = 250;
    private static readonly int[] ThreadCounts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 64];

    // Enough work to be split into tasks (the library runs small jobs inline), with ragged tails everywhere.
    private static readonly TensorShape Shape = new(2, 12, 23, 37);

    public static TheoryData<Isa, string> Paths()
    {
        var data = new TheoryData<Isa, string>();
        foreach (Isa isa in Enum.GetValues<Isa>())
        {
            foreach (string family in (string[])["dense nchw", "dense nhwc", "dense nchw16c", "depthwise nchw", "depthwise nhwc", "depthwise nchw16c", "grouped hwio", "max pool", "max pool nchw16c", "average pool nhwc"])
            {
                data.Add(isa, family);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_thread_count_and_concurrent_runs_give_the_single_threaded_bits(Isa isa, string family)
    {
        if (!IsaCap.IsSupported(isa))
        {
            Assert.Skip($"{isa} is not supported on this machine");
        }

        using var cap = new IsaCap(isa);
        (Action<float[], float[], int> run, int inputLength, int outputLength, string kernel, IDisposable plan) = Create(family);
        using IDisposable disposePlan = plan;
        float[][] inputs = [TestData.Pattern(inputLength, 1), TestData.Pattern(inputLength, 2), TestData.Pattern(inputLength, 3)];
        float[][] expected = [.. inputs.Select(input =>
        {
            float[] output = new float[outputLength];
            run(input, output, 1);
            return output;
        })];

        foreach (int threads in ThreadCounts)
        {
            float[] output = new float[outputLength];
            run(inputs[0], output, threads);
            Assert.True(output.AsSpan().SequenceEqual(expected[0]), $"{kernel}: {threads} threads differ from 1");
        }

        int mismatches = 0;
        Parallel.For(0, ConcurrentThreads, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentThreads }, thread =>
        {
            float[] output = new float[outputLength];
            for (int i = 0; i < RunsPerThread; i++)
            {
                int which = (thread + i) % inputs.Length;
                run(inputs[which], output, ThreadCounts[(thread * 7 + i) % ThreadCounts.Length]);
                if (!output.AsSpan().SequenceEqual(expected[which]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });
        Assert.Equal(0, mismatches);
        TestContext.Current.TestOutputHelper?.WriteLine($"{kernel}: {ConcurrentThreads * RunsPerThread} concurrent runs, all bitwise identical");
    }

    private static (Action<float[], float[], int> Run, int InputLength, int OutputLength, string Kernel, IDisposable Plan) Create(string family)
    {
        TensorLayout layout = family.EndsWith("nchw16c", StringComparison.Ordinal) ? TensorLayout.Nchw16c
            : family.EndsWith("nhwc", StringComparison.Ordinal) ? TensorLayout.Nhwc
            : TensorLayout.Nchw;
        if (family.Contains("pool", StringComparison.Ordinal))
        {
            Pool2DOptions pool = family.StartsWith("max", StringComparison.Ordinal)
                ? new Pool2DOptions(PoolKind.Max, 3) { Stride = 2, Padding = 1, CeilMode = true, Layout = layout }
                : new Pool2DOptions(PoolKind.Average, 3) { Stride = 1, Padding = 1, Layout = layout };
            var poolGeometry = Pool2DGeometry.Create(Shape, pool);
            var poolPlan = new Pool2DPlan(Shape, pool);
            return ((input, output, threads) => poolPlan.Run(input, output, threads), poolGeometry.InputLength, poolGeometry.OutputLength, poolPlan.KernelName, poolPlan);
        }

        Conv2DOptions options = family switch
        {
            "dense nchw" or "dense nhwc" or "dense nchw16c" => new Conv2DOptions(20, 3) { Padding = 1, Layout = layout, Activation = Activation.Relu },
            "depthwise nchw" or "depthwise nhwc" or "depthwise nchw16c" => new Conv2DOptions(24, 3) { Padding = 1, Groups = 12, Stride = 2, Layout = layout },
            _ => new Conv2DOptions(18, 3, 2) { Padding = Padding.Same, Groups = 3, FilterLayout = FilterLayout.Hwio, Accumulate = true },
        };
        var geometry = Conv2DGeometry.Create(Shape, options);
        var plan = new Conv2DPlan(Shape, options, TestData.Pattern(geometry.FilterLength, 4), TestData.Pattern(geometry.BiasLength, 5));
        float[] initial = TestData.Pattern(geometry.OutputLength, 6);
        return ((input, output, threads) =>
        {
            initial.CopyTo(output, 0);
            plan.Run(input, output, threads);
        }, geometry.InputLength, geometry.OutputLength, plan.KernelName, plan);
    }
}
