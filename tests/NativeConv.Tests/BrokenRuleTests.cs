namespace NativeConv.Tests;

/// <summary>
/// Property tests: a random valid request with exactly one rule broken (by a random amount) must be rejected with
/// that rule's exception type, parameter name and message, by every entry point (geometry, one-shot call, plan),
/// and never crash or compute. <see cref="ValidationTests"/> checks each rule on one fixed request; these check
/// that the verdict does not depend on the rest of the request.
/// </summary>
public sealed class BrokenRuleTests
{
    private const int Iterations = 150;

    /// <summary>A convolution request with its buffers' length errors (0 = right length).</summary>
    public sealed record ConvRequest(
        TensorShape Shape,
        Conv2DOptions Options,
        int InputDelta = 0,
        int FilterDelta = 0,
        int BiasLength = -1,
        int OutputDelta = 0,
        bool Overlap = false,
        int MaxThreads = 1);

    /// <summary>One validation rule: how to break it and how the rejection must look.</summary>
    public sealed record Rule<TRequest>(string Name, Gen<Func<TRequest, TRequest>> Break, Type Exception, string Parameter, string Message)
    {
        public override string ToString() => Name;
    }

    private static readonly Gen<int> NotPositive = Gen.Frequency((3, Gen.Int[-5, 0]), (1, Gen.Int[int.MinValue, 0]));
    private static readonly Gen<int> Negative = Gen.Frequency((3, Gen.Int[-5, -1]), (1, Gen.Int[int.MinValue, -1]));
    private static readonly Gen<int> LengthError = Gen.OneOf(Gen.Int[-3, -1], Gen.Int[1, 3]);

    /// <summary>Valid requests: 1..3 groups, small sizes, a kernel that always fits the padded input.</summary>
    private static readonly Gen<ConvRequest> ValidConv =
        from batch in Gen.Int[0, 2]
        from groups in Gen.Int[1, 3]
        from channelsPerGroup in Gen.Int[1, 4]
        from outPerGroup in Gen.Int[1, 4]
        from height in Gen.Int[1, 9]
        from width in Gen.Int[1, 9]
        from pads in Gen.Int[0, 2].Array[4]
        from dilation in Gen.Int[1, 2]
        from kernelHeight in Gen.Int[1, 4]
        from kernelWidth in Gen.Int[1, 4]
        from stride in Gen.Int[1, 3]
        from layout in Gen.Int[0, 2]
        from filterLayout in Gen.Int[0, 1]
        from activation in Gen.Int[0, 2]
        select new ConvRequest(
            new TensorShape(batch, groups * channelsPerGroup, height, width),
            new Conv2DOptions(
                groups * outPerGroup,
                Math.Min(kernelHeight, ((height + pads[0] + pads[1] - 1) / dilation) + 1),
                Math.Min(kernelWidth, ((width + pads[2] + pads[3] - 1) / dilation) + 1))
            {
                Groups = groups,
                Padding = Padding.Of(pads[0], pads[1], pads[2], pads[3]),
                Dilation = dilation,
                Stride = stride,
                Layout = (TensorLayout)layout,
                FilterLayout = (FilterLayout)filterLayout,
                Activation = activation == 2 ? Activation.Relu6 : activation == 1 ? Activation.Relu : Activation.None,
            });

    private static Rule<ConvRequest> ConvRule(string name, Gen<Func<ConvRequest, ConvRequest>> breaker, Type exception, string parameter, string message) =>
        new(name, breaker, exception, parameter, message);

    private static Gen<Func<ConvRequest, ConvRequest>> Options(Gen<int> values, Func<Conv2DOptions, int, Conv2DOptions> set) =>
        values.Select(v => (Func<ConvRequest, ConvRequest>)(r => r with { Options = set(r.Options, v) }));

    private static Gen<Func<ConvRequest, ConvRequest>> Shape(Gen<int> values, Func<TensorShape, int, TensorShape> set) =>
        values.Select(v => (Func<ConvRequest, ConvRequest>)(r => r with { Shape = set(r.Shape, v) }));

    private static Gen<Func<ConvRequest, ConvRequest>> Fixed(Func<ConvRequest, ConvRequest> change) => Gen.Const(change);

    private static readonly Type OutOfRange = typeof(ArgumentOutOfRangeException);
    private static readonly Type Argument = typeof(ArgumentException);

    public static readonly Rule<ConvRequest>[] ConvRules =
    [
        ConvRule("batch negative", Shape(Negative, (s, v) => s with { Batch = v }), OutOfRange, "inputShape", "Batch"),
        ConvRule("channels not positive", Shape(NotPositive, (s, v) => s with { Channels = v }), OutOfRange, "inputShape", "Channels"),
        ConvRule("height not positive", Shape(NotPositive, (s, v) => s with { Height = v }), OutOfRange, "inputShape", "Height"),
        ConvRule("width not positive", Shape(NotPositive, (s, v) => s with { Width = v }), OutOfRange, "inputShape", "Width"),
        ConvRule("out channels not positive", Options(NotPositive, (o, v) => o with { OutChannels = v }), OutOfRange, "options", "OutChannels"),
        ConvRule("kernel height not positive", Options(NotPositive, (o, v) => o with { KernelHeight = v }), OutOfRange, "options", "KernelHeight"),
        ConvRule("kernel width not positive", Options(NotPositive, (o, v) => o with { KernelWidth = v }), OutOfRange, "options", "KernelWidth"),
        ConvRule("stride height not positive", Options(NotPositive, (o, v) => o with { StrideHeight = v }), OutOfRange, "options", "StrideHeight"),
        ConvRule("stride width not positive", Options(NotPositive, (o, v) => o with { StrideWidth = v }), OutOfRange, "options", "StrideWidth"),
        ConvRule("dilation height not positive", Options(NotPositive, (o, v) => o with { DilationHeight = v }), OutOfRange, "options", "DilationHeight"),
        ConvRule("dilation width not positive", Options(NotPositive, (o, v) => o with { DilationWidth = v }), OutOfRange, "options", "DilationWidth"),
        ConvRule("groups not positive", Options(NotPositive, (o, v) => o with { Groups = v }), OutOfRange, "options", "Groups"),
        ConvRule("layout undefined", Options(Gen.OneOf(Gen.Int[3, int.MaxValue], Negative), (o, v) => o with { Layout = (TensorLayout)v }), OutOfRange, "options", "Layout"),
        ConvRule("filter layout undefined", Options(Gen.OneOf(Gen.Int[2, int.MaxValue], Negative), (o, v) => o with { FilterLayout = (FilterLayout)v }), OutOfRange, "options", "FilterLayout"),
        ConvRule("activation kind undefined", Options(Gen.OneOf(Gen.Int[3, int.MaxValue], Negative), (o, v) => o with { Activation = new Activation((ActivationKind)v, 0, 1) }), OutOfRange, "options", "Activation.Kind"),
        ConvRule("clamp bound NaN", Options(Gen.Int[0, 2], (o, v) => o with { Activation = new Activation(ActivationKind.Clamp, v == 1 ? 0 : float.NaN, v == 0 ? 1 : float.NaN) }), Argument, "options", "must not be NaN"),
        ConvRule("clamp bounds reversed", Options(Gen.Int[1, 1000], (o, v) => o with { Activation = new Activation(ActivationKind.Clamp, v, v - 0.5f) }), Argument, "options", "must not exceed"),
        ConvRule("groups do not divide channels",
            Fixed(r => r with { Shape = r.Shape with { Channels = 3 }, Options = r.Options with { Groups = 2, OutChannels = 2 } }),
            Argument, "options", "must divide Channels"),
        ConvRule("groups do not divide out channels",
            Gen.Int[2, 5].Select(g => (Func<ConvRequest, ConvRequest>)(r => r with { Shape = r.Shape with { Channels = g * 2 }, Options = r.Options with { Groups = g, OutChannels = g + 1 } })),
            Argument, "options", "must divide OutChannels"),
        ConvRule("padding top negative", Options(Negative, (o, v) => o with { Padding = Padding.Of(v, 0, 0, 0) }), OutOfRange, "options", "Padding.Explicit.Top"),
        ConvRule("padding bottom negative", Options(Negative, (o, v) => o with { Padding = Padding.Of(0, v, 0, 0) }), OutOfRange, "options", "Padding.Explicit.Bottom"),
        ConvRule("padding left negative", Options(Negative, (o, v) => o with { Padding = Padding.Of(0, 0, v, 0) }), OutOfRange, "options", "Padding.Explicit.Left"),
        ConvRule("padding right negative", Options(Negative, (o, v) => o with { Padding = Padding.Of(0, 0, 0, v) }), OutOfRange, "options", "Padding.Explicit.Right"),
        ConvRule("kernel taller than the padded input",
            Gen.Int[1, 100].Select(extra => (Func<ConvRequest, ConvRequest>)(r => r with { Options = r.Options with { Padding = 0, Dilation = 1, KernelHeight = r.Shape.Height + extra } })),
            Argument, "options", "larger than the padded input"),
        ConvRule("kernel wider than the padded input",
            Gen.Int[1, 100].Select(extra => (Func<ConvRequest, ConvRequest>)(r => r with { Options = r.Options with { Padding = 0, Dilation = 1, KernelWidth = r.Shape.Width + extra } })),
            Argument, "options", "larger than the padded input"),
        ConvRule("dilated kernel larger than the padded input",
            Gen.Int[1, 100].Select(extra => (Func<ConvRequest, ConvRequest>)(r => r with { Options = r.Options with { Padding = 0, KernelHeight = 2, DilationHeight = r.Shape.Height + extra } })),
            Argument, "options", "larger than the padded input"),
        ConvRule("input element count overflows int",
            Gen.Int[46341, int.MaxValue].Select(side => (Func<ConvRequest, ConvRequest>)(r => r with { Shape = r.Shape with { Batch = 1, Height = side, Width = side }, Options = r.Options with { Padding = 0, Dilation = 1, KernelHeight = 1, KernelWidth = 1 } })),
            Argument, "inputShape", "overflows"),
        ConvRule("output element count overflows int",
            Gen.Int[1, 1000].Select(pad => (Func<ConvRequest, ConvRequest>)(r => r with { Shape = new TensorShape(1, 1, 1, 1), Options = new Conv2DOptions(1, 1) { Padding = 46341 + pad } })),
            Argument, "options", "overflows"),
        ConvRule("filter element count overflows int",
            Gen.Int[46341, 1 << 20].Select(c => (Func<ConvRequest, ConvRequest>)(r => r with { Shape = new TensorShape(1, c, 1, 1), Options = new Conv2DOptions(c, 1) })),
            Argument, "options", "overflows"),
        ConvRule("resolved padding overflows int",
            Gen.Int[int.MaxValue / 2, int.MaxValue].Select(k => (Func<ConvRequest, ConvRequest>)(r => r with { Shape = new TensorShape(1, 1, 1, 1), Options = new Conv2DOptions(1, 1, k) { Padding = Padding.Same, DilationWidth = 4 } })),
            Argument, "options", "overflows"),
        ConvRule("input length wrong", LengthError.Select(d => (Func<ConvRequest, ConvRequest>)(r => r with { InputDelta = d })), Argument, "input", "elements"),
        ConvRule("filter length wrong", LengthError.Select(d => (Func<ConvRequest, ConvRequest>)(r => r with { FilterDelta = d })), Argument, "filter", "elements"),
        ConvRule("bias length neither 0 nor out channels",
            Gen.Int[1, 3].Select(d => (Func<ConvRequest, ConvRequest>)(r => r with { BiasLength = r.Options.OutChannels + d })),
            Argument, "bias", "must be empty"),
        ConvRule("output length wrong", LengthError.Select(d => (Func<ConvRequest, ConvRequest>)(r => r with { OutputDelta = d })), Argument, "output", "elements"),
        ConvRule("output overlaps input", Fixed(r => r with { Shape = r.Shape with { Batch = Math.Max(1, r.Shape.Batch) }, Overlap = true }), Argument, "output", "overlap"),
        ConvRule("max threads negative", Negative.Select(t => (Func<ConvRequest, ConvRequest>)(r => r with { MaxThreads = t })), OutOfRange, "maxThreads", ""),
    ];

    public static TheoryData<string> ConvRuleNames => new(ConvRules.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(ConvRuleNames))]
    public void Each_conv_rule_broken_alone_is_rejected_by_every_entry_point(string ruleName)
    {
        Rule<ConvRequest> rule = ConvRules.Single(r => r.Name == ruleName);
        (from valid in ValidConv from change in rule.Break select (valid, broken: change(valid))).Sample(pair =>
        {
            ConvRequest r = pair.broken;
            foreach ((string entry, Action call) in ConvEntryPoints(pair.valid, r))
            {
                Exception e = Assert.ThrowsAny<ArgumentException>(call);
                Assert.True(e.GetType() == rule.Exception, $"{entry}: {e.GetType().Name} instead of {rule.Exception.Name}: {e.Message}");
                Assert.Equal(rule.Parameter, ((ArgumentException)e).ParamName);
                Assert.Contains(rule.Message, e.Message, StringComparison.Ordinal);
            }
        }, iter: Iterations);
    }

    /// <summary>
    /// The calls that must reject <paramref name="broken"/>. Buffers get the broken request's lengths where its geometry
    /// is valid; otherwise the valid request's (a geometry error must win over any buffer).
    /// </summary>
    private static IEnumerable<(string, Action)> ConvEntryPoints(ConvRequest valid, ConvRequest broken)
    {
        Conv2DGeometry? geometry = null;
        try
        {
            geometry = Conv2DGeometry.Create(broken.Shape, broken.Options);
        }
        catch (ArgumentException)
        {
        }

        if (geometry is null)
        {
            Conv2DGeometry lengths = Conv2DGeometry.Create(valid.Shape, valid.Options);
            float[] input = new float[lengths.InputLength];
            float[] filter = new float[lengths.FilterLength];
            float[] output = new float[lengths.OutputLength];
            yield return ("geometry", () => Conv2DGeometry.Create(broken.Shape, broken.Options));
            yield return ("one-shot", () => Convolution.Conv2D(broken.Shape, broken.Options, input, filter, [], output, broken.MaxThreads));
            yield return ("plan", () => new Conv2DPlan(broken.Shape, broken.Options, filter).Dispose());
            yield break;
        }

        int inputLength = geometry.InputLength + broken.InputDelta;
        int outputLength = geometry.OutputLength + broken.OutputDelta;
        float[] filterBuffer = new float[Math.Max(0, geometry.FilterLength + broken.FilterDelta)];
        float[] bias = new float[Math.Max(0, broken.BiasLength)];
        float[] storage = new float[Math.Max(0, inputLength) + Math.Max(0, outputLength)];
        if (inputLength < 0 || outputLength < 0)
        {
            yield break;
        }

        Memory<float> inputMemory = storage.AsMemory(0, inputLength);
        Memory<float> outputMemory = broken.Overlap
            ? storage.AsMemory(0, outputLength)
            : storage.AsMemory(inputLength, outputLength);
        bool weightsWrong = broken.FilterDelta != 0 || broken.BiasLength >= 0;
        yield return ("one-shot", () => Convolution.Conv2D(broken.Shape, broken.Options, inputMemory.Span, filterBuffer, bias, outputMemory.Span, broken.MaxThreads));
        if (weightsWrong)
        {
            yield return ("plan", () => new Conv2DPlan(broken.Shape, broken.Options, filterBuffer, bias).Dispose());
        }
        else
        {
            yield return ("plan run", () =>
            {
                using var plan = new Conv2DPlan(broken.Shape, broken.Options, filterBuffer);
                plan.Run(inputMemory.Span, outputMemory.Span, broken.MaxThreads);
            });
        }
    }
}
