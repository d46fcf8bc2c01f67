namespace NativeConv.Tests.Support;

/// <summary>
/// Float results of sums are compared against an error bound proportional to the sum of absolute
/// terms (|x·w| products, |bias|, |old output|): reordering a float sum changes it by at most a few
/// ulps of that magnitude, never of the (possibly cancelled) result.
/// </summary>
internal static class Tolerance
{
    public const double Relative = 1e-5;

    /// <summary>Absorbs the last ulp of results whose terms are all (nearly) zero.</summary>
    public const double Absolute = 1e-7;

    /// <summary>Checks every element and returns the worst |actual − expected| / bound seen.</summary>
    public static double Check(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, ReadOnlySpan<float> bound, Func<string> describe)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]))
            {
                if (!float.IsNaN(actual[i]))
                {
                    Assert.Fail($"element {i}: expected NaN, actual {actual[i]:R} ({describe()})");
                }

                continue;
            }

            double difference = Math.Abs((double)actual[i] - expected[i]);
            double allowed = Relative * bound[i] + Absolute;
            if (!(difference <= allowed))
            {
                Assert.Fail($"element {i}: expected {expected[i]:R}, actual {actual[i]:R}, |difference| {difference:E3} > allowed {allowed:E3} ({describe()})");
            }

            worst = Math.Max(worst, difference / (bound[i] + Absolute));
        }

        return worst;
    }

    public static float[] Abs(ReadOnlySpan<float> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = Math.Abs(values[i]);
        }

        return result;
    }
}
