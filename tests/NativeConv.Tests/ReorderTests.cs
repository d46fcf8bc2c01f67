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

    public static TheoryData<int, int, int, int, int> BlockedShapes => new()
    {
        { 1, 1, 1, 1, 1 },
        { 1, 3, 5, 7, 1 },
        { 2, 16, 4, 3, 2 },
        { 2, 17, 9, 11, 2 },
        { 1, 33, 6, 5, 0 },
        { 3, 64, 7, 9, 2 },
        { 1, 70, 56, 56, 2 },
        { 0, 5, 4, 5, 1 },
    };

    /// <summary>
    /// NCHW → NCHW16c → NHWC → NCHW16c → NCHW gives back the very same floats, every intermediate matches the plain
    /// loops of <see cref="Layouts"/>, the blocked ones with zeros in their padding lanes although the destination
    /// was filled with NaN before each call.
    /// </summary>
    [Theory]
    [MemberData(nameof(BlockedShapes))]
    public void Activations_round_trip_through_nchw16c_exactly(int batch, int channels, int height, int width, int maxThreads)
    {
        var shape = new TensorShape(batch, channels, height, width);
        float[] nchw = Random((int)shape.ElementCount, channels + 100);
        int blockedLength = (int)shape.ElementCountIn(TensorLayout.Nchw16c);
        Assert.Equal(Layouts.Length(shape, TensorLayout.Nchw16c), blockedLength);

        float[] blocked = Reordered(shape, TensorLayout.Nchw, TensorLayout.Nchw16c, nchw, maxThreads);
        Assert.Equal(Layouts.FromNchw(nchw, shape, TensorLayout.Nchw16c), blocked);
        float[] nhwc = Reordered(shape, TensorLayout.Nchw16c, TensorLayout.Nhwc, blocked, maxThreads);
        Assert.Equal(Layouts.NchwToNhwc(nchw, shape), nhwc);
        float[] blockedAgain = Reordered(shape, TensorLayout.Nhwc, TensorLayout.Nchw16c, nhwc, maxThreads);
        Assert.Equal(blocked, blockedAgain);
        float[] back = Reordered(shape, TensorLayout.Nchw16c, TensorLayout.Nchw, blockedAgain, maxThreads);
        Assert.Equal(nchw, back);
    }

    /// <summary>Padding lanes of a blocked source are never read, and a blocked copy writes zeros in them.</summary>
    [Theory]
    [MemberData(nameof(BlockedShapes))]
    public void Padding_lanes_of_a_blocked_source_are_ignored_and_copies_clear_them(int batch, int channels, int height, int width, int maxThreads)
    {
        var shape = new TensorShape(batch, channels, height, width);
        float[] nchw = Random((int)shape.ElementCount, channels + 200);
        float[] blocked = Layouts.FromNchw(nchw, shape, TensorLayout.Nchw16c, float.NaN);

        Assert.Equal(nchw, Reordered(shape, TensorLayout.Nchw16c, TensorLayout.Nchw, blocked, maxThreads));
        Assert.Equal(Layouts.NchwToNhwc(nchw, shape), Reordered(shape, TensorLayout.Nchw16c, TensorLayout.Nhwc, blocked, maxThreads));
        Assert.Equal(Layouts.FromNchw(nchw, shape, TensorLayout.Nchw16c), Reordered(shape, TensorLayout.Nchw16c, TensorLayout.Nchw16c, blocked, maxThreads));
    }

    [Fact]
    public void Blocked_buffers_must_have_the_padded_length()
    {
        var shape = new TensorShape(1, 3, 4, 4);
        var length = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(shape, TensorLayout.Nchw, TensorLayout.Nchw16c, new float[48], new float[48]));
        Assert.Equal("destination", length.ParamName);
        Assert.Contains("destination has 48 elements but the shape needs exactly 256 in Nchw16c", length.Message);
        length = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(shape, TensorLayout.Nchw16c, TensorLayout.Nhwc, new float[255], new float[48]));
        Assert.Equal("source", length.ParamName);
        Assert.Contains("256", length.Message);
        length = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(shape, TensorLayout.Nchw16c, TensorLayout.Nhwc, new float[256], new float[256]));
        Assert.Equal("destination", length.ParamName);
        Assert.Contains("exactly 48.", length.Message);
        var huge = Assert.Throws<ArgumentException>(() =>
            Reorder.Activations(new TensorShape(1, 1, 16384, 16384), TensorLayout.Nchw, TensorLayout.Nchw16c, [], []));
        Assert.Equal("shape", huge.ParamName);
        Assert.Contains("padded to 16", huge.Message);
    }

    /// <summary>Reorders into a destination filled with NaN first, so an element the library does not write shows up.</summary>
    private static float[] Reordered(TensorShape shape, TensorLayout from, TensorLayout to, float[] source, int maxThreads)
    {
        var destination = new float[shape.ElementCountIn(to)];
        Array.Fill(destination, float.NaN);
        Reorder.Activations(shape, from, to, source, destination, maxThreads);
        return destination;
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
