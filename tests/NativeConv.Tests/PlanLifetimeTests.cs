namespace NativeConv.Tests;

/// <summary>
/// Plans are created once and run many times, from many threads: disposal, concurrent use and
/// determinism across thread counts.
/// </summary>
public sealed class PlanLifetimeTests
{
    private static readonly TensorShape Shape = new(2, 8, 17, 19);
    private static readonly Conv2DOptions Options = new(16, 3) { Padding = 1, Activation = Activation.Relu };
    private static readonly Conv2DGeometry Geometry = Conv2DGeometry.Create(Shape, Options);
    private static readonly float[] Filter = TestData.Pattern(Geometry.FilterLength, 1);
    private static readonly float[] Bias = TestData.Pattern(Geometry.BiasLength, 2);

    private static readonly TensorShape SmallShape = new(1, 3, 6, 5);
    private static readonly Conv2DOptions SmallOptions = new(4, 3) { Padding = Padding.Same, Layout = TensorLayout.Nhwc };
    private static readonly Conv2DGeometry SmallGeometry = Conv2DGeometry.Create(SmallShape, SmallOptions);

    [Fact]
    public void Disposing_twice_is_harmless()
    {
        var plan = new Conv2DPlan(Shape, Options, Filter, Bias);
        plan.Dispose();
        plan.Dispose();

        var pool = new Pool2DPlan(Shape, new Pool2DOptions(PoolKind.Max, 2));
        pool.Dispose();
        pool.Dispose();
    }

    [Fact]
    public void Running_a_disposed_plan_throws()
    {
        var plan = new Conv2DPlan(Shape, Options, Filter, Bias);
        plan.Dispose();
        Assert.Throws<ObjectDisposedException>(() => plan.Run(new float[Geometry.InputLength], new float[Geometry.OutputLength]));
        Assert.Throws<ObjectDisposedException>(() => plan.Run(new float[Geometry.InputLength], new float[Geometry.OutputLength], 2));

        var poolGeometry = Pool2DGeometry.Create(Shape, new Pool2DOptions(PoolKind.Average, 2));
        var pool = new Pool2DPlan(Shape, poolGeometry.Options);
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(new float[poolGeometry.InputLength], new float[poolGeometry.OutputLength]));
    }

    [Fact]
    public void Plans_report_their_kernel_and_geometry()
    {
        using var plan = new Conv2DPlan(Shape, Options, Filter, Bias);
        Assert.False(string.IsNullOrWhiteSpace(plan.KernelName));
        Assert.Equal(Geometry.OutputShape, plan.OutputShape);
        Assert.Equal(Geometry.OutputShape, plan.Geometry.OutputShape);
        Assert.Equal(Environment.ProcessorCount, plan.MaxThreads);
        TestContext.Current.TestOutputHelper?.WriteLine($"conv kernel: {plan.KernelName}");

        using var pool = new Pool2DPlan(Shape, new Pool2DOptions(PoolKind.Max, 3) { Stride = 2, Padding = 1 });
        Assert.False(string.IsNullOrWhiteSpace(pool.KernelName));
        Assert.Equal(new TensorShape(2, 8, 9, 10), pool.OutputShape);
        TestContext.Current.TestOutputHelper?.WriteLine($"pool kernel: {pool.KernelName}");
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        float[] input = TestData.Pattern(Geometry.InputLength, 3);
        using var plan = new Conv2DPlan(Shape, Options, Filter, Bias);
        float[] single = new float[Geometry.OutputLength];
        plan.Run(input, single, 1);

        foreach (int threads in (int[])[2, 3, 8])
        {
            float[] viaArgument = new float[Geometry.OutputLength];
            plan.Run(input, viaArgument, threads);
            Assert.Equal(single, viaArgument);

            plan.MaxThreads = threads;
            float[] viaProperty = new float[Geometry.OutputLength];
            plan.Run(input, viaProperty);
            Assert.Equal(single, viaProperty);

            float[] oneShot = new float[Geometry.OutputLength];
            Convolution.Conv2D(Shape, Options, input, Filter, Bias, oneShot, threads);
            Assert.Equal(single, oneShot);
        }

        var poolOptions = new Pool2DOptions(PoolKind.Average, 3) { Stride = 2, Padding = 1, CeilMode = true };
        var poolGeometry = Pool2DGeometry.Create(Shape, poolOptions);
        using var pool = new Pool2DPlan(Shape, poolOptions);
        float[] pooledSingle = new float[poolGeometry.OutputLength];
        pool.Run(input, pooledSingle, 1);
        foreach (int threads in (int[])[2, 3, 8])
        {
            float[] pooled = new float[poolGeometry.OutputLength];
            pool.Run(input, pooled, threads);
            Assert.Equal(pooledSingle, pooled);
        }
    }

    [Fact]
    public void A_plan_shared_by_eight_threads_gives_the_single_threaded_results()
    {
        const int inputs = 4;
        const int runsPerThread = 1000;
        float[][] data = [.. Enumerable.Range(0, inputs).Select(i => TestData.Pattern(SmallGeometry.InputLength, 10 + i))];
        float[] filter = TestData.Pattern(SmallGeometry.FilterLength, 20);
        using var plan = new Conv2DPlan(SmallShape, SmallOptions, filter);

        float[][] expected = new float[inputs][];
        for (int i = 0; i < inputs; i++)
        {
            expected[i] = new float[SmallGeometry.OutputLength];
            plan.Run(data[i], expected[i], 1);
        }

        int mismatches = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            float[] output = new float[SmallGeometry.OutputLength];
            for (int run = 0; run < runsPerThread; run++)
            {
                int which = (thread + run) % inputs;
                plan.Run(data[which], output, 1 + (run % 3));
                if (!output.AsSpan().SequenceEqual(expected[which]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public async Task Disposing_while_other_threads_run_either_lets_a_run_finish_or_throws_ObjectDisposedException()
    {
        float[] input = TestData.Pattern(SmallGeometry.InputLength, 30);
        float[] filter = TestData.Pattern(SmallGeometry.FilterLength, 31);
        float[] expected = new float[SmallGeometry.OutputLength];
        Convolution.Conv2D(SmallShape, SmallOptions, input, filter, [], expected, 1);

        int completed = 0;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var plan = new Conv2DPlan(SmallShape, SmallOptions, filter);
            using var started = new CountdownEvent(4);
            var unexpected = new System.Collections.Concurrent.ConcurrentQueue<string>();
            bool disposed = false;
            bool stop = false;
            Task[] runners = [.. Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
            {
                float[] output = new float[SmallGeometry.OutputLength];
                started.Signal();
                while (!Volatile.Read(ref stop))
                {
                    bool startedAfterDispose = Volatile.Read(ref disposed);
                    try
                    {
                        plan.Run(input, output, 2);
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                    catch (Exception e)
                    {
                        unexpected.Enqueue(e.ToString());
                        return;
                    }

                    if (startedAfterDispose)
                    {
                        unexpected.Enqueue("Run started after Dispose returned and completed instead of throwing ObjectDisposedException");
                        return;
                    }

                    if (!output.AsSpan().SequenceEqual(expected))
                    {
                        unexpected.Enqueue("a run racing with Dispose produced a wrong result");
                        return;
                    }

                    Interlocked.Increment(ref completed);
                }
            }, TaskCreationOptions.LongRunning))];

            started.Wait(TestContext.Current.CancellationToken);
            Thread.Sleep(attempt % 3);
            plan.Dispose();
            Volatile.Write(ref disposed, true);
            try
            {
                await Task.WhenAll(runners).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                unexpected.Enqueue("runners were still running 10 s after Dispose returned");
            }
            finally
            {
                Volatile.Write(ref stop, true);
                await Task.WhenAll(runners);
            }

            Assert.Empty(unexpected);
            Assert.Throws<ObjectDisposedException>(() => plan.Run(input, new float[SmallGeometry.OutputLength]));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{completed} runs completed while racing with Dispose");
    }

    [Fact]
    public Task Run_after_Dispose_throws_even_while_another_run_is_in_flight()
    {
        // Large enough that one run takes milliseconds, so the first run is usually still in flight when
        // Dispose returns and the next Run starts.
        var shape = new TensorShape(1, 64, 112, 112);
        var options = new Conv2DOptions(64, 3) { Padding = 1 };
        var geometry = Conv2DGeometry.Create(shape, options);
        float[] input = TestData.Pattern(geometry.InputLength, 40);
        float[] filter = TestData.Pattern(geometry.FilterLength, 41);
        float[] inFlightOutput = new float[geometry.OutputLength];
        float[] nextOutput = new float[geometry.OutputLength];
        return AssertRunAfterDisposeThrowsWhileAnotherIsInFlight(() =>
        {
            var plan = new Conv2DPlan(shape, options, filter);
            return (plan, () => plan.Run(input, inFlightOutput, 1), () => plan.Run(input, nextOutput, 1));
        });
    }

    [Fact]
    public Task Pool_run_after_Dispose_throws_even_while_another_run_is_in_flight()
    {
        var shape = new TensorShape(1, 64, 320, 320);
        var options = new Pool2DOptions(PoolKind.Max, 3) { Stride = 1, Padding = 1 };
        var geometry = Pool2DGeometry.Create(shape, options);
        float[] input = TestData.Pattern(geometry.InputLength, 42);
        float[] inFlightOutput = new float[geometry.OutputLength];
        float[] nextOutput = new float[geometry.OutputLength];
        return AssertRunAfterDisposeThrowsWhileAnotherIsInFlight(() =>
        {
            var plan = new Pool2DPlan(shape, options);
            return (plan, () => plan.Run(input, inFlightOutput, 1), () => plan.Run(input, nextOutput, 1));
        });
    }

    /// <summary>
    /// Disposes a plan while a run is in flight and checks that the next Run throws. On a busy machine the
    /// first run can lose the race (it then meets the disposed plan, or ends before Dispose), and such an
    /// attempt shows nothing about a run in flight; so attempts repeat until the first run ends after the next
    /// Run has thrown.
    /// </summary>
    private static async Task AssertRunAfterDisposeThrowsWhileAnotherIsInFlight(Func<(IDisposable Plan, Action InFlightRun, Action NextRun)> create)
    {
        const int Attempts = 20;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            (IDisposable plan, Action inFlightRun, Action nextRun) = create();
            using var running = new ManualResetEventSlim();
            int nextRunThrew = 0;
            Task<bool> inFlight = Task.Factory.StartNew(() =>
            {
                running.Set();
                try
                {
                    inFlightRun();
                }
                catch (ObjectDisposedException)
                {
                    return false;
                }

                return Volatile.Read(ref nextRunThrew) == 1;
            }, TaskCreationOptions.LongRunning);

            running.Wait(TestContext.Current.CancellationToken);
            Thread.Sleep(1);
            plan.Dispose();
            Assert.Throws<ObjectDisposedException>(nextRun);
            Volatile.Write(ref nextRunThrew, 1);
            if (await inFlight)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"the runs overlapped on attempt {attempt + 1}");
                return;
            }
        }

        Assert.Fail($"in {Attempts} attempts the first run was never still in flight when the next Run threw");
    }
}
