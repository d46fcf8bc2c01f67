using NativeConv.Models;

namespace NativeConv.Tests;

/// <summary>
/// The executor that hands a plan's tasks to the .NET thread pool, reusing one job per calling thread: runs that
/// follow each other faster than the pool starts helpers, so that helpers queued for one run join a later one, and
/// warm runs that allocate nothing.
/// </summary>
[Collection(QuietThreadPoolCollection.Name)]
public sealed class ThreadPoolExecutorTests
{
    /// <summary>
    /// Two plans whose runs split into different numbers of tasks with different thread caps, run alternately and
    /// back to back for a few microseconds each, so that the pool starts many helpers only after the run they were
    /// queued for has finished, while the calling thread is in the next run or between runs. A helper that claimed a
    /// task with the fields of another run would run the wrong plan or index past the task count, and a run that
    /// returned before all its tasks finished would leave NaNs; every run must give the serial result exactly.
    /// </summary>
    [Fact]
    public void Back_to_back_runs_give_the_serial_result_whenever_the_helpers_start()
    {
        // Just above the size at which the library starts splitting a convolution (2^15 multiply-adds).
        using var small = new Run(new TensorShape(1, 4, 16, 16), new Conv2DOptions(4, 3) { Padding = Padding.Same }, 2, salt: 1);
        using var large = new Run(new TensorShape(2, 8, 20, 18), new Conv2DOptions(8, 3) { Padding = 1, Activation = Activation.Relu }, 4, salt: 2);
        for (int i = 0; i < 500; i++)
        {
            small.Check(i);
            large.Check(i);
        }
    }

    /// <summary>
    /// Once a thread has run a parallel plan, more parallel runs allocate nothing on it, through a plan, a pooling
    /// with its activation or a whole model (whose reorders check blocked buffer lengths on every run).
    /// <see cref="GC.GetAllocatedBytesForCurrentThread"/> sees the calling thread only, which is where the executor's
    /// job is allocated; the helpers run nothing but the executor's task loop, which allocates nothing, and this test
    /// does not see them (the ExecutorOverhead benchmark's Allocated column counts every thread).
    /// </summary>
    [Fact]
    public void Warm_parallel_runs_allocate_nothing_on_the_calling_thread()
    {
        var shape = new TensorShape(1, 16, 48, 48);
        var options = new Conv2DOptions(16, 3) { Padding = 1 };
        var geometry = Conv2DGeometry.Create(shape, options);
        using var conv = new Conv2DPlan(shape, options, TestData.Pattern(geometry.FilterLength, 3));
        float[] input = TestData.Pattern(geometry.InputLength, 4);
        float[] output = new float[geometry.OutputLength];

        using var pool = new Pool2DPlan(shape, new Pool2DOptions(PoolKind.Max, 2) { Activation = Activation.Relu });
        float[] pooled = new float[pool.Geometry.OutputLength];

        float[] filter = TestData.Pattern(16 * 16 * 9, 5);
        using SequentialPlan model = new Sequential()
            .Conv2D(options, filter).Relu()
            .MaxPool(2)
            .Conv2D(options, filter)
            .Build(shape);
        float[] modelOutput = new float[model.OutputLength];

        void RunAll()
        {
            conv.Run(input, output, 2);
            pool.Run(input, pooled, 2);
            model.Run(input, modelOutput);
        }

        model.MaxThreads = 2;
        for (int i = 0; i < 3; i++)
        {
            RunAll();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            RunAll();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A plan with its input and the result of a serial run, checked against parallel runs.</summary>
    private sealed class Run : IDisposable
    {
        private readonly Conv2DPlan plan;
        private readonly int threads;
        private readonly float[] input;
        private readonly float[] expected;
        private readonly float[] output;

        public Run(TensorShape shape, Conv2DOptions options, int threads, int salt)
        {
            var geometry = Conv2DGeometry.Create(shape, options);
            plan = new Conv2DPlan(shape, options, TestData.Pattern(geometry.FilterLength, salt), TestData.Pattern(geometry.BiasLength, salt + 1));
            this.threads = threads;
            input = TestData.Pattern(geometry.InputLength, salt + 2);
            expected = new float[geometry.OutputLength];
            output = new float[geometry.OutputLength];
            plan.Run(input, expected, 1);
        }

        public void Check(int iteration)
        {
            Array.Fill(output, float.NaN);
            plan.Run(input, output, threads);
            if (!output.AsSpan().SequenceEqual(expected))
            {
                Assert.Fail($"run {iteration} with {threads} threads differs from the serial run ({plan.Geometry.InputShape})");
            }
        }

        public void Dispose() => plan.Dispose();
    }
}
