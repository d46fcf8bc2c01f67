namespace NativeConv.Reference;

/// <summary>
/// Obviously-correct 2-D pooling: one output element at a time, averages accumulated in double, the activation
/// applied to each pooled value. Slow by design; it is the yardstick the native kernels are tested against.
/// </summary>
public static class ReferencePooling
{
    /// <summary>Computes exactly what <see cref="Pooling.Pool2D(TensorShape, Pool2DOptions, ReadOnlySpan{float}, Span{float}, int)"/> computes, with the same validation.</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="input">
    /// <see cref="Pool2DGeometry.InputLength"/> values in <see cref="Pool2DOptions.Layout"/>; in
    /// <see cref="TensorLayout.Nchw16c"/> the padding lanes are never read.
    /// </param>
    /// <param name="output">
    /// <see cref="Pool2DGeometry.OutputLength"/> values, overwritten; in <see cref="TensorLayout.Nchw16c"/> the padding
    /// lanes are set to zero. Must not overlap <paramref name="input"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A shape dimension or option is out of range (see <see cref="Pool2DGeometry.Create"/>).</exception>
    /// <exception cref="ArgumentException">
    /// The shape and options break a rule (see <see cref="Pool2DGeometry.Create"/>), a buffer does not have exactly the
    /// length the geometry needs, or <paramref name="input"/> and <paramref name="output"/> overlap.
    /// </exception>
    public static void Pool2D(TensorShape inputShape, Pool2DOptions options, ReadOnlySpan<float> input, Span<float> output)
    {
        Pool2DGeometry geometry = Pool2DGeometry.Create(inputShape, options);
        geometry.CheckActivations(input, output);

        TensorShape outShape = geometry.OutputShape;
        for (int n = 0; n < outShape.Batch; n++)
        {
            for (int c = 0; c < outShape.Channels; c++)
            {
                for (int p = 0; p < outShape.Height; p++)
                {
                    for (int q = 0; q < outShape.Width; q++)
                    {
                        float pooled = options.Kind == PoolKind.Max
                            ? MaxWindow(geometry, input, n, c, p, q)
                            : AverageWindow(geometry, input, n, c, p, q);
                        output[ReferenceLayout.Index(options.Layout, outShape, n, c, p, q)] =
                            ReferenceActivation.Apply(options.Activation, pooled);
                    }
                }
            }
        }

        ReferenceLayout.ZeroPaddingLanes(options.Layout, outShape, output);
    }

    // Only real input taps are visited, so padding can never win; NaN wins over everything. Window positions are
    // computed in long because extreme padding and strides can take them out of the int range of the indices.
    private static float MaxWindow(Pool2DGeometry geometry, ReadOnlySpan<float> input, int n, int c, int p, int q)
    {
        TensorShape shape = geometry.InputShape;
        float max = float.NegativeInfinity;
        for (int r = 0; r < geometry.KernelHeight; r++)
        {
            long h = ((long)p * geometry.StrideHeight) - geometry.Padding.Top + ((long)r * geometry.DilationHeight);
            if (h < 0 || h >= shape.Height)
            {
                continue;
            }

            for (int s = 0; s < geometry.KernelWidth; s++)
            {
                long w = ((long)q * geometry.StrideWidth) - geometry.Padding.Left + ((long)s * geometry.DilationWidth);
                if (w < 0 || w >= shape.Width)
                {
                    continue;
                }

                float x = input[ReferenceLayout.Index(geometry.Options.Layout, shape, n, c, (int)h, (int)w)];
                if (float.IsNaN(x))
                {
                    return x;
                }

                if (x > max)
                {
                    max = x;
                }
            }
        }

        return max;
    }

    // PyTorch's avg_pool2d: the window is first clipped to the padded input [-pad_begin, in + pad_end), which is the
    // count_include_pad divisor, then to the real input, whose size is the other divisor. Dilation is always 1 here,
    // and positions are in long as in MaxWindow.
    private static float AverageWindow(Pool2DGeometry geometry, ReadOnlySpan<float> input, int n, int c, int p, int q)
    {
        TensorShape shape = geometry.InputShape;
        Padding2D padding = geometry.Padding;
        long top = ((long)p * geometry.StrideHeight) - padding.Top;
        long left = ((long)q * geometry.StrideWidth) - padding.Left;
        long bottom = Math.Min(top + geometry.KernelHeight, (long)shape.Height + padding.Bottom);
        long right = Math.Min(left + geometry.KernelWidth, (long)shape.Width + padding.Right);
        long paddedWindow = (bottom - top) * (right - left);

        top = Math.Max(top, 0);
        left = Math.Max(left, 0);
        bottom = Math.Min(bottom, shape.Height);
        right = Math.Min(right, shape.Width);

        double sum = 0;
        for (int h = (int)top; h < bottom; h++)
        {
            for (int w = (int)left; w < right; w++)
            {
                sum += input[ReferenceLayout.Index(geometry.Options.Layout, shape, n, c, h, w)];
            }
        }

        long divisor = geometry.Options.CountIncludePad ? paddedWindow : (bottom - top) * (right - left);
        return (float)(sum / divisor);
    }
}
