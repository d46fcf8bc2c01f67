using System.Numerics.Tensors;

namespace NativeConv.Tests;

/// <summary>The System.Numerics.Tensors overloads read the shape from the tensor and compute what the span overloads compute.</summary>
public sealed class TensorSpanTests
{
    private static readonly TensorShape Shape = new(2, 3, 6, 7);

    [Theory]
    [InlineData(TensorLayout.Nchw)]
    [InlineData(TensorLayout.Nhwc)]
    public void Conv2D_on_tensors_equals_Conv2D_on_spans(TensorLayout layout)
    {
        var options = new Conv2DOptions(4, 3) { Padding = 1, Stride = 2, Layout = layout, Activation = Activation.Relu };
        var geometry = Conv2DGeometry.Create(Shape, options);
        float[] input = TestData.Pattern(geometry.InputLength, 1);
        float[] filter = TestData.Pattern(geometry.FilterLength, 2);
        float[] bias = TestData.Pattern(geometry.BiasLength, 3);
        var expected = new float[geometry.OutputLength];
        Convolution.Conv2D(Shape, options, input, filter, bias, expected);

        var actual = new float[geometry.OutputLength];
        Convolution.Conv2D(
            new ReadOnlyTensorSpan<float>(input, Lengths(Shape, layout)), options, filter, bias,
            new TensorSpan<float>(actual, Lengths(geometry.OutputShape, layout)));
        Assert.Equal(expected, actual);

        using var plan = new Conv2DPlan(Shape, options, filter, bias);
        var fromPlan = new float[geometry.OutputLength];
        plan.Run(new ReadOnlyTensorSpan<float>(input, Lengths(Shape, layout)), new TensorSpan<float>(fromPlan, Lengths(geometry.OutputShape, layout)));
        Assert.Equal(expected, fromPlan);
        Array.Clear(fromPlan);
        plan.Run(new ReadOnlyTensorSpan<float>(input, Lengths(Shape, layout)), new TensorSpan<float>(fromPlan, Lengths(geometry.OutputShape, layout)), 1);
        Assert.Equal(expected, fromPlan);
    }

    [Theory]
    [InlineData(TensorLayout.Nchw)]
    [InlineData(TensorLayout.Nhwc)]
    public void Pool2D_on_tensors_equals_Pool2D_on_spans(TensorLayout layout)
    {
        var options = new Pool2DOptions(PoolKind.Max, 2) { Layout = layout };
        var geometry = Pool2DGeometry.Create(Shape, options);
        float[] input = TestData.Pattern(geometry.InputLength, 4);
        var expected = new float[geometry.OutputLength];
        Pooling.Pool2D(Shape, options, input, expected);

        var actual = new float[geometry.OutputLength];
        Pooling.Pool2D(new ReadOnlyTensorSpan<float>(input, Lengths(Shape, layout)), options, new TensorSpan<float>(actual, Lengths(geometry.OutputShape, layout)));
        Assert.Equal(expected, actual);

        using var plan = new Pool2DPlan(Shape, options);
        var fromPlan = new float[geometry.OutputLength];
        plan.Run(new ReadOnlyTensorSpan<float>(input, Lengths(Shape, layout)), new TensorSpan<float>(fromPlan, Lengths(geometry.OutputShape, layout)));
        Assert.Equal(expected, fromPlan);
    }

    [Fact]
    public void Tensors_that_are_not_dense_rank_4_row_major_or_do_not_match_are_rejected()
    {
        var options = new Conv2DOptions(2, 3) { Padding = 1 };
        float[] filter = new float[2 * 3 * 3 * 3];
        float[] data = new float[200];
        float[] output = new float[2 * 25];
        nint[] outputLengths = [1, 2, 5, 5];

        var rank3 = Assert.Throws<ArgumentException>(() =>
            Convolution.Conv2D(new ReadOnlyTensorSpan<float>(data, [3, 5, 5]), options, filter, [], new TensorSpan<float>(output, outputLengths)));
        Assert.Equal("input", rank3.ParamName);
        Assert.Contains("rank 3", rank3.Message);

        // The same 75 elements viewed channels-last: dense, but not row-major for its lengths.
        var transposed = Assert.Throws<ArgumentException>(() =>
            Convolution.Conv2D(new ReadOnlyTensorSpan<float>(data.AsSpan(0, 75), [1, 3, 5, 5], [0, 1, 15, 3]), options, filter, [], new TensorSpan<float>(output, outputLengths)));
        Assert.Equal("input", transposed.ParamName);
        Assert.Contains("row-major", transposed.Message);

        // Rows 10 apart although each holds 5: a window into a wider image.
        var gaps = Assert.Throws<ArgumentException>(() =>
            Convolution.Conv2D(new ReadOnlyTensorSpan<float>(data.AsSpan(0, 145), [1, 3, 5, 5], [0, 50, 10, 1]), options, filter, [], new TensorSpan<float>(output, outputLengths)));
        Assert.Contains("dense", gaps.Message);

        var wrongOutput = Assert.Throws<ArgumentException>(() =>
            Convolution.Conv2D(new ReadOnlyTensorSpan<float>(data, 0, [1, 3, 5, 5], default), options, filter, [],
                new TensorSpan<float>(new float[50], [1, 5, 5, 2])));
        Assert.Equal("output", wrongOutput.ParamName);
        Assert.Contains("[1, 2, 5, 5]", wrongOutput.Message);

        using var plan = new Conv2DPlan(new TensorShape(1, 3, 5, 5), options, filter);
        var otherShape = Assert.Throws<ArgumentException>(() =>
            plan.Run(new ReadOnlyTensorSpan<float>(data, [1, 3, 6, 5]), new TensorSpan<float>(new float[60], [1, 2, 6, 5])));
        Assert.Equal("input", otherShape.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            plan.Run(new ReadOnlyTensorSpan<float>(data, 0, [1, 3, 5, 5], default), new TensorSpan<float>(output, outputLengths), -1));
    }

    /// <summary>
    /// A blocked tensor's lengths [N, ⌈C/16⌉, H, W, 16] do not carry C, so the tensor overloads refuse Nchw16c, in every
    /// entry point, with the parameter and the way out named, before anything is computed.
    /// </summary>
    [Fact]
    public void Nchw16c_is_rejected_by_every_tensor_overload()
    {
        var shape = new TensorShape(1, 3, 5, 5);
        var conv = new Conv2DOptions(2, 3) { Layout = TensorLayout.Nchw16c };
        var pool = new Pool2DOptions(PoolKind.Max, 2) { Layout = TensorLayout.Nchw16c };
        float[] filter = new float[2 * 3 * 3 * 3];
        float[] input = new float[16 * 25];
        float[] output = new float[16 * 9];
        nint[] blockedInput = [1, 1, 5, 5, 16];
        nint[] blockedOutput = [1, 1, 3, 3, 16];

        void AssertRejected(Action call)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("input", e.ParamName);
            Assert.Contains("Nchw16c", e.Message, StringComparison.Ordinal);
            Assert.Contains("span overload", e.Message, StringComparison.Ordinal);
        }

        AssertRejected(() => Convolution.Conv2D(new ReadOnlyTensorSpan<float>(input, blockedInput), conv, filter, [], new TensorSpan<float>(output, blockedOutput)));
        AssertRejected(() => Convolution.Conv2D(new ReadOnlyTensorSpan<float>(input, [1, 16, 5, 5]), conv, filter, [], new TensorSpan<float>(output, [1, 16, 3, 3]), 1));
        AssertRejected(() => Pooling.Pool2D(new ReadOnlyTensorSpan<float>(input, blockedInput), pool, new TensorSpan<float>(new float[16 * 4], [1, 1, 2, 2, 16])));
        Assert.All(output, v => Assert.Equal(0f, v));

        using var plan = new Conv2DPlan(shape, conv, filter);
        AssertRejected(() => plan.Run(new ReadOnlyTensorSpan<float>(input, blockedInput), new TensorSpan<float>(output, blockedOutput)));
        using var poolPlan = new Pool2DPlan(shape, pool);
        AssertRejected(() => poolPlan.Run(new ReadOnlyTensorSpan<float>(input, blockedInput), new TensorSpan<float>(new float[16 * 4], [1, 1, 2, 2, 16]), 1));
    }

    [Fact]
    public void A_dimension_of_length_one_may_have_any_stride()
    {
        float[] input = TestData.Pattern(75, 5);
        var options = new Conv2DOptions(2, 3);
        float[] filter = TestData.Pattern(54, 6);
        var expected = new float[18];
        Convolution.Conv2D(new TensorShape(1, 3, 5, 5), options, input, filter, [], expected);

        var actual = new float[18];
        Convolution.Conv2D(new ReadOnlyTensorSpan<float>(input, [1, 3, 5, 5], [0, 25, 5, 1]), options, filter, [],
            new TensorSpan<float>(actual, [1, 2, 3, 3]));
        Assert.Equal(expected, actual);
    }

    private static nint[] Lengths(TensorShape shape, TensorLayout layout) => layout == TensorLayout.Nhwc
        ? [shape.Batch, shape.Height, shape.Width, shape.Channels]
        : [shape.Batch, shape.Channels, shape.Height, shape.Width];
}
