using System.Buffers;

namespace NativeConv;

/// <summary>
/// Classic image filtering: a <see cref="Kernel2D"/> slid over every channel of a tensor on its own (a depthwise
/// convolution computed by the native library), and the Sobel gradient magnitude.
/// </summary>
/// <remarks>
/// Pixels outside the image read as zero, so blurs darken a border as wide as the padding. With the default
/// <see cref="Padding.Same"/> and stride 1 the output has the input's shape.
/// </remarks>
public static class Filters
{
    /// <summary>The shape <see cref="Apply"/> produces: the channels of <paramref name="inputShape"/>, the spatial size given by the padding.</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="kernel">The filter.</param>
    /// <param name="padding">Padding around each channel; null means <see cref="Padding.Same"/> (output as large as the input).</param>
    /// <returns>The output shape, (N, C, P, Q).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kernel"/> is null.</exception>
    /// <exception cref="ArgumentException">The shape or padding is invalid (see <see cref="Conv2DGeometry.Create"/>).</exception>
    public static TensorShape GetOutputShape(TensorShape inputShape, Kernel2D kernel, Padding? padding = null) =>
        Geometry(inputShape, kernel, padding, TensorLayout.Nchw, 1).OutputShape;

    /// <summary>Filters every channel of <paramref name="input"/> with <paramref name="kernel"/> (a depthwise convolution, no bias).</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="input">The tensor in <paramref name="layout"/>: <see cref="TensorShape.ElementCountIn"/>(<paramref name="layout"/>) values.</param>
    /// <param name="kernel">The filter, applied as a cross-correlation (see <see cref="Kernel2D"/>).</param>
    /// <param name="output">
    /// The filtered tensor in <paramref name="layout"/>, shaped as <see cref="GetOutputShape"/> says (the input's
    /// shape with the default padding); overwritten. Must not overlap <paramref name="input"/>.
    /// </param>
    /// <param name="padding">Padding around each channel; null means <see cref="Padding.Same"/>.</param>
    /// <param name="layout">Memory order of input and output.</param>
    /// <param name="maxThreads">Thread cap; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="kernel"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is negative, or a shape dimension is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// The shape, padding or layout is invalid, a buffer does not have exactly the length the shape needs, or
    /// <paramref name="input"/> and <paramref name="output"/> overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void Apply(TensorShape inputShape, ReadOnlySpan<float> input, Kernel2D kernel, Span<float> output,
        Padding? padding = null, TensorLayout layout = TensorLayout.Nchw, int maxThreads = 0)
    {
        Conv2DGeometry geometry = Geometry(inputShape, kernel, padding, layout, 1);
        float[] filter = Replicate([kernel], inputShape.Channels);
        Convolution.Conv2D(inputShape, geometry.Options, input, filter, [], output, maxThreads);
    }

    /// <summary>
    /// The Sobel gradient magnitude <c>sqrt(gx² + gy²)</c> of every channel, where gx and gy are the responses to
    /// <see cref="Kernel2D.SobelX"/> and <see cref="Kernel2D.SobelY"/>; both are computed by one native call.
    /// </summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="input">The tensor in <paramref name="layout"/>: <see cref="TensorShape.ElementCountIn"/>(<paramref name="layout"/>) values.</param>
    /// <param name="output">
    /// The magnitudes in <paramref name="layout"/>, shaped as <see cref="GetOutputShape"/> says for a 3×3 kernel;
    /// overwritten. Must not overlap <paramref name="input"/>.
    /// </param>
    /// <param name="padding">Padding around each channel; null means <see cref="Padding.Same"/>.</param>
    /// <param name="layout">Memory order of input and output.</param>
    /// <param name="maxThreads">Thread cap; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is negative, or a shape dimension is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// The shape, padding or layout is invalid, a buffer does not have exactly the length the shape needs, or
    /// <paramref name="input"/> and <paramref name="output"/> overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void GradientMagnitude(TensorShape inputShape, ReadOnlySpan<float> input, Span<float> output,
        Padding? padding = null, TensorLayout layout = TensorLayout.Nchw, int maxThreads = 0)
    {
        // Two output channels per input channel (groups = C): channel 2c is gx of channel c and 2c + 1 its gy.
        Conv2DGeometry geometry = Geometry(inputShape, Kernel2D.SobelX, padding, layout, 2);
        TensorShape outputShape = geometry.OutputShape with { Channels = inputShape.Channels };
        // At most the gradients' length, which the geometry has checked fits in an int.
        int outputLength = (int)outputShape.ElementCountIn(layout);
        GeometryChecks.Length(output.Length, outputLength, nameof(output), layout);
        GeometryChecks.NoOverlap(input, output);

        float[] filter = Replicate([Kernel2D.SobelX, Kernel2D.SobelY], inputShape.Channels);
        float[] gradients = ArrayPool<float>.Shared.Rent(geometry.OutputLength);
        try
        {
            Span<float> both = gradients.AsSpan(0, geometry.OutputLength);
            Convolution.Conv2D(inputShape, geometry.Options, input, filter, [], both, maxThreads);
            if (layout == TensorLayout.Nhwc)
            {
                // Every pixel holds [gx0, gy0, gx1, gy1, ...]: the pairs are adjacent.
                for (int i = 0; i < output.Length; i++)
                {
                    output[i] = Hypot(both[2 * i], both[(2 * i) + 1]);
                }
            }
            else if (layout == TensorLayout.Nchw16c)
            {
                BlockedMagnitudes(both, output, outputShape);
            }
            else
            {
                // Every image holds planes gx0, gy0, gx1, gy1, ...: the pairs are a plane apart.
                int plane = outputShape.Height * outputShape.Width;
                for (int image = 0; image < outputShape.Batch * outputShape.Channels; image++)
                {
                    Span<float> gx = both.Slice(2 * image * plane, plane);
                    Span<float> gy = both.Slice(((2 * image) + 1) * plane, plane);
                    Span<float> magnitude = output.Slice(image * plane, plane);
                    for (int i = 0; i < plane; i++)
                    {
                        magnitude[i] = Hypot(gx[i], gy[i]);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(gradients);
        }
    }

    private static float Hypot(float x, float y) => MathF.Sqrt((x * x) + (y * y));

    // gx and gy of channel c are channels 2c and 2c + 1 of the gradients, in their own blocks; the output's lanes past
    // its last channel are cleared first and stay zero, as the layout requires.
    private static void BlockedMagnitudes(ReadOnlySpan<float> both, Span<float> output, TensorShape shape)
    {
        TensorShape gradients = shape with { Channels = 2 * shape.Channels };
        output.Clear();
        for (int n = 0; n < shape.Batch; n++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                for (int h = 0; h < shape.Height; h++)
                {
                    for (int w = 0; w < shape.Width; w++)
                    {
                        float gx = both[LayoutIndex.Of(TensorLayout.Nchw16c, gradients, n, 2 * c, h, w)];
                        float gy = both[LayoutIndex.Of(TensorLayout.Nchw16c, gradients, n, (2 * c) + 1, h, w)];
                        output[LayoutIndex.Of(TensorLayout.Nchw16c, shape, n, c, h, w)] = Hypot(gx, gy);
                    }
                }
            }
        }
    }

    private static Conv2DGeometry Geometry(TensorShape inputShape, Kernel2D kernel, Padding? padding, TensorLayout layout, int outputsPerChannel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (inputShape.Channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputShape), inputShape.Channels, $"Channels ({inputShape.Channels}) must be at least 1.");
        }

        var options = new Conv2DOptions(checked(inputShape.Channels * outputsPerChannel), kernel.Height, kernel.Width)
        {
            Groups = inputShape.Channels,
            Padding = padding ?? Padding.Same,
            Layout = layout,
            FilterLayout = FilterLayout.Oihw,
        };
        return Conv2DGeometry.Create(inputShape, options);
    }

    // OIHW for groups = C: [C · kernels.Length][1][R][S], the kernels repeated for each channel in turn.
    private static float[] Replicate(ReadOnlySpan<Kernel2D> kernels, int channels)
    {
        int size = kernels[0].Values.Length;
        var filter = new float[checked(channels * kernels.Length * size)];
        for (int c = 0; c < channels; c++)
        {
            for (int k = 0; k < kernels.Length; k++)
            {
                kernels[k].Values.CopyTo(filter.AsSpan(((c * kernels.Length) + k) * size, size));
            }
        }

        return filter;
    }
}
