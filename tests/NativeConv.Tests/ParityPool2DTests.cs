namespace NativeConv.Tests;

/// <summary>
/// Native pooling (one-shot and plan) against the managed reference on random shapes and on
/// <see cref="PoolEdgeCases"/>, per ISA, and both against hand-computed results for the rules that are easy to
/// get subtly wrong.
/// </summary>
[Collection(IsaCollection.Name)]
public sealed class ParityPool2DTests
{
    private const int RandomCases = 1000;

    [Theory]
    [MemberData(nameof(IsaCap.All), MemberType = typeof(IsaCap))]
    public void Native_matches_the_reference(Isa isa)
    {
        Assert.SkipUnless(IsaCap.IsSupported(isa), $"this CPU cannot run {isa}");
        var stats = new ParityStats();
        using (new IsaCap(isa))
        {
            foreach (PoolCase edge in PoolEdgeCases.All())
            {
                PoolParity.Check(edge, stats);
            }

            PoolCaseGen.Any.Sample(c => PoolParity.Check(c, stats), iter: RandomCases);
        }

        stats.Report($"Pool2D parity, ISA capped at {isa}");
        Assert.True(stats.Cases >= RandomCases, $"only {stats.Cases} cases ran");
        Assert.InRange(stats.WorstRelativeError, 0, Tolerance.Relative);
    }

    [Fact]
    public void Padded_taps_never_win_a_max_over_negative_inputs()
    {
        // 2x2 input, 2x2 window, stride 1, padding 1: 3x3 windows, each holding 1 to 4 real pixels.
        // A zero from the padding would win every window if it were considered.
        AssertPool(
            2, 2, new Pool2DOptions(PoolKind.Max, 2) { Stride = 1, Padding = 1 },
            [-1, -2,
             -3, -4],
            [-1, -1, -2,
             -1, -1, -2,
             -3, -3, -4]);
    }

    [Fact]
    public void A_NaN_in_the_window_makes_the_max_NaN()
    {
        // 2x2 windows, stride 1: the corner NaN is only in the first window.
        AssertPool(
            3, 3, new Pool2DOptions(PoolKind.Max, 2) { Stride = 1 },
            [float.NaN, 1, 2,
             3, 4, 5,
             6, 7, 8],
            [float.NaN, 5,
             7, 8]);
        // The centre NaN is in all four windows, whatever larger values surround it.
        AssertPool(
            3, 3, new Pool2DOptions(PoolKind.Max, 2) { Stride = 1 },
            [9, 1, 2,
             3, float.NaN, 5,
             6, 7, 9],
            [float.NaN, float.NaN,
             float.NaN, float.NaN]);
    }

    [Fact]
    public void Average_divisor_counts_padding_only_when_asked()
    {
        // Input 1 2 / 3 4, 2x2 windows, stride 1, padding 1. Every window lies inside the padded
        // 4x4 extent, so with padding counted the divisor is always 4: sums 1,3,2 / 4,10,6 / 3,7,4.
        var options = new Pool2DOptions(PoolKind.Average, 2) { Stride = 1, Padding = 1 };
        float[] input = [1, 2, 3, 4];
        AssertPool(2, 2, options,
            input,
            [0.25f, 0.75f, 0.5f,
             1f, 2.5f, 1.5f,
             0.75f, 1.75f, 1f]);
        // Without it the divisor is the number of real pixels: 1,2,1 / 2,4,2 / 1,2,1.
        AssertPool(2, 2, options with { CountIncludePad = false },
            input,
            [1f, 1.5f, 2f,
             2f, 2.5f, 3f,
             3f, 3.5f, 4f]);
    }

    [Fact]
    public void Ceil_mode_adds_a_window_that_starts_inside_the_input()
    {
        // Width 6, window 3, stride 2, padding 1 each side. Floor: (6+2-3)/2+1 = 3 windows starting
        // at -1, 1, 3. Ceil: (6+2-3+1)/2+1 = 4; the 4th starts at 5, a real pixel, so it stays.
        // It covers 5 (real), 6 (padding) and 7 (beyond the padded extent).
        var max = new Pool2DOptions(PoolKind.Max, 1, 3) { StrideWidth = 2, Padding = Padding.Of(0, 0, 1, 1), CeilMode = true };
        float[] input = [1, 2, 3, 4, 5, 6];
        AssertPool(1, 6, max, input, [2, 4, 6, 6]);
        AssertPool(1, 6, max with { CeilMode = false }, input, [2, 4, 6]);

        // Counting padding, the divisor is the window clipped to the padded extent [-1, 7): 3, 3, 3, 2.
        var average = max with { Kind = PoolKind.Average };
        AssertPool(1, 6, average, input, [3f / 3, 9f / 3, 15f / 3, 6f / 2]);
        // Counting real pixels only: 2, 3, 3, 1.
        AssertPool(1, 6, average with { CountIncludePad = false }, input, [3f / 2, 9f / 3, 15f / 3, 6f / 1]);
    }

    [Fact]
    public void Ceil_mode_drops_a_window_that_would_start_in_the_padding()
    {
        // Width 5, window 2, stride 2, padding 1 each side. Ceil gives (5+2-2+1)/2+1 = 4, but the 4th
        // window would start at 6 >= 5 + 1 (in the end padding), so it is dropped: 3 windows at -1, 1, 3.
        var max = new Pool2DOptions(PoolKind.Max, 1, 2) { StrideWidth = 2, Padding = Padding.Of(0, 0, 1, 1), CeilMode = true };
        float[] input = [1, 2, 3, 4, 5];
        AssertPool(1, 5, max, input, [1, 3, 5]);
        AssertPool(1, 5, max with { Kind = PoolKind.Average }, input, [1f / 2, 5f / 2, 9f / 2]);
        AssertPool(1, 5, max with { Kind = PoolKind.Average, CountIncludePad = false }, input, [1f, 5f / 2, 9f / 2]);

        // The same along the height.
        var tall = new Pool2DOptions(PoolKind.Max, 2, 1) { StrideHeight = 2, Padding = Padding.Of(1, 1, 0, 0), CeilMode = true };
        AssertPool(5, 1, tall, input, [1, 3, 5]);
    }

    [Fact]
    public void Ceil_mode_keeps_one_window_larger_than_the_input()
    {
        // Width 2, window 3, stride 2, no padding: floor mode has no complete window; ceil mode gives
        // (2-3+1)/2+1 = 1 window over x[0], x[1] and one column past the input.
        var max = new Pool2DOptions(PoolKind.Max, 1, 3) { StrideWidth = 2, CeilMode = true };
        AssertPool(1, 2, max, [1, 5], [5]);
        // With no padding both divisors count only the two real pixels.
        AssertPool(1, 2, max with { Kind = PoolKind.Average }, [1, 5], [3]);
        AssertPool(1, 2, max with { Kind = PoolKind.Average, CountIncludePad = false }, [1, 5], [3]);
    }

    [Fact]
    public void Dilated_max_skips_pixels()
    {
        // Window 3 with dilation 2 reads x[i], x[i+2], x[i+4]: {3,4,-5}, {-1,1,9}, {4,-5,2}.
        AssertPool(
            1, 7, new Pool2DOptions(PoolKind.Max, 1, 3) { Stride = 1, DilationWidth = 2 },
            [3, -1, 4, 1, -5, 9, 2],
            [4, 9, 4]);
    }

    [Fact]
    public void The_pooled_activation_applies_to_the_pooled_value()
    {
        // Windows (-3, 1) and (3, -1): averages -1 and 1, so ReLU after the average gives 0 and 1, where a ReLU before
        // it would give 0.5 and 1.5.
        float[] input = [-3, 1, 3, -1];
        var average = new Pool2DOptions(PoolKind.Average, 1, 2) { Activation = Activation.Relu };
        AssertPool(1, 4, average, input, [0, 1]);
        // For a max the order does not matter: the maxima 1 and 3 are positive, and ReLU clears a negative one.
        AssertPool(1, 4, average with { Kind = PoolKind.Max }, input, [1, 3]);
        AssertPool(1, 4, average with { Kind = PoolKind.Max }, [-3, -1, 3, -1], [0, 3]);

        // A clamp bounds the pooled value on both sides; the second channel (the first doubled) has maxima 6 and 1.4.
        var clamp = new Pool2DOptions(PoolKind.Max, 1, 2) { Activation = Activation.Clamp(0.5f, 1) };
        AssertPool(1, 4, clamp, [0.2f, 3, -5, 0.7f], [1, 0.7f], expectedSecondChannel: [1, 1]);
        AssertPool(1, 4, clamp with { Kind = PoolKind.Average }, [0.2f, 0.4f, -5, 0.7f], [0.5f, 0.5f], expectedSecondChannel: [0.6f, 0.5f]);

        // Global pooling takes the activation too.
        AssertPool(2, 2, Pool2DOptions.GlobalAverage with { Activation = Activation.Relu }, [-4, 1, 1, 1], [0]);
        AssertPool(2, 2, Pool2DOptions.GlobalMax with { Activation = Activation.Relu6 }, [-4, 1, 9, 1], [6], expectedSecondChannel: [6]);
    }

    [Fact]
    public void A_NaN_passes_through_the_pooled_activation()
    {
        // The first window holds a NaN, the second only negatives: NaN stays NaN, the rest is activated.
        float[] input = [float.NaN, -1, -2, -3];
        foreach (PoolKind kind in Enum.GetValues<PoolKind>())
        {
            var relu = new Pool2DOptions(kind, 1, 2) { Activation = Activation.Relu };
            AssertPool(1, 4, relu, input, [float.NaN, 0]);
            AssertPool(1, 4, relu with { Activation = Activation.Clamp(0.5f, 1) }, input, [float.NaN, 0.5f], expectedSecondChannel: [float.NaN, 0.5f]);
        }
    }

    [Fact]
    public void Global_pooling_reduces_each_channel_to_one_value()
    {
        float[] input = [1, 2, 3, 4, 5, 6];
        AssertPool(2, 3, Pool2DOptions.GlobalAverage, input, [21f / 6]);
        AssertPool(2, 3, Pool2DOptions.GlobalMax, input, [6]);
    }

    /// <summary>
    /// Runs a one-channel example as a 2-channel tensor whose second channel is the first times 2
    /// (so its expected values are exactly twice the first's, unless a clamp says otherwise in
    /// <paramref name="expectedSecondChannel"/>), in every layout, through the reference, the one-shot
    /// call and a plan.
    /// </summary>
    private static void AssertPool(int height, int width, Pool2DOptions options, float[] channel, float[] expectedChannel,
        float[]? expectedSecondChannel = null)
    {
        var shape = new TensorShape(1, 2, height, width);
        float[] input = [.. channel, .. channel.Select(v => 2 * v)];
        float[] expected = [.. expectedChannel, .. expectedSecondChannel ?? expectedChannel.Select(v => 2 * v)];
        var geometry = Pool2DGeometry.Create(shape, options);
        Assert.Equal(expected.Length, geometry.OutputLength);

        foreach (TensorLayout layout in Enum.GetValues<TensorLayout>())
        {
            Pool2DOptions variant = options with { Layout = layout };
            // Blocked padding lanes of the input hold NaN, which must neither be read nor reach the output's zeros.
            float[] data = Layouts.FromNchw(input, shape, layout, float.NaN);
            float[] want = Layouts.FromNchw(expected, geometry.OutputShape, layout);

            float[] reference = new float[want.Length];
            ReferencePooling.Pool2D(shape, variant, data, reference);
            AssertClose(want, reference, options.Kind, $"reference {layout}");

            float[] oneShot = new float[want.Length];
            Pooling.Pool2D(shape, variant, data, oneShot);
            AssertClose(want, oneShot, options.Kind, $"one-shot {layout}");

            using var plan = new Pool2DPlan(shape, variant);
            float[] planned = new float[want.Length];
            plan.Run(data, planned);
            AssertClose(want, planned, options.Kind, $"plan {plan.KernelName} {layout}");
        }
    }

    /// <summary>Exact for max; averages may divide or multiply by a reciprocal, so allow an ulp or two.</summary>
    private static void AssertClose(float[] expected, float[] actual, PoolKind kind, string what)
    {
        float relative = kind == PoolKind.Max ? 0f : 1e-6f;
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = float.IsNaN(expected[i])
                ? float.IsNaN(actual[i])
                : Math.Abs(actual[i] - expected[i]) <= relative * Math.Abs(expected[i]);
            Assert.True(same, $"{what}: element {i} expected {expected[i]:R}, actual {actual[i]:R}");
        }
    }
}
