namespace NativeConv.Tests;

/// <summary>
/// Output shapes and buffer sizes against PyTorch's formulas worked out by hand:
/// conv out = floor((in + pad_begin + pad_end − (k − 1)·d − 1) / stride) + 1; pooling the same with
/// ceil mode adding stride − 1 before dividing, and dropping a last window that would start in the
/// end padding ((out − 1)·stride ≥ in + pad_begin).
/// </summary>
public sealed class GeometryTests
{
    [Fact]
    public void Conv_with_every_parameter_different_per_axis()
    {
        // H: (10 + 1 + 0 − (3−1)·2 − 1) / 2 + 1 = 6/2 + 1 = 4.  W: (12 + 2 + 1 − 5) / 3 + 1 = 10/3 + 1 = 4.
        var options = new Conv2DOptions(4, 3, 5)
        {
            StrideHeight = 2,
            StrideWidth = 3,
            Padding = Padding.Of(1, 0, 2, 1),
            DilationHeight = 2,
        };
        var geometry = Conv2DGeometry.Create(new TensorShape(2, 3, 10, 12), options);

        Assert.Equal(new TensorShape(2, 4, 4, 4), geometry.OutputShape);
        Assert.Equal(new Padding2D(1, 0, 2, 1), geometry.Padding);
        Assert.Equal(2 * 3 * 10 * 12, geometry.InputLength);
        Assert.Equal(4 * 3 * 3 * 5, geometry.FilterLength);
        Assert.Equal(4, geometry.BiasLength);
        Assert.Equal(2 * 4 * 4 * 4, geometry.OutputLength);
        Assert.Equal(2L * 2 * 4 * 3 * 3 * 5 * 4 * 4, geometry.Flops);
        Assert.Same(options, geometry.Options);
    }

    [Fact]
    public void Grouped_conv_filters_see_a_slice_of_the_channels()
    {
        // 6 channels in 2 groups: each of the 4 filters sees 3 channels. Out (7 − 3) + 1 = 5.
        var geometry = Conv2DGeometry.Create(new TensorShape(1, 6, 7, 7), new Conv2DOptions(4, 3) { Groups = 2 });
        Assert.Equal(new TensorShape(1, 4, 5, 5), geometry.OutputShape);
        Assert.Equal(4 * 3 * 3 * 3, geometry.FilterLength);
        Assert.Equal(2L * 4 * 3 * 3 * 3 * 5 * 5, geometry.Flops);
    }

    [Fact]
    public void Depthwise_conv_with_a_channel_multiplier()
    {
        // 3 channels, 3 groups, 2 filters per channel; out (8 + 2 − 3) / 2 + 1 = 4.
        var geometry = Conv2DGeometry.Create(new TensorShape(1, 3, 8, 8), new Conv2DOptions(6, 3) { Groups = 3, Stride = 2, Padding = 1 });
        Assert.Equal(new TensorShape(1, 6, 4, 4), geometry.OutputShape);
        Assert.Equal(6 * 1 * 3 * 3, geometry.FilterLength);
        Assert.Equal(2L * 6 * 1 * 3 * 3 * 4 * 4, geometry.Flops);
    }

    [Fact]
    public void Empty_batch_has_empty_buffers_but_real_weights()
    {
        var geometry = Conv2DGeometry.Create(new TensorShape(0, 3, 8, 8), new Conv2DOptions(2, 3));
        Assert.Equal(new TensorShape(0, 2, 6, 6), geometry.OutputShape);
        Assert.Equal(0, geometry.InputLength);
        Assert.Equal(0, geometry.OutputLength);
        Assert.Equal(2 * 3 * 3 * 3, geometry.FilterLength);
        Assert.Equal(0, geometry.Flops);
    }

    [Fact]
    public void Conv_same_padding_is_resolved_into_the_geometry()
    {
        var shape = new TensorShape(1, 1, 6, 6);
        var same = Conv2DGeometry.Create(shape, new Conv2DOptions(1, 3) { Stride = 2, Padding = Padding.Same });
        Assert.Equal(new Padding2D(0, 1, 0, 1), same.Padding);
        Assert.Equal(new TensorShape(1, 1, 3, 3), same.OutputShape);

        var lower = Conv2DGeometry.Create(shape, new Conv2DOptions(1, 3) { Stride = 2, Padding = Padding.SameLower });
        Assert.Equal(new Padding2D(1, 0, 1, 0), lower.Padding);
        Assert.Equal(new TensorShape(1, 1, 3, 3), lower.OutputShape);
    }

    [Fact]
    public void Kernel_exactly_as_large_as_the_padded_input_gives_one_output()
    {
        var geometry = Conv2DGeometry.Create(new TensorShape(1, 1, 3, 1), new Conv2DOptions(1, 5, 3) { Padding = 1 });
        Assert.Equal(new TensorShape(1, 1, 1, 1), geometry.OutputShape);
    }

    [Theory]
    // in, kernel, stride, pad, dilation, ceil, out
    [InlineData(7, 3, 2, 0, 1, false, 3)]  // (7 − 3)/2 + 1
    [InlineData(7, 3, 2, 0, 1, true, 3)]   // (7 − 3 + 1)/2 + 1 = 2 + 1
    [InlineData(5, 2, 2, 0, 1, false, 2)]  // (5 − 2)/2 + 1 = 1 + 1
    [InlineData(5, 2, 2, 0, 1, true, 3)]   // ceil adds a window: (5 − 2 + 1)/2 + 1 = 3; it starts at 4 < 5
    [InlineData(5, 2, 2, 1, 1, false, 3)]  // (5 + 2 − 2)/2 + 1 = 2 + 1
    [InlineData(5, 2, 2, 1, 1, true, 3)]   // ceil gives (5 + 2 − 2 + 1)/2 + 1 = 4, but (4 − 1)·2 = 6 ≥ 5 + 1: dropped
    [InlineData(3, 2, 2, 1, 1, true, 2)]   // ceil gives 3, but (3 − 1)·2 = 4 ≥ 3 + 1: dropped
    [InlineData(6, 3, 2, 1, 1, false, 3)]  // (6 + 2 − 3)/2 + 1 = 2 + 1
    [InlineData(6, 3, 2, 1, 1, true, 4)]   // (6 + 2 − 3 + 1)/2 + 1 = 4; (4 − 1)·2 = 6 < 7: kept
    [InlineData(7, 3, 1, 0, 2, false, 3)]  // dilated span 5: (7 − 5) + 1
    [InlineData(10, 3, 3, 1, 2, false, 3)] // span 5: (10 + 2 − 5)/3 + 1 = 2 + 1
    [InlineData(10, 3, 3, 1, 2, true, 4)]  // (10 + 2 − 5 + 2)/3 + 1 = 4; (4 − 1)·3 = 9 < 11: kept
    [InlineData(2, 3, 2, 0, 1, true, 1)]   // window larger than the input: (2 − 3 + 1)/2 + 1 = 1
    public void Pool_output_follows_the_PyTorch_formula(int size, int kernel, int stride, int pad, int dilation, bool ceil, int expected)
    {
        var tall = new Pool2DOptions(PoolKind.Max, kernel, 1)
        {
            StrideHeight = stride,
            Padding = Padding.Of(pad, pad, 0, 0),
            DilationHeight = dilation,
            CeilMode = ceil,
        };
        Assert.Equal(new TensorShape(1, 2, expected, 3), Pool2DGeometry.Create(new TensorShape(1, 2, size, 3), tall).OutputShape);

        var wide = new Pool2DOptions(PoolKind.Max, 1, kernel)
        {
            StrideWidth = stride,
            Padding = Padding.Of(0, 0, pad, pad),
            DilationWidth = dilation,
            CeilMode = ceil,
        };
        Assert.Equal(new TensorShape(1, 2, 3, expected), Pool2DGeometry.Create(new TensorShape(1, 2, 3, size), wide).OutputShape);
    }

    [Fact]
    public void Pool_stride_defaults_to_the_kernel()
    {
        var options = new Pool2DOptions(PoolKind.Average, 3, 2);
        Assert.Equal(3, options.StrideHeight);
        Assert.Equal(2, options.StrideWidth);
        // H: (9 − 3)/3 + 1 = 3.  W: (10 − 2)/2 + 1 = 5.
        var geometry = Pool2DGeometry.Create(new TensorShape(2, 4, 9, 10), options);
        Assert.Equal(new TensorShape(2, 4, 3, 5), geometry.OutputShape);
        Assert.Equal(2 * 4 * 9 * 10, geometry.InputLength);
        Assert.Equal(2 * 4 * 3 * 5, geometry.OutputLength);
    }

    [Fact]
    public void Global_pooling_ignores_the_window_options()
    {
        var geometry = Pool2DGeometry.Create(new TensorShape(2, 3, 5, 7), Pool2DOptions.GlobalAverage with { KernelHeight = 9, Padding = 4 });
        Assert.Equal(new TensorShape(2, 3, 1, 1), geometry.OutputShape);
        Assert.Equal(6, geometry.OutputLength);
        Assert.Equal(210, geometry.InputLength);
        Assert.True(Pool2DOptions.GlobalMax.Global);
        Assert.Equal(PoolKind.Max, Pool2DOptions.GlobalMax.Kind);
    }

    [Fact]
    public void Pool_same_padding_is_resolved_into_the_geometry()
    {
        // 7 wide, kernel 2, stride 2: out 4, total 6 + 2 − 7 = 1 → (0, 1) for SAME.
        var geometry = Pool2DGeometry.Create(new TensorShape(1, 1, 7, 7), new Pool2DOptions(PoolKind.Max, 2) { Padding = Padding.Same });
        Assert.Equal(new Padding2D(0, 1, 0, 1), geometry.Padding);
        Assert.Equal(new TensorShape(1, 1, 4, 4), geometry.OutputShape);
    }

    [Fact]
    public void Element_count_is_a_checked_long()
    {
        Assert.Equal(2L * 65536 * 65536, new TensorShape(1, 2, 65536, 65536).ElementCount);
        Assert.Equal(0L, new TensorShape(0, 5, 5, 5).ElementCount);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 16)]
    [InlineData(2, 3, 4, 5, 2 * 16 * 4 * 5)]
    [InlineData(2, 16, 4, 5, 2 * 16 * 4 * 5)]
    [InlineData(2, 17, 4, 5, 2 * 32 * 4 * 5)]
    [InlineData(3, 33, 7, 1, 3 * 48 * 7)]
    [InlineData(0, 5, 5, 5, 0)]
    public void Element_count_in_nchw16c_pads_the_channels_to_whole_blocks(int batch, int channels, int height, int width, long expected)
    {
        var shape = new TensorShape(batch, channels, height, width);
        Assert.Equal(expected, shape.ElementCountIn(TensorLayout.Nchw16c));
        Assert.Equal(shape.ElementCount, shape.ElementCountIn(TensorLayout.Nchw));
        Assert.Equal(shape.ElementCount, shape.ElementCountIn(TensorLayout.Nhwc));
    }

    [Fact]
    public void Element_count_in_rejects_an_undefined_layout_and_negative_channels_and_is_checked()
    {
        var shape = new TensorShape(1, 3, 4, 4);
        Assert.Equal("layout", Assert.Throws<ArgumentOutOfRangeException>(() => shape.ElementCountIn((TensorLayout)3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => (shape with { Channels = -1 }).ElementCountIn(TensorLayout.Nchw16c));
        // int.MaxValue channels round up to 2^31, which still multiplies without overflow in long.
        Assert.Equal(1L << 31, new TensorShape(1, int.MaxValue, 1, 1).ElementCountIn(TensorLayout.Nchw16c));
        Assert.Throws<OverflowException>(() => new TensorShape(int.MaxValue, int.MaxValue, int.MaxValue, 2).ElementCountIn(TensorLayout.Nchw16c));
    }

    [Fact]
    public void Blocked_geometries_count_padded_buffers_but_logical_flops()
    {
        // 17 input channels take two blocks (32 lanes), 20 output channels two blocks as well.
        var input = new TensorShape(2, 17, 6, 5);
        var options = new Conv2DOptions(20, 3) { Padding = 1, Layout = TensorLayout.Nchw16c };
        var geometry = Conv2DGeometry.Create(input, options);
        Assert.Equal(new TensorShape(2, 20, 6, 5), geometry.OutputShape);
        Assert.Equal(2 * 32 * 6 * 5, geometry.InputLength);
        Assert.Equal(2 * 32 * 6 * 5, geometry.OutputLength);
        Assert.Equal(20 * 17 * 3 * 3, geometry.FilterLength);
        Assert.Equal(Conv2DGeometry.Create(input, options with { Layout = TensorLayout.Nchw }).Flops, geometry.Flops);

        var pool = Pool2DGeometry.Create(new TensorShape(1, 33, 8, 8), new Pool2DOptions(PoolKind.Max, 2) { Layout = TensorLayout.Nchw16c });
        Assert.Equal(48 * 8 * 8, pool.InputLength);
        Assert.Equal(48 * 4 * 4, pool.OutputLength);
        var global = Pool2DGeometry.Create(new TensorShape(3, 5, 8, 8), Pool2DOptions.GlobalAverage with { Layout = TensorLayout.Nchw16c });
        Assert.Equal(3 * 16, global.OutputLength);
    }
}
