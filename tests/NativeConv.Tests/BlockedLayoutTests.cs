namespace NativeConv.Tests;

/// <summary>
/// <see cref="TensorLayout.Nchw16c"/> in the native library: every path, on every ISA, writes zeros into the output's
/// padding lanes, reads none of the input's, and matches the reference on the real lanes. (The random parity tests
/// cover the layout too; these pin the cases where a padding lane could most easily leak.)
/// </summary>
[Collection(IsaCollection.Name)]
public sealed class BlockedLayoutTests
{
    /// <summary>
    /// Channel counts that leave padding lanes (5, 17, 20, 34, 45 of 16-lane blocks), grouped and depthwise, with a bias,
    /// accumulation and a clamp whose lower bound is above zero, which a kernel applying it to the padding lanes would
    /// write there. The input's padding lanes and the whole output hold NaN before the call.
    /// </summary>
    [Theory]
    [MemberData(nameof(IsaCap.All), MemberType = typeof(IsaCap))]
    public void Convolution_writes_zero_padding_lanes_and_never_reads_the_inputs(Isa isa)
    {
        Assert.SkipUnless(IsaCap.IsSupported(isa), $"this CPU cannot run {isa}");
        (TensorShape Shape, Conv2DOptions Options)[] requests =
        [
            (new TensorShape(2, 5, 6, 7), new Conv2DOptions(21, 3) { Padding = 1 }),
            (new TensorShape(1, 17, 5, 9), new Conv2DOptions(20, 1) { Activation = Activation.Clamp(0.5f, 2f) }),
            (new TensorShape(1, 34, 7, 6), new Conv2DOptions(18, 3) { Groups = 2, Stride = 2, Padding = 1 }),
            (new TensorShape(2, 20, 6, 5), new Conv2DOptions(40, 3) { Groups = 20, Padding = Padding.Same, Activation = Activation.Relu }),
            (new TensorShape(1, 45, 4, 4), new Conv2DOptions(45, 3) { Groups = 45, Dilation = 2, Padding = 2, Accumulate = true }),
            (new TensorShape(1, 16, 5, 5), new Conv2DOptions(17, 2) { Accumulate = true, Activation = Activation.Clamp(0.25f, 1f) }),
        ];

        var stats = new ParityStats();
        using (new IsaCap(isa))
        {
            int salt = 0;
            foreach ((TensorShape shape, Conv2DOptions request) in requests)
            {
                Conv2DOptions options = request with { Layout = TensorLayout.Nchw16c };
                var geometry = Conv2DGeometry.Create(shape, options);
                salt++;
                var c = new ConvCase(
                    shape,
                    options,
                    geometry.OutputShape,
                    Layouts.FillPadding(TestData.Pattern(geometry.InputLength, salt), shape, options.Layout, float.NaN),
                    TestData.Pattern(geometry.FilterLength, salt + 10),
                    TestData.Pattern(geometry.BiasLength, salt + 20),
                    Layouts.FillPadding(TestData.Pattern(geometry.OutputLength, salt + 30), geometry.OutputShape, options.Layout, float.NaN),
                    salt % 3 + 1);
                ConvParity.Check(c, stats);

                float[] output = new float[geometry.OutputLength];
                Array.Fill(output, float.NaN);
                if (!options.Accumulate)
                {
                    Convolution.Conv2D(shape, options, c.Input, c.Filter, c.Bias, output, c.MaxThreads);
                    AssertZeroPadding(output, geometry.OutputShape, options.Layout, () => $"one-shot {isa}, {c}");
                }
            }
        }

        stats.Report($"Nchw16c padding lanes, ISA capped at {isa}");
        Assert.InRange(stats.WorstRelativeError, 0, Tolerance.Relative);
    }

    [Theory]
    [MemberData(nameof(IsaCap.All), MemberType = typeof(IsaCap))]
    public void Pooling_writes_zero_padding_lanes_and_never_reads_the_inputs(Isa isa)
    {
        Assert.SkipUnless(IsaCap.IsSupported(isa), $"this CPU cannot run {isa}");
        var shape = new TensorShape(2, 19, 9, 8);
        Pool2DOptions[] requests =
        [
            new(PoolKind.Max, 3) { Stride = 2, Padding = 1, CeilMode = true },
            new(PoolKind.Max, 2) { Stride = 1, Dilation = 2 },
            new(PoolKind.Average, 3) { Stride = 2, Padding = 1, CountIncludePad = false },
            Pool2DOptions.GlobalMax,
            Pool2DOptions.GlobalAverage,
        ];

        var stats = new ParityStats();
        using (new IsaCap(isa))
        {
            foreach (Pool2DOptions request in requests)
            {
                Pool2DOptions options = request with { Layout = TensorLayout.Nchw16c };
                var geometry = Pool2DGeometry.Create(shape, options);
                float[] input = Layouts.FillPadding(TestData.Pattern(geometry.InputLength, 7), shape, options.Layout, float.NaN);
                PoolParity.Check(new PoolCase(shape, options, geometry.OutputShape, input, 2), stats);

                float[] output = new float[geometry.OutputLength];
                Array.Fill(output, float.NaN);
                using var plan = new Pool2DPlan(shape, options);
                plan.Run(input, output, 1);
                AssertZeroPadding(output, geometry.OutputShape, options.Layout, () => $"plan {plan.KernelName}, {options}");
            }
        }

        stats.Report($"Nchw16c pooling padding lanes, ISA capped at {isa}");
        Assert.InRange(stats.WorstRelativeError, 0, Tolerance.Relative);
    }

    /// <summary>
    /// A 1x1 image's blocks are adjacent (its plane is one pixel) while a padded output's are a plane apart, so a
    /// kernel that takes the input's contiguity for the output's writes channels 16 and up into the wrong pixel.
    /// </summary>
    [Theory]
    [MemberData(nameof(IsaCap.All), MemberType = typeof(IsaCap))]
    public void One_pixel_inputs_with_larger_outputs_keep_every_channel_in_its_block(Isa isa)
    {
        Assert.SkipUnless(IsaCap.IsSupported(isa), $"this CPU cannot run {isa}");
        var stats = new ParityStats();
        using (new IsaCap(isa))
        {
            int salt = 40;
            foreach (int channels in (int[])[17, 33])
            {
                var shape = new TensorShape(2, channels, 1, 1);
                foreach (Conv2DOptions request in (Conv2DOptions[])[
                    new(channels + 3, 2) { Padding = 1 },
                    new(channels, 1) { Groups = channels, Padding = Padding.Of(0, 2, 1, 0) },
                    new(2 * channels, 3) { Groups = channels, Padding = 2 }])
                {
                    Conv2DOptions options = request with { Layout = TensorLayout.Nchw16c };
                    var geometry = Conv2DGeometry.Create(shape, options);
                    salt++;
                    ConvParity.Check(
                        new ConvCase(
                            shape,
                            options,
                            geometry.OutputShape,
                            Layouts.FillPadding(TestData.Pattern(geometry.InputLength, salt), shape, options.Layout, float.NaN),
                            TestData.Pattern(geometry.FilterLength, salt + 10),
                            TestData.Pattern(geometry.BiasLength, salt + 20),
                            Layouts.FillPadding(TestData.Pattern(geometry.OutputLength, salt + 30), geometry.OutputShape, options.Layout, float.NaN),
                            1),
                        stats);
                }

                foreach (PoolKind kind in Enum.GetValues<PoolKind>())
                {
                    var options = new Pool2DOptions(kind, 2) { Stride = 1, Padding = 1, Layout = TensorLayout.Nchw16c };
                    var geometry = Pool2DGeometry.Create(shape, options);
                    float[] input = Layouts.FillPadding(TestData.Pattern(geometry.InputLength, salt++), shape, options.Layout, float.NaN);
                    PoolParity.Check(new PoolCase(shape, options, geometry.OutputShape, input, 1), stats);
                }
            }
        }

        stats.Report($"Nchw16c one-pixel inputs, ISA capped at {isa}");
        Assert.InRange(stats.WorstRelativeError, 0, Tolerance.Relative);
    }

    internal static void AssertZeroPadding(float[] tensor, TensorShape shape, TensorLayout layout, Func<string> describe)
    {
        foreach (int i in Layouts.PaddingLanes(shape, layout))
        {
            if (tensor[i] != 0f)
            {
                Assert.Fail($"padding lane {i} holds {tensor[i]:R} instead of 0 ({describe()})");
            }
        }
    }
}
