namespace NativeConv.Tests;

/// <summary>
/// Padding rules resolved against hand-worked cases. For SAME: out = ceil(in / stride),
/// total = max(0, (out − 1)·stride + (kernel − 1)·dilation + 1 − in); TensorFlow puts the odd
/// pixel at the end (bottom/right), SAME_LOWER at the beginning.
/// </summary>
public sealed class PaddingTests
{
    public static TheoryData<int, int, int, int, int, int> SameCases => new()
    {
        // in, kernel, stride, dilation, begin, end (for Same; SameLower swaps begin and end)
        { 5, 3, 1, 1, 1, 1 },     // out 5, total 4 + 3 − 5 = 2
        { 5, 3, 2, 1, 1, 1 },     // out 3, total 4 + 3 − 5 = 2
        { 6, 3, 2, 1, 0, 1 },     // out 3, total 4 + 3 − 6 = 1: odd
        { 7, 4, 1, 1, 1, 2 },     // out 7, total 6 + 4 − 7 = 3: odd
        { 224, 5, 1, 1, 2, 2 },   // out 224, total 223 + 5 − 224 = 4
        { 224, 7, 2, 1, 2, 3 },   // out 112, total 222 + 7 − 224 = 5: odd (ResNet stem)
        { 10, 1, 4, 1, 0, 0 },    // out 3, total 8 + 1 − 10 < 0 → 0
        { 8, 3, 1, 2, 2, 2 },     // span 5, out 8, total 7 + 5 − 8 = 4
        { 9, 3, 2, 3, 3, 3 },     // span 7, out 5, total 8 + 7 − 9 = 6
        { 6, 2, 2, 2, 0, 1 },     // span 3, out 3, total 4 + 3 − 6 = 1: odd
        { 1, 3, 1, 1, 1, 1 },     // out 1, total 0 + 3 − 1 = 2
        { 4, 4, 4, 1, 0, 0 },     // out 1, total 0 + 4 − 4 = 0
        { 5, 4, 3, 1, 1, 1 },     // out 2, total 3 + 4 − 5 = 2
        { 2, 5, 1, 1, 2, 2 },     // out 2, total 1 + 5 − 2 = 4
        { 2, 4, 1, 1, 1, 2 },     // out 2, total 1 + 4 − 2 = 3: odd
    };

    [Theory]
    [MemberData(nameof(SameCases))]
    public void Same_puts_the_odd_pixel_at_the_end(int size, int kernel, int stride, int dilation, int begin, int end)
    {
        Assert.Equal(new Padding2D(begin, end, 0, 0), Padding.Same.Resolve(size, 1, kernel, 1, stride, 1, dilation, 1));
        Assert.Equal(new Padding2D(0, 0, begin, end), Padding.Same.Resolve(1, size, 1, kernel, 1, stride, 1, dilation));
    }

    [Theory]
    [MemberData(nameof(SameCases))]
    public void SameLower_puts_the_odd_pixel_at_the_beginning(int size, int kernel, int stride, int dilation, int begin, int end)
    {
        Assert.Equal(new Padding2D(end, begin, 0, 0), Padding.SameLower.Resolve(size, 1, kernel, 1, stride, 1, dilation, 1));
        Assert.Equal(new Padding2D(0, 0, end, begin), Padding.SameLower.Resolve(1, size, 1, kernel, 1, stride, 1, dilation));
    }

    [Fact]
    public void Height_and_width_resolve_independently()
    {
        // Height: 6, kernel 3, stride 2 → (0, 1). Width: 7, kernel 4, stride 1 → (1, 2).
        Assert.Equal(new Padding2D(0, 1, 1, 2), Padding.Same.Resolve(6, 7, 3, 4, 2, 1, 1, 1));
        Assert.Equal(new Padding2D(1, 0, 2, 1), Padding.SameLower.Resolve(6, 7, 3, 4, 2, 1, 1, 1));
    }

    [Fact]
    public void Valid_and_explicit_padding_ignore_the_input()
    {
        Assert.Equal(default, Padding.Valid.Resolve(6, 7, 3, 4, 2, 1, 1, 1));
        Assert.Equal(new Padding2D(1, 2, 3, 4), Padding.Of(1, 2, 3, 4).Resolve(6, 7, 3, 4, 2, 1, 1, 1));
    }

    [Fact]
    public void Factories_build_the_stated_padding()
    {
        Assert.Equal(Padding.Of(2, 2, 3, 3), Padding.Symmetric(2, 3));
        Padding all = 1;
        Assert.Equal(Padding.Of(1, 1, 1, 1), all);
        Assert.Equal(PaddingMode.Explicit, all.Mode);
        Assert.Equal(new Padding2D(1, 1, 1, 1), all.Explicit);
        Assert.Equal(PaddingMode.SameUpper, Padding.Same.Mode);
        Assert.Equal(PaddingMode.SameLower, Padding.SameLower.Mode);
        Assert.Equal(PaddingMode.Valid, Padding.Valid.Mode);
        Assert.Equal(Padding.Of(0, 0, 0, 0), default);
    }

    [Fact]
    public void Same_convolution_output_is_the_input_divided_by_the_stride_rounded_up()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 7], Gen.Int[1, 5], Gen.Int[1, 3]).Sample((size, kernel, stride, dilation) =>
        {
            var options = new Conv2DOptions(1, kernel) { Stride = stride, Dilation = dilation, Padding = Padding.Same };
            var geometry = Conv2DGeometry.Create(new TensorShape(1, 1, size, size), options);
            int expected = (size + stride - 1) / stride;
            Assert.Equal(expected, geometry.OutputShape.Height);
            Assert.Equal(expected, geometry.OutputShape.Width);
        }, iter: 500);
    }

    [Fact]
    public void TensorFlow_SAME_convolution_pads_the_extra_pixel_at_the_end()
    {
        // Row 1..6, a 1x3 kernel of ones, stride 2. SAME pads (0, 1): windows start at 0, 2, 4 and
        // sum 1+2+3 = 6, 3+4+5 = 12, 5+6+0 = 11. SAME_LOWER pads (1, 0): windows start at −1, 1, 3
        // and sum 0+1+2 = 3, 2+3+4 = 9, 4+5+6 = 15.
        var shape = new TensorShape(1, 1, 1, 6);
        float[] input = [1, 2, 3, 4, 5, 6];
        float[] ones = [1, 1, 1];
        var same = new Conv2DOptions(1, 1, 3) { StrideWidth = 2, Padding = Padding.Same };

        AssertConv(shape, same, input, ones, [6, 12, 11]);
        AssertConv(shape, same with { Padding = Padding.SameLower }, input, ones, [3, 9, 15]);
    }

    private static void AssertConv(TensorShape shape, Conv2DOptions options, float[] input, float[] filter, float[] expected)
    {
        float[] native = new float[expected.Length];
        Convolution.Conv2D(shape, options, input, filter, [], native);
        Assert.Equal(expected, native);

        float[] reference = new float[expected.Length];
        ReferenceConvolution.Conv2D(shape, options, input, filter, [], reference);
        Assert.Equal(expected, reference);
    }
}
