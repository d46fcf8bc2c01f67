namespace NativeConv.Tests.Support;

/// <summary>Runs one <see cref="PoolCase"/> through the one-shot call, a plan and the reference, and compares.</summary>
internal static class PoolParity
{
    /// <summary>Written into output buffers first, so an element the library forgets to write shows up.</summary>
    private const float Unwritten = 1e30f;

    public static void Check(PoolCase c, ParityStats stats)
    {
        var geometry = Pool2DGeometry.Create(c.InputShape, c.Options);
        Assert.Equal(c.ExpectedOutputShape, geometry.OutputShape);

        float[] expected = Filled(geometry.OutputLength);
        ReferencePooling.Pool2D(c.InputShape, c.Options, c.Input, expected);

        float[] oneShot = Filled(geometry.OutputLength);
        Pooling.Pool2D(c.InputShape, c.Options, c.Input, oneShot, c.MaxThreads);

        float[] planned = Filled(geometry.OutputLength);
        using (var plan = new Pool2DPlan(c.InputShape, c.Options) { MaxThreads = c.MaxThreads })
        {
            Assert.Equal(c.ExpectedOutputShape, plan.OutputShape);
            stats.AddKernel(plan.KernelName);
            plan.Run(c.Input, planned);
        }

        if (c.Options.Kind == PoolKind.Max)
        {
            AssertIdentical(expected, oneShot, () => $"one-shot, {c}");
            AssertIdentical(expected, planned, () => $"plan, {c}");
            stats.AddCase(0, c.ToString);
            return;
        }

        float[] bound = ErrorBound(c);
        double worst = Math.Max(
            Tolerance.Check(expected, oneShot, bound, () => $"one-shot, {c}"),
            Tolerance.Check(expected, planned, bound, () => $"plan, {c}"));
        stats.AddCase(worst, c.ToString);
    }

    /// <summary>Max pooling selects, it does not compute: results must be the same floats (NaN matches NaN).</summary>
    public static void AssertIdentical(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, Func<string> describe)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                Assert.Fail($"element {i}: expected {expected[i]:R}, actual {actual[i]:R} ({describe()})");
            }
        }
    }

    /// <summary>
    /// The average of |x| over the same window (and divisor), which bounds the rounding error of the average. Computed
    /// without the activation: ReLU and clamp never widen the gap between two values, and a clamp to a negative range
    /// would make the bound negative.
    /// </summary>
    public static float[] ErrorBound(PoolCase c)
    {
        Pool2DOptions plain = c.Options with { Activation = Activation.None };
        float[] bound = new float[Pool2DGeometry.Create(c.InputShape, plain).OutputLength];
        ReferencePooling.Pool2D(c.InputShape, plain, Tolerance.Abs(c.Input), bound);
        return bound;
    }

    private static float[] Filled(int length)
    {
        var buffer = new float[length];
        Array.Fill(buffer, Unwritten);
        return buffer;
    }
}
