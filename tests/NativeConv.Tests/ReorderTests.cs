using NativeConv.Tests.Support;

namespace NativeConv.Tests;

public sealed class ReorderTests
{
    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    [Theory]
    [InlineData(1, 3, 5, 7, 1)]
    [InlineData(2, 67, 9, 11, 2)]
    [InlineData(1, 64, 56, 56, 2)]
    [InlineData(3, 17, 1, 33, 0)]
    [InlineData(0, 3, 4, 5, 1)]
    public void Activations_match_plain_loops_both_ways(int batch, int channels, int height, int width, int maxThreads)
    {
        var shape = new TensorShape(batch, channels, height, width);
        float[] nchw = Random((int)shape.ElementCount, channels);
        float[] expected = Layouts.NchwToNhwc(nchw, shape);

        var nhwc = new float[nchw.Length];
        Reorder.Activations(shape, TensorLayout.Nchw, TensorLayout.Nhwc, nchw, nhwc, maxThreads);
        Assert.Equal(expected, nhwc);

        var back = new float[nchw.Length];
        Reorder.Activations(shape, TensorLayout.Nhwc, TensorLayout.Nchw, nhwc, back, maxThreads);
        Assert.Equal(nchw, back);

        var copy = new float[nchw.Length];
        Reorder.Activations(shape, TensorLayout.Nhwc, TensorLayout.Nhwc, nhwc, copy, maxThreads);
        Assert.Equal(nhwc, copy);
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(8, 3, 3, 3)]
    [InlineData(33, 17, 5, 2)]
    public void Filter_matches_plain_loops_both_ways(int outChannels, int inPerGroup, int kernelHeight, int kernelWidth)
    {
        float[] oihw = Random(outChannels * inPerGroup * kernelHeight * kernelWidth, outChannels);
        float[] expected = Layouts.OihwToHwio(oihw, outChannels, inPerGroup, kernelHeight, kernelWidth);

        var hwio = new float[oihw.Length];
        Reorder.Filter(outChannels, inPerGroup, kernelHeight, kernelWidth, FilterLayout.Oihw, FilterLayout.Hwio, oihw, hwio);
        Assert.Equal(expected, hwio);

        var back = new float[oihw.Length];
        Reorder.Filter(outChannels, inPerGroup, kernelHeight, kernelWidth, FilterLayout.Hwio, FilterLayout.Oihw, hwio, back);
        Assert.Equal(oihw, back);
    }

    [Fact]
    public void Activations_reject_bad_arguments_with_the_parameter_named()
    {
        var shape = new TensorShape(1, 2, 3, 4);
        var buffer = new float[48];
        Span<float> source = buffer.AsSpan(0, 24);
        Span<float> destination = buffer.AsSpan(24, 24);

        var length = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(shape, TensorLayout.Nchw, TensorLayout.Nhwc, new float[23], new float[24]));
        Assert.Equal("source", length.ParamName);
        length = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(shape, TensorLayout.Nchw, TensorLayout.Nhwc, new float[24], new float[25]));
        Assert.Equal("destination", length.ParamName);
        var overlap = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(shape, TensorLayout.Nchw, TensorLayout.Nhwc, buffer.AsSpan(0, 24), buffer.AsSpan(12, 24)));
        Assert.Equal("destination", overlap.ParamName);
        var layout = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Reorder.Activations(shape, (TensorLayout)7, TensorLayout.Nhwc, new float[24], new float[24]));
        Assert.Equal("from", layout.ParamName);
        var size = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Reorder.Activations(shape with { Height = 0 }, TensorLayout.Nchw, TensorLayout.Nhwc, [], []));
        Assert.Equal("shape", size.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Reorder.Activations(shape, TensorLayout.Nchw, TensorLayout.Nhwc, new float[24], new float[24], -1));
        var huge = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(new TensorShape(1, 65536, 65536, 2), TensorLayout.Nchw, TensorLayout.Nhwc, [], []));
        Assert.Equal("shape", huge.ParamName);

        Reorder.Activations(shape, TensorLayout.Nchw, TensorLayout.Nhwc, source, destination);
    }

    [Fact]
    public void Filter_rejects_bad_arguments_with_the_parameter_named()
    {
        var length = Assert.Throws<ArgumentException>(() =>
            Reorder.Filter(2, 3, 2, 2, FilterLayout.Oihw, FilterLayout.Hwio, new float[24], new float[23]));
        Assert.Equal("destination", length.ParamName);
        var size = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Reorder.Filter(2, 0, 2, 2, FilterLayout.Oihw, FilterLayout.Hwio, [], []));
        Assert.Equal("inChannelsPerGroup", size.ParamName);
        var layout = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Reorder.Filter(2, 3, 2, 2, FilterLayout.Oihw, (FilterLayout)(-1), new float[24], new float[24]));
        Assert.Equal("to", layout.ParamName);
        var buffer = new float[30];
        var overlap = Assert.Throws<ArgumentException>(() =>
            Reorder.Filter(2, 3, 2, 2, FilterLayout.Oihw, FilterLayout.Hwio, buffer.AsSpan(0, 24), buffer.AsSpan(6, 24)));
        Assert.Equal("destination", overlap.ParamName);
    }
}
