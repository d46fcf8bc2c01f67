namespace NativeConv.Reference;

/// <summary>
/// Obviously-correct 2-D convolution: one output element at a time, accumulated in double. Slow by design; it is
/// the yardstick the native kernels are tested against.
/// </summary>
public static class ReferenceConvolution
{
    /// <summary>Computes exactly what <see cref="Convolution.Conv2D(TensorShape, Conv2DOptions, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/> computes, with the same validation.</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="input">
    /// <see cref="Conv2DGeometry.InputLength"/> values in <see cref="Conv2DOptions.Layout"/>; in
    /// <see cref="TensorLayout.Nchw16c"/> the padding lanes are never read.
    /// </param>
    /// <param name="filter"><see cref="Conv2DGeometry.FilterLength"/> weights in <see cref="Conv2DOptions.FilterLayout"/>.</param>
    /// <param name="bias">Empty for no bias, else one value per output channel.</param>
    /// <param name="output">
    /// <see cref="Conv2DGeometry.OutputLength"/> values, overwritten; with <see cref="Conv2DOptions.Accumulate"/> their
    /// old contents are added before the activation. Must not overlap <paramref name="input"/>. In
    /// <see cref="TensorLayout.Nchw16c"/> the padding lanes are set to zero.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A shape dimension or option is out of range (see <see cref="Conv2DGeometry.Create"/>).</exception>
    /// <exception cref="ArgumentException">
    /// The shape and options break a rule (see <see cref="Conv2DGeometry.Create"/>), a buffer does not have exactly the
    /// length the geometry needs (<paramref name="bias"/> may also be empty), or <paramref name="input"/> and
    /// <paramref name="output"/> overlap.
    /// </exception>
    public static void Conv2D(TensorShape inputShape, Conv2DOptions options, ReadOnlySpan<float> input,
        ReadOnlySpan<float> filter, ReadOnlySpan<float> bias, Span<float> output)
    {
        Conv2DGeometry geometry = Conv2DGeometry.Create(inputShape, options);
        geometry.CheckWeights(filter, bias);
        geometry.CheckActivations(input, output);

        TensorShape outShape = geometry.OutputShape;
        Padding2D padding = geometry.Padding;
        int channelsPerGroup = inputShape.Channels / options.Groups;
        int outChannelsPerGroup = options.OutChannels / options.Groups;

        // Window positions are computed in long: with extreme padding and strides they can leave the int range even
        // though every buffer index fits.
        for (int n = 0; n < outShape.Batch; n++)
        {
            for (int k = 0; k < outShape.Channels; k++)
            {
                int firstChannel = (k / outChannelsPerGroup) * channelsPerGroup;
                for (int p = 0; p < outShape.Height; p++)
                {
                    for (int q = 0; q < outShape.Width; q++)
                    {
                        double sum = 0;
                        for (int c = 0; c < channelsPerGroup; c++)
                        {
                            for (int r = 0; r < options.KernelHeight; r++)
                            {
                                long h = ((long)p * options.StrideHeight) - padding.Top + ((long)r * options.DilationHeight);
                                for (int s = 0; s < options.KernelWidth; s++)
                                {
                                    long w = ((long)q * options.StrideWidth) - padding.Left + ((long)s * options.DilationWidth);
                                    // Padding is a real zero, as PyTorch's zero fill: 0 * Inf and 0 * NaN give NaN.
                                    bool inside = h >= 0 && h < inputShape.Height && w >= 0 && w < inputShape.Width;
                                    float x = inside ? input[ReferenceLayout.Index(options.Layout, inputShape, n, firstChannel + c, (int)h, (int)w)] : 0f;
                                    float weight = filter[FilterIndex(options, channelsPerGroup, k, c, r, s)];
                                    sum += (double)x * weight;
                                }
                            }
                        }

                        int o = ReferenceLayout.Index(options.Layout, outShape, n, k, p, q);
                        if (!bias.IsEmpty)
                        {
                            sum += bias[k];
                        }

                        if (options.Accumulate)
                        {
                            sum += output[o];
                        }

                        output[o] = ReferenceActivation.Apply(options.Activation, (float)sum);
                    }
                }
            }
        }

        // Accumulate reads real lanes only, so the old contents of padding lanes never reach a result.
        ReferenceLayout.ZeroPaddingLanes(options.Layout, outShape, output);
    }

    // c is the input channel within the group, which is the filter's second dimension in both layouts.
    private static int FilterIndex(Conv2DOptions options, int channelsPerGroup, int k, int c, int r, int s) =>
        options.FilterLayout == FilterLayout.Oihw
            ? (((((k * channelsPerGroup) + c) * options.KernelHeight) + r) * options.KernelWidth) + s
            : (((((r * options.KernelWidth) + s) * channelsPerGroup) + c) * options.OutChannels) + k;
}
