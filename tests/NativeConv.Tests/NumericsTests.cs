namespace NativeConv.Tests;

/// <summary>
/// IEEE special values in inputs and weights, on every ISA path the machine has: results must follow the
/// reference's IEEE behaviour (PyTorch's): NaN propagates through sums, ReLU and clamp; 0 × Inf is NaN; +Inf meeting
/// -Inf is NaN; a window holding NaN max-pools to NaN; subnormals are not flushed to zero; products that overflow
/// float become infinities. Every case is arranged so that float and double agree exactly on the class of each
/// result (no finite partial sum can overflow float), which makes the comparison exact where it is not finite.
/// </summary>
[Collection(IsaCollection.Name)]
public sealed class NumericsTests
{
    private const float Subnormal = 1e-40f;

    public static TheoryData<Isa, TensorLayout> Paths()
    {
        var data = new TheoryData<Isa, TensorLayout>();
        foreach (Isa isa in Enum.GetValues<Isa>())
        {
            foreach (TensorLayout layout in Enum.GetValues<TensorLayout>())
            {
                data.Add(isa, layout);
            }
        }

        return data;
    }

    // Large enough for every SIMD kernel's main loop and its tails (17 columns, 19 output channels).
    private static readonly TensorShape Shape = new(1, 6, 9, 17);

    private static Conv2DOptions Dense(TensorLayout layout, Activation activation) =>
        new(19, 3) { Padding = 1, Layout = layout, Activation = activation };

    private static Conv2DOptions Depthwise(TensorLayout layout, Activation activation) =>
        new(12, 3) { Padding = 1, Groups = 6, Layout = layout, Activation = activation };

    [Theory]
    [MemberData(nameof(Paths))]
    public void NaN_and_infinities_in_the_input_propagate_as_in_the_reference(Isa isa, TensorLayout layout)
    {
        SkipUnsupported(isa);
        using var cap = new IsaCap(isa);
        foreach (Activation activation in (Activation[])[Activation.None, Activation.Relu, Activation.Clamp(-1f, 2f)])
        {
            foreach (Conv2DOptions options in (Conv2DOptions[])[Dense(layout, activation), Depthwise(layout, activation)])
            {
                var geometry = Conv2DGeometry.Create(Shape, options);
                float[] input = Positive(geometry.InputLength, 1);
                float[] filter = Positive(geometry.FilterLength, 2);
                Place(input, Shape, layout, channel: 1, row: 2, column: 3, float.NaN);
                Place(input, Shape, layout, channel: 2, row: 6, column: 10, float.PositiveInfinity);
                Place(input, Shape, layout, channel: 4, row: 6, column: 15, float.NegativeInfinity);
                // +Inf and -Inf two columns apart: outputs whose window sees both are NaN.
                Place(input, Shape, layout, channel: 5, row: 0, column: 0, float.PositiveInfinity);
                Place(input, Shape, layout, channel: 5, row: 0, column: 2, float.NegativeInfinity);
                AssertConvMatchesReference(options, input, filter, Positive(geometry.BiasLength, 3));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Special_weights_propagate_as_in_the_reference(Isa isa, TensorLayout layout)
    {
        SkipUnsupported(isa);
        using var cap = new IsaCap(isa);
        foreach (Conv2DOptions options in (Conv2DOptions[])[Dense(layout, Activation.Relu), Depthwise(layout, Activation.None)])
        {
            var geometry = Conv2DGeometry.Create(Shape, options);
            float[] input = Positive(geometry.InputLength, 4);
            float[] filter = Positive(geometry.FilterLength, 5);
            // On centre taps, which never fall on padding (Non_finite_weights_on_padded_taps_agree_across_ISAs covers those).
            int perOutput = geometry.FilterLength / options.OutChannels;
            filter[CentreTap(0, perOutput)] = float.NaN;
            filter[CentreTap(options.OutChannels / 3, perOutput)] = float.PositiveInfinity;
            filter[CentreTap(options.OutChannels / 2, perOutput)] = float.NegativeInfinity;
            filter[CentreTap(options.OutChannels - 1, perOutput)] = float.PositiveInfinity;
            // A zero input under an infinite weight gives 0 × Inf = NaN, not 0.
            Array.Fill(input, 0f, 0, geometry.InputLength / 4);
            AssertConvMatchesReference(options, input, filter, []);
        }
    }

    /// <summary>
    /// A NaN weight on a tap that lies on zero padding for some outputs: padding is a real zero (docs/semantics.md), so
    /// 0 × NaN makes every output of that channel NaN, on every ISA alike. (An earlier build skipped padded taps in the
    /// scalar kernel but not in the AVX2/AVX-512 NCHW plane kernels.)
    /// </summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void Non_finite_weights_on_padded_taps_agree_across_ISAs(Isa isa, TensorLayout layout)
    {
        SkipUnsupported(isa);
        Conv2DOptions options = Dense(layout, Activation.None);
        var geometry = Conv2DGeometry.Create(Shape, options);
        float[] input = Positive(geometry.InputLength, 7);
        float[] filter = Positive(geometry.FilterLength, 8);
        filter[0] = float.NaN; // output channel 0, input channel 0, top-left tap: on padding for the first row and column
        float[] scalar;
        using (new IsaCap(Isa.Scalar))
        {
            scalar = Run(options, input, filter, []);
        }

        using var cap = new IsaCap(isa);
        float[] output = Run(options, input, filter, []);
        AssertSameClasses(scalar, output);
        AssertSameClasses(Reference(options, input, filter, []), output);
    }

    private static int CentreTap(int outChannel, int perOutput) =>
        (outChannel * perOutput) + 4; // OIHW, 3 x 3 kernel: r = 1, s = 1 of input channel 0

    [Theory]
    [MemberData(nameof(Paths))]
    public void Subnormals_are_neither_flushed_nor_treated_as_zero(Isa isa, TensorLayout layout)
    {
        SkipUnsupported(isa);
        using var cap = new IsaCap(isa);
        Conv2DOptions options = Dense(layout, Activation.None);
        var geometry = Conv2DGeometry.Create(Shape, options);

        // Subnormal inputs with weights of 1: the sums are subnormal too, exactly representable.
        float[] input = new float[geometry.InputLength];
        Array.Fill(input, Subnormal);
        float[] ones = new float[geometry.FilterLength];
        Array.Fill(ones, 1f);
        float[] output = Real(Run(options, input, ones, []), options);
        Assert.All(output, v => Assert.True(v > 0 && float.IsSubnormal(v), $"{v:R} is not a positive subnormal"));
        AssertConvMatchesReference(options, input, ones, []);

        // Subnormal inputs times 1e30: a DAZ unit would read the inputs as zero and give 0.
        float[] large = new float[geometry.FilterLength];
        Array.Fill(large, 1e30f);
        AssertConvMatchesReference(options, input, large, []);
        Assert.All(Real(Run(options, input, large, []), options), v => Assert.True(v > 1e-11f, $"{v:R}: subnormal input read as zero"));

        // Normal inputs whose products are subnormal: an FTZ unit would give 0.
        float[] tiny = new float[geometry.InputLength];
        Array.Fill(tiny, 1e-20f);
        float[] small = new float[geometry.FilterLength];
        Array.Fill(small, 1e-20f);
        Assert.All(Real(Run(options, tiny, small, []), options), v => Assert.True(v > 0, $"{v:R}: subnormal product flushed to zero"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Huge_magnitudes_overflow_to_infinity_as_in_the_reference(Isa isa, TensorLayout layout)
    {
        SkipUnsupported(isa);
        using var cap = new IsaCap(isa);
        Conv2DOptions options = Dense(layout, Activation.None) with { OutChannels = 2 };
        var geometry = Conv2DGeometry.Create(Shape, options);
        float[] input = new float[geometry.InputLength];
        Array.Fill(input, 3e38f);
        float[] filter = new float[geometry.FilterLength];
        filter.AsSpan(0, geometry.FilterLength / 2).Fill(2f); // channel 0: every product overflows to +Inf
        filter.AsSpan(geometry.FilterLength / 2).Fill(-1e-38f); // channel 1: finite, about -3 per tap
        float[] output = Run(options, input, filter, []);
        float[] expected = Reference(options, input, filter, []);
        AssertSameClasses(expected, output);
        Assert.Contains(float.PositiveInfinity, output);
        Assert.Contains(output, float.IsFinite);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Max_pooling_returns_NaN_for_any_window_holding_NaN(Isa isa, TensorLayout layout)
    {
        SkipUnsupported(isa);
        using var cap = new IsaCap(isa);
        var shape = new TensorShape(2, 19, 9, 17);
        foreach (Pool2DOptions options in (Pool2DOptions[])[
            new(PoolKind.Max, 3) { Stride = 2, Padding = 1, Layout = layout },
            new(PoolKind.Max, 2) { Layout = layout, CeilMode = true, Stride = 2 },
            Pool2DOptions.GlobalMax with { Layout = layout },
            new(PoolKind.Average, 3) { Stride = 1, Padding = 1, Layout = layout },
            Pool2DOptions.GlobalAverage with { Layout = layout }])
        {
            var geometry = Pool2DGeometry.Create(shape, options);
            float[] input = TestData.Pattern(geometry.InputLength, 6);
            Place(input, shape, layout, channel: 0, row: 0, column: 0, float.NaN);
            Place(input, shape, layout, channel: 3, row: 4, column: 9, float.NaN);
            Place(input, shape, layout, channel: 7, row: 8, column: 16, float.PositiveInfinity);
            Place(input, shape, layout, channel: 8, row: 2, column: 2, float.PositiveInfinity);
            Place(input, shape, layout, channel: 8, row: 2, column: 3, float.NegativeInfinity);
            Place(input, shape, layout, channel: 9, row: 5, column: 5, Subnormal);
            // A window of nothing but -Inf max-pools to -Inf (no padding tap may win).
            for (int r = 0; r < 9; r++)
            {
                for (int c = 0; c < 17; c++)
                {
                    Place(input, shape, layout, channel: 18, row: r, column: c, float.NegativeInfinity);
                }
            }

            float[] output = new float[geometry.OutputLength];
            Pooling.Pool2D(shape, options, input, output, 1);
            float[] expected = new float[geometry.OutputLength];
            ReferencePooling.Pool2D(shape, options, input, expected);
            if (options.Kind == PoolKind.Max)
            {
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(
                        float.IsNaN(expected[i]) ? float.IsNaN(output[i]) : expected[i] == output[i],
                        $"{options}: element {i} is {output[i]:R}, expected {expected[i]:R}");
                }
            }
            else
            {
                // Averages of mixed signs can cancel: the tolerance scales with the average of |x|.
                float[] bound = new float[geometry.OutputLength];
                ReferencePooling.Pool2D(shape, options, Tolerance.Abs(input), bound);
                AssertSameClasses(expected, output, bound);
            }
        }
    }

    private static void SkipUnsupported(Isa isa)
    {
        if (!IsaCap.IsSupported(isa))
        {
            Assert.Skip($"{isa} is not supported on this machine");
        }
    }

    /// <summary>Values in [0.25, 2.25): positive, so no finite sum cancels and no class is ambiguous.</summary>
    private static float[] Positive(int length, int salt)
    {
        float[] values = TestData.Pattern(length, salt);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i] / 2) + 1.25f;
        }

        return values;
    }

    private static void Place(float[] tensor, TensorShape shape, TensorLayout layout, int channel, int row, int column, float value)
    {
        for (int n = 0; n < shape.Batch; n++)
        {
            tensor[Layouts.Index(layout, shape, n, channel, row, column)] = value;
        }
    }

    /// <summary>The real elements of a convolution output, without blocked padding lanes.</summary>
    private static float[] Real(float[] output, Conv2DOptions options) =>
        Layouts.ToNchw(output, Conv2DGeometry.Create(Shape, options).OutputShape, options.Layout);

    private static float[] Run(Conv2DOptions options, float[] input, float[] filter, float[] bias)
    {
        var geometry = Conv2DGeometry.Create(Shape, options);
        float[] output = new float[geometry.OutputLength];
        using var plan = new Conv2DPlan(Shape, options, filter, bias);
        plan.Run(input, output, 1);
        return output;
    }

    private static float[] Reference(Conv2DOptions options, float[] input, float[] filter, float[] bias)
    {
        float[] expected = new float[Conv2DGeometry.Create(Shape, options).OutputLength];
        ReferenceConvolution.Conv2D(Shape, options, input, filter, bias, expected);
        return expected;
    }

    private static void AssertConvMatchesReference(Conv2DOptions options, float[] input, float[] filter, float[] bias)
    {
        float[] output = Run(options, input, filter, bias);
        AssertSameClasses(Reference(options, input, filter, bias), output);
    }

    /// <summary>
    /// NaN where the reference has NaN, the same infinity, and finite values within 1e-5 of <paramref name="bound"/>
    /// (default |expected|, right for sums of same-signed terms).
    /// </summary>
    private static void AssertSameClasses(float[] expected, float[] actual, float[]? bound = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            double scale = bound is null ? Math.Abs(e) : bound[i];
            bool ok = float.IsNaN(e) ? float.IsNaN(a)
                : float.IsInfinity(e) ? e == a
                : float.IsFinite(a) && Math.Abs((double)a - e) <= (1e-5 * scale) + 1e-44;
            Assert.True(ok, $"element {i}: expected {e:R}, actual {a:R}");
        }
    }
}
