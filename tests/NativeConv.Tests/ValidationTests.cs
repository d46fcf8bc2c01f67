namespace NativeConv.Tests;

/// <summary>
/// Every validation rule of the managed API: the exact exception type, its ParamName and a message
/// that names the offending property or rule. All of these are thrown before any native call.
/// </summary>
public sealed class ValidationTests
{
    private static readonly TensorShape Shape = new(1, 4, 8, 8);
    private static readonly Conv2DOptions Conv = new(6, 3) { Padding = 1, Groups = 2 };
    private static readonly Pool2DOptions Pool = new(PoolKind.Max, 3) { Stride = 2, Padding = 1 };

    [Theory]
    [InlineData(-1, 4, 8, 8, "Batch")]
    [InlineData(1, 0, 8, 8, "Channels")]
    [InlineData(1, -4, 8, 8, "Channels")]
    [InlineData(1, 4, 0, 8, "Height")]
    [InlineData(1, 4, 8, -2, "Width")]
    public void Input_shape_dimensions_must_be_positive(int batch, int channels, int height, int width, string property)
    {
        var shape = new TensorShape(batch, channels, height, width);
        AssertRejected<ArgumentOutOfRangeException>(() => Conv2DGeometry.Create(shape, Conv with { Groups = 1 }), "inputShape", property);
        AssertRejected<ArgumentOutOfRangeException>(() => Pool2DGeometry.Create(shape, Pool), "inputShape", property);
    }

    [Theory]
    [InlineData("OutChannels", 0)]
    [InlineData("OutChannels", -6)]
    [InlineData("KernelHeight", 0)]
    [InlineData("KernelWidth", -1)]
    [InlineData("StrideHeight", 0)]
    [InlineData("StrideWidth", -3)]
    [InlineData("DilationHeight", 0)]
    [InlineData("DilationWidth", int.MinValue)]
    [InlineData("Groups", 0)]
    [InlineData("Groups", -2)]
    public void Conv_sizes_must_be_positive(string property, int value)
    {
        Conv2DOptions options = property switch
        {
            "OutChannels" => Conv with { OutChannels = value },
            "KernelHeight" => Conv with { KernelHeight = value },
            "KernelWidth" => Conv with { KernelWidth = value },
            "StrideHeight" => Conv with { StrideHeight = value },
            "StrideWidth" => Conv with { StrideWidth = value },
            "DilationHeight" => Conv with { DilationHeight = value },
            "DilationWidth" => Conv with { DilationWidth = value },
            "Groups" => Conv with { Groups = value },
            _ => throw new ArgumentOutOfRangeException(nameof(property)),
        };
        AssertRejected<ArgumentOutOfRangeException>(() => Conv2DGeometry.Create(Shape, options), "options", property);
    }

    [Theory]
    [InlineData("KernelHeight", 0)]
    [InlineData("KernelWidth", -2)]
    [InlineData("StrideHeight", 0)]
    [InlineData("StrideWidth", 0)]
    [InlineData("DilationHeight", 0)]
    [InlineData("DilationWidth", -1)]
    public void Pool_sizes_must_be_positive(string property, int value)
    {
        Pool2DOptions options = property switch
        {
            "KernelHeight" => Pool with { KernelHeight = value },
            "KernelWidth" => Pool with { KernelWidth = value },
            "StrideHeight" => Pool with { StrideHeight = value },
            "StrideWidth" => Pool with { StrideWidth = value },
            "DilationHeight" => Pool with { DilationHeight = value },
            "DilationWidth" => Pool with { DilationWidth = value },
            _ => throw new ArgumentOutOfRangeException(nameof(property)),
        };
        AssertRejected<ArgumentOutOfRangeException>(() => Pool2DGeometry.Create(Shape, options), "options", property);
    }

    [Fact]
    public void Groups_must_divide_the_input_channels()
    {
        AssertRejected<ArgumentException>(
            () => Conv2DGeometry.Create(new TensorShape(1, 8, 5, 5), new Conv2DOptions(6, 3) { Groups = 3 }),
            "options",
            "Groups (3) must divide Channels (8)");
    }

    [Fact]
    public void Groups_must_divide_the_output_channels()
    {
        AssertRejected<ArgumentException>(
            () => Conv2DGeometry.Create(new TensorShape(1, 6, 5, 5), new Conv2DOptions(4, 3) { Groups = 3 }),
            "options",
            "Groups (3) must divide OutChannels (4)");
    }

    [Theory]
    [InlineData(11, 3, 1)] // 11 rows > 8 + 1 + 1 padded rows
    [InlineData(3, 3, 5)] // dilated span (3-1)*5+1 = 11 > 10
    [InlineData(3, 12, 1)] // along the width
    public void Conv_kernel_must_fit_in_the_padded_input(int kernelHeight, int kernelWidth, int dilation)
    {
        var options = new Conv2DOptions(6, kernelHeight, kernelWidth) { Padding = 1, Dilation = dilation };
        AssertRejected<ArgumentException>(() => Conv2DGeometry.Create(Shape, options), "options", "larger than the padded input");
    }

    [Fact]
    public void Pool_window_must_fit_in_the_padded_input()
    {
        AssertRejected<ArgumentException>(
            () => Pool2DGeometry.Create(new TensorShape(1, 1, 2, 8), new Pool2DOptions(PoolKind.Max, 3) { Stride = 1 }),
            "options",
            "larger than the padded input");
    }

    [Theory]
    [InlineData(0, "Top")]
    [InlineData(1, "Bottom")]
    [InlineData(2, "Left")]
    [InlineData(3, "Right")]
    public void Explicit_padding_must_not_be_negative(int side, string name)
    {
        Padding padding = Padding.Of(side == 0 ? -1 : 0, side == 1 ? -1 : 0, side == 2 ? -1 : 0, side == 3 ? -1 : 0);
        AssertRejected<ArgumentOutOfRangeException>(() => Conv2DGeometry.Create(Shape, Conv with { Padding = padding }), "options", $"Padding.Explicit.{name}");
        AssertRejected<ArgumentOutOfRangeException>(() => Pool2DGeometry.Create(Shape, Pool with { Padding = padding }), "options", $"Padding.Explicit.{name}");
    }

    [Theory]
    [InlineData(2, 0, 0, 0)]
    [InlineData(0, 0, 0, 2)]
    public void Pool_padding_must_be_at_most_half_the_kernel(int top, int bottom, int left, int right)
    {
        // Kernel 3: at most 3 / 2 = 1 pixel of padding per side, as PyTorch requires.
        AssertRejected<ArgumentOutOfRangeException>(
            () => Pool2DGeometry.Create(Shape, Pool with { Padding = Padding.Of(top, bottom, left, right) }),
            "options",
            "at most half the kernel");
    }

    [Fact]
    public void Average_pooling_has_no_dilation()
    {
        var options = new Pool2DOptions(PoolKind.Average, 2) { DilationWidth = 2 };
        AssertRejected<ArgumentException>(() => Pool2DGeometry.Create(Shape, options), "options", "DilationWidth (2) must be 1");
    }

    [Fact]
    public void Clamp_bounds_must_be_ordered()
    {
        var options = Conv with { Activation = new Activation(ActivationKind.Clamp, 2f, 1f) };
        AssertRejected<ArgumentException>(() => Conv2DGeometry.Create(Shape, options), "options", "Activation.Min (2) must not exceed Activation.Max (1)");
        AssertRejected<ArgumentOutOfRangeException>(() => Activation.Clamp(2f, 1f), "min", "");

        // Pooling takes the same activation and checks it the same way, before any native call.
        var pool = Pool with { Activation = options.Activation };
        AssertRejected<ArgumentException>(() => Pool2DGeometry.Create(Shape, pool), "options", "Activation.Min (2) must not exceed Activation.Max (1)");
        AssertRejected<ArgumentException>(() => new Pool2DPlan(Shape, pool), "options", "must not exceed");
        AssertRejected<ArgumentException>(
            () => Pooling.Pool2D(Shape, pool, new float[Shape.ElementCountAsInt()], new float[Shape.ElementCountAsInt()]), "options", "must not exceed");
        AssertRejected<ArgumentException>(
            () => Pool2DGeometry.Create(Shape, Pool2DOptions.GlobalMax with { Activation = options.Activation }), "options", "must not exceed");
    }

    [Theory]
    [InlineData(float.NaN, 1f, "min")]
    [InlineData(0f, float.NaN, "max")]
    public void Clamp_bounds_must_not_be_NaN(float min, float max, string parameter)
    {
        var options = Conv with { Activation = new Activation(ActivationKind.Clamp, min, max) };
        AssertRejected<ArgumentException>(() => Conv2DGeometry.Create(Shape, options), "options", "must not be NaN");
        AssertRejected<ArgumentException>(() => Activation.Clamp(min, max), parameter, "NaN");
        AssertRejected<ArgumentException>(() => Pool2DGeometry.Create(Shape, Pool with { Activation = options.Activation }), "options", "must not be NaN");
        AssertRejected<ArgumentException>(() => new Pool2DPlan(Shape, Pool with { Activation = options.Activation }), "options", "must not be NaN");
    }

    [Fact]
    public void Enum_values_must_be_defined()
    {
        AssertRejected<ArgumentOutOfRangeException>(
            () => Conv2DGeometry.Create(Shape, Conv with { Layout = (TensorLayout)3 }), "options", "Layout");
        AssertRejected<ArgumentOutOfRangeException>(
            () => Conv2DGeometry.Create(Shape, Conv with { FilterLayout = (FilterLayout)(-1) }), "options", "FilterLayout");
        AssertRejected<ArgumentOutOfRangeException>(
            () => Conv2DGeometry.Create(Shape, Conv with { Activation = new Activation((ActivationKind)3, 0, 1) }), "options", "Activation.Kind");
        AssertRejected<ArgumentOutOfRangeException>(
            () => Pool2DGeometry.Create(Shape, Pool with { Kind = (PoolKind)7 }), "options", "Kind");
        AssertRejected<ArgumentOutOfRangeException>(
            () => Pool2DGeometry.Create(Shape, Pool with { Layout = (TensorLayout)(-3) }), "options", "Layout");
        AssertRejected<ArgumentOutOfRangeException>(
            () => Pool2DGeometry.Create(Shape, Pool with { Activation = new Activation((ActivationKind)3, 0, 1) }), "options", "Activation.Kind");
    }

    [Fact]
    public void Element_counts_must_fit_in_an_int()
    {
        // 1 x 65536 x 65536 x 2 = 2^33 input elements.
        var huge = new TensorShape(1, 2, 65536, 65536);
        AssertRejected<ArgumentException>(() => Conv2DGeometry.Create(huge, new Conv2DOptions(1, 1)), "inputShape", "overflows");
        AssertRejected<ArgumentException>(() => Pool2DGeometry.Create(huge, new Pool2DOptions(PoolKind.Max, 1)), "inputShape", "overflows");

        // 1.6e9 input elements fit, twice as many output elements do not.
        AssertRejected<ArgumentException>(
            () => Conv2DGeometry.Create(new TensorShape(1, 1, 40000, 40000), new Conv2DOptions(2, 1)), "options", "overflows");

        // 65536 x 65536 x 1 x 1 weights.
        AssertRejected<ArgumentException>(
            () => Conv2DGeometry.Create(new TensorShape(1, 65536, 1, 1), new Conv2DOptions(65536, 1)), "options", "overflows");

        // The one-shot call reports the same before touching any buffer.
        AssertRejected<ArgumentException>(
            () => Convolution.Conv2D(huge, new Conv2DOptions(1, 1), [], [1f], [], []), "inputShape", "overflows");
    }

    [Fact]
    public void The_zero_padded_input_must_fit_native_byte_sizes()
    {
        // One channel of (2^30 + 1)^2 padded pixels is just under 2^61 floats, the most whose byte size fits int64_t;
        // two channels are just over. The native side draws the line in the same place: one channel runs there.
        const int Pad = 1 << 30;
        var conv = new Conv2DOptions(1, 1) { StrideHeight = int.MaxValue, StrideWidth = int.MaxValue, Padding = Padding.Of(Pad, 0, Pad, 0) };
        var one = new TensorShape(1, 1, 1, 1);
        var stats = new ParityStats();
        ConvParity.Check(new ConvCase(one, conv, one, [2f], [3f], [5f], [7f], 1), stats);
        AssertRejected<ArgumentException>(() => Conv2DGeometry.Create(new TensorShape(1, 2, 1, 1), conv), "options", "zero-padded input");

        // What random requests found in CI: 'same' padding over a dilated span of 2^31 pads each axis by about 2^31.
        var same = new Conv2DOptions(1, 2) { StrideHeight = 4, StrideWidth = 4, DilationHeight = int.MaxValue, DilationWidth = int.MaxValue, Padding = Padding.Same };
        var small = new TensorShape(1, 2, 4, 5);
        AssertRejected<ArgumentException>(() => Conv2DGeometry.Create(small, same), "options", "zero-padded input");
        AssertRejected<ArgumentException>(() => Convolution.Conv2D(small, same, new float[40], new float[8], [], new float[1]), "options", "zero-padded input");

        // A window of 2^30 + 1 centred on a single pixel: its maximum is that pixel.
        var pool = new Pool2DOptions(PoolKind.Max, Pad + 1) { Padding = Pad / 2 };
        float[] pooled = [0f];
        Pooling.Pool2D(one, pool, [4f], pooled);
        Assert.Equal(4f, pooled[0]);

        AssertRejected<ArgumentException>(() => Pool2DGeometry.Create(new TensorShape(1, 2, 1, 1), pool), "options", "zero-padded input");
        AssertRejected<ArgumentException>(() => new Pool2DPlan(new TensorShape(1, 2, 1, 1), pool), "options", "zero-padded input");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Conv_buffers_must_have_the_exact_length(int delta)
    {
        var geometry = Conv2DGeometry.Create(Shape, Conv);
        float[] input = new float[geometry.InputLength];
        float[] filter = new float[geometry.FilterLength];
        float[] bias = new float[geometry.BiasLength];
        float[] output = new float[geometry.OutputLength];

        AssertLength("input", geometry.InputLength, delta, wrong => Convolution.Conv2D(Shape, Conv, wrong, filter, bias, output));
        AssertLength("filter", geometry.FilterLength, delta, wrong => Convolution.Conv2D(Shape, Conv, input, wrong, bias, output));
        AssertLength("bias", geometry.BiasLength, delta, wrong => Convolution.Conv2D(Shape, Conv, input, filter, wrong, output));
        AssertLength("output", geometry.OutputLength, delta, wrong => Convolution.Conv2D(Shape, Conv, input, filter, bias, wrong));

        AssertLength("filter", geometry.FilterLength, delta, wrong => new Conv2DPlan(Shape, Conv, wrong, bias).Dispose());
        AssertLength("bias", geometry.BiasLength, delta, wrong => new Conv2DPlan(Shape, Conv, filter, wrong).Dispose());
        using var plan = new Conv2DPlan(Shape, Conv, filter, bias);
        AssertLength("input", geometry.InputLength, delta, wrong => plan.Run(wrong, output));
        AssertLength("output", geometry.OutputLength, delta, wrong => plan.Run(input, wrong));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Pool_buffers_must_have_the_exact_length(int delta)
    {
        var geometry = Pool2DGeometry.Create(Shape, Pool);
        float[] input = new float[geometry.InputLength];
        float[] output = new float[geometry.OutputLength];

        AssertLength("input", geometry.InputLength, delta, wrong => Pooling.Pool2D(Shape, Pool, wrong, output));
        AssertLength("output", geometry.OutputLength, delta, wrong => Pooling.Pool2D(Shape, Pool, input, wrong));
        using var plan = new Pool2DPlan(Shape, Pool);
        AssertLength("input", geometry.InputLength, delta, wrong => plan.Run(wrong, output));
        AssertLength("output", geometry.OutputLength, delta, wrong => plan.Run(input, wrong));
    }

    /// <summary>
    /// Nchw16c buffers hold whole blocks of 16 channels: Shape's 4 channels take 16 lanes and the convolution's 6 output
    /// channels 16 too, so the plain N·C·H·W count, the most likely mistake, is rejected like any other wrong length.
    /// </summary>
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(0)]
    public void Blocked_buffers_must_have_the_padded_length(int delta)
    {
        Conv2DOptions conv = Conv with { Layout = TensorLayout.Nchw16c };
        Pool2DOptions pool = Pool with { Layout = TensorLayout.Nchw16c };
        var geometry = Conv2DGeometry.Create(Shape, conv);
        var poolGeometry = Pool2DGeometry.Create(Shape, pool);
        Assert.Equal(16 * 8 * 8, geometry.InputLength);
        Assert.Equal(16 * 8 * 8, geometry.OutputLength);
        Assert.Equal(16 * 4 * 4, poolGeometry.OutputLength);
        float[] input = new float[geometry.InputLength];
        float[] filter = new float[geometry.FilterLength];
        float[] output = new float[geometry.OutputLength];
        float[] pooled = new float[poolGeometry.OutputLength];

        // delta 0 stands for the unpadded length: 4 and 6 channels instead of 16 lanes.
        int Wrong(int padded, TensorShape shape) => delta == 0 ? (int)shape.ElementCount : padded + delta;
        AssertBlockedLength("input", geometry.InputLength, Wrong(geometry.InputLength, Shape),
            wrong => Convolution.Conv2D(Shape, conv, wrong, filter, [], output));
        AssertBlockedLength("output", geometry.OutputLength, Wrong(geometry.OutputLength, geometry.OutputShape),
            wrong => Convolution.Conv2D(Shape, conv, input, filter, [], wrong));
        AssertBlockedLength("input", poolGeometry.InputLength, Wrong(poolGeometry.InputLength, Shape),
            wrong => Pooling.Pool2D(Shape, pool, wrong, pooled));
        AssertBlockedLength("output", poolGeometry.OutputLength, Wrong(poolGeometry.OutputLength, poolGeometry.OutputShape),
            wrong => Pooling.Pool2D(Shape, pool, input, wrong));
        AssertBlockedLength("input", geometry.InputLength, Wrong(geometry.InputLength, Shape),
            wrong => ReferenceConvolution.Conv2D(Shape, conv, wrong, filter, [], output));
        AssertBlockedLength("output", poolGeometry.OutputLength, Wrong(poolGeometry.OutputLength, poolGeometry.OutputShape),
            wrong => ReferencePooling.Pool2D(Shape, pool, input, wrong));

        using var plan = new Conv2DPlan(Shape, conv, filter);
        AssertBlockedLength("input", geometry.InputLength, Wrong(geometry.InputLength, Shape), wrong => plan.Run(wrong, output));
        AssertBlockedLength("output", geometry.OutputLength, Wrong(geometry.OutputLength, geometry.OutputShape), wrong => plan.Run(input, wrong));
        using var poolPlan = new Pool2DPlan(Shape, pool);
        AssertBlockedLength("output", poolGeometry.OutputLength, Wrong(poolGeometry.OutputLength, poolGeometry.OutputShape), wrong => poolPlan.Run(input, wrong));
    }

    [Fact]
    public void Blocked_element_counts_must_fit_in_an_int_after_padding()
    {
        // 1 x 1 x 16384 x 16384 is 2^28 elements, but 2^32 once the channel is padded to 16 lanes.
        var shape = new TensorShape(1, 1, 16384, 16384);
        Conv2DGeometry.Create(shape, new Conv2DOptions(1, 1));
        AssertRejected<ArgumentException>(
            () => Conv2DGeometry.Create(shape, new Conv2DOptions(1, 1) { Layout = TensorLayout.Nchw16c }), "inputShape", "1 channels padded to 16 for Nchw16c");
        AssertRejected<ArgumentException>(
            () => Pool2DGeometry.Create(shape, new Pool2DOptions(PoolKind.Max, 1) { Layout = TensorLayout.Nchw16c }), "inputShape", "overflows");
    }

    [Fact]
    public void Bias_may_be_empty()
    {
        var geometry = Conv2DGeometry.Create(Shape, Conv);
        Convolution.Conv2D(Shape, Conv, new float[geometry.InputLength], new float[geometry.FilterLength], [], new float[geometry.OutputLength]);
    }

    [Fact]
    public void Input_and_output_must_not_overlap()
    {
        // A 1x1 convolution with as many output as input channels has equally long buffers.
        var shape = new TensorShape(1, 2, 3, 3);
        var options = new Conv2DOptions(2, 1);
        float[] filter = [1, 0, 0, 1];
        float[] buffer = new float[27];
        AssertRejected<ArgumentException>(
            () => Convolution.Conv2D(shape, options, buffer.AsSpan(0, 18), filter, [], buffer.AsSpan(0, 18)), "output", "overlap");
        AssertRejected<ArgumentException>(
            () => Convolution.Conv2D(shape, options, buffer.AsSpan(0, 18), filter, [], buffer.AsSpan(9, 18)), "output", "overlap");
        using var plan = new Conv2DPlan(shape, options, filter);
        AssertRejected<ArgumentException>(() => plan.Run(buffer.AsSpan(9, 18), buffer.AsSpan(0, 18)), "output", "overlap");

        var pool = new Pool2DOptions(PoolKind.Max, 1);
        AssertRejected<ArgumentException>(
            () => Pooling.Pool2D(shape, pool, buffer.AsSpan(0, 18), buffer.AsSpan(1, 18)), "output", "overlap");
        using var poolPlan = new Pool2DPlan(shape, pool);
        AssertRejected<ArgumentException>(() => poolPlan.Run(buffer.AsSpan(0, 18), buffer.AsSpan(0, 18)), "output", "overlap");
    }

    [Fact]
    public void Adjacent_input_and_output_are_fine()
    {
        var shape = new TensorShape(1, 2, 3, 3);
        float[] buffer = new float[36];
        Convolution.Conv2D(shape, new Conv2DOptions(2, 1), buffer.AsSpan(0, 18), [1, 0, 0, 1], [], buffer.AsSpan(18, 18));
    }

    [Fact]
    public void Thread_counts_must_not_be_negative()
    {
        var geometry = Conv2DGeometry.Create(Shape, Conv);
        float[] input = new float[geometry.InputLength];
        float[] filter = new float[geometry.FilterLength];
        float[] output = new float[geometry.OutputLength];
        AssertRejected<ArgumentOutOfRangeException>(() => Convolution.Conv2D(Shape, Conv, input, filter, [], output, -1), "maxThreads", "");
        using var plan = new Conv2DPlan(Shape, Conv, filter);
        AssertRejected<ArgumentOutOfRangeException>(() => plan.Run(input, output, -1), "maxThreads", "");

        var poolGeometry = Pool2DGeometry.Create(Shape, Pool);
        float[] pooled = new float[poolGeometry.OutputLength];
        AssertRejected<ArgumentOutOfRangeException>(() => Pooling.Pool2D(Shape, Pool, input, pooled, int.MinValue), "maxThreads", "");
        using var poolPlan = new Pool2DPlan(Shape, Pool);
        AssertRejected<ArgumentOutOfRangeException>(() => poolPlan.Run(input, pooled, -1), "maxThreads", "");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void MaxThreads_property_must_be_at_least_one(int value)
    {
        var geometry = Conv2DGeometry.Create(Shape, Conv);
        using var plan = new Conv2DPlan(Shape, Conv, new float[geometry.FilterLength]);
        Assert.Throws<ArgumentOutOfRangeException>(() => { plan.MaxThreads = value; });
        Assert.Equal(Environment.ProcessorCount, plan.MaxThreads);

        using var poolPlan = new Pool2DPlan(Shape, Pool);
        Assert.Throws<ArgumentOutOfRangeException>(() => { poolPlan.MaxThreads = value; });
    }

    [Fact]
    public void Null_options_are_rejected()
    {
        AssertRejected<ArgumentNullException>(() => Conv2DGeometry.Create(Shape, null!), "options", "");
        AssertRejected<ArgumentNullException>(() => Pool2DGeometry.Create(Shape, null!), "options", "");
    }

    /// <summary>
    /// Random, mostly invalid requests: every one is either accepted (and then computes what the
    /// reference computes) or rejected with an ArgumentException — never another exception type.
    /// </summary>
    [Fact]
    public void Garbage_conv_requests_are_rejected_or_computed_correctly()
    {
        var stats = new ParityStats();
        int accepted = 0;
        GarbageGen.Conv.Sample(request =>
        {
            (TensorShape shape, Conv2DOptions options) = request;
            Conv2DGeometry geometry;
            try
            {
                geometry = Conv2DGeometry.Create(shape, options);
            }
            catch (ArgumentException)
            {
                Assert.ThrowsAny<ArgumentException>(() => Convolution.Conv2D(shape, options, [], [], [], []));
                return;
            }

            Interlocked.Increment(ref accepted);
            if ((long)geometry.InputLength + geometry.FilterLength + geometry.OutputLength > 200_000)
            {
                return;
            }

            ConvParity.Check(
                new ConvCase(
                    shape,
                    options,
                    geometry.OutputShape,
                    TestData.Pattern(geometry.InputLength, 1),
                    TestData.Pattern(geometry.FilterLength, 2),
                    TestData.Pattern(geometry.BiasLength, 3),
                    TestData.Pattern(geometry.OutputLength, 4),
                    1),
                stats);
        }, iter: 5000);

        stats.Report($"garbage conv requests: {accepted} of 5000 accepted");
        Assert.True(stats.Cases > 0, "no garbage request was valid and small enough to run");
    }

    [Fact]
    public void Garbage_pool_requests_are_rejected_or_computed_correctly()
    {
        var stats = new ParityStats();
        int accepted = 0;
        GarbageGen.Pool.Sample(request =>
        {
            (TensorShape shape, Pool2DOptions options) = request;
            Pool2DGeometry geometry;
            try
            {
                geometry = Pool2DGeometry.Create(shape, options);
            }
            catch (ArgumentException)
            {
                Assert.ThrowsAny<ArgumentException>(() => Pooling.Pool2D(shape, options, [], []));
                return;
            }

            Interlocked.Increment(ref accepted);
            if ((long)geometry.InputLength + geometry.OutputLength > 200_000)
            {
                return;
            }

            PoolParity.Check(
                new PoolCase(shape, options, geometry.OutputShape, TestData.Pattern(geometry.InputLength, 5), 1),
                stats);
        }, iter: 5000);

        stats.Report($"garbage pool requests: {accepted} of 5000 accepted");
        Assert.True(stats.Cases > 0, "no garbage request was valid and small enough to run");
    }

    private static void AssertRejected<TException>(Action action, string parameter, string messagePart)
        where TException : ArgumentException
    {
        TException exception = Assert.Throws<TException>(action);
        Assert.Equal(parameter, exception.ParamName);
        Assert.Contains(messagePart, exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Calls <paramref name="call"/> with a blocked buffer of the wrong length and checks that the report explains the padding.</summary>
    private static void AssertBlockedLength(string buffer, int expected, int actual, Action<float[]> call)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(() => call(new float[actual]));
        Assert.Equal(buffer, exception.ParamName);
        Assert.Contains($"{buffer} has {actual} elements but the shape needs exactly {expected} in Nchw16c", exception.Message, StringComparison.Ordinal);
        Assert.Contains("padded to a multiple of 16", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>Calls <paramref name="call"/> with a buffer <paramref name="delta"/> elements off and checks the report.</summary>
    private static void AssertLength(string buffer, int expected, int delta, Action<float[]> call)
    {
        int actual = expected + delta;
        float[] wrong = new float[actual];
        ArgumentException exception = Assert.Throws<ArgumentException>(() => call(wrong));
        Assert.Equal(buffer, exception.ParamName);
        Assert.Contains(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
        Assert.Contains(actual.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
    }
}
