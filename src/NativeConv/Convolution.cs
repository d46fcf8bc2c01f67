using System.Numerics.Tensors;
using NativeConv.Interop;

namespace NativeConv;

/// <summary>One-shot 2-D convolution. To run the same convolution repeatedly, create a <see cref="Conv2DPlan"/> instead.</summary>
public static unsafe class Convolution
{
    /// <summary>Computes a 2-D convolution with PyTorch's <c>conv2d</c> semantics (plus activation and accumulation).</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="input"><see cref="Conv2DGeometry.InputLength"/> values in <see cref="Conv2DOptions.Layout"/>.</param>
    /// <param name="filter"><see cref="Conv2DGeometry.FilterLength"/> weights in <see cref="Conv2DOptions.FilterLayout"/>.</param>
    /// <param name="bias">Empty for no bias, else one value per output channel.</param>
    /// <param name="output">
    /// <see cref="Conv2DGeometry.OutputLength"/> values, overwritten; with <see cref="Conv2DOptions.Accumulate"/> their
    /// old contents are added before the activation. Must not overlap <paramref name="input"/>.
    /// </param>
    /// <param name="maxThreads">Thread cap; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxThreads"/> is negative, or a shape dimension or option is out of range (see <see cref="Conv2DGeometry.Create"/>).
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The shape and options break a rule (see <see cref="Conv2DGeometry.Create"/>), a buffer does not have exactly the
    /// length the geometry needs (<paramref name="bias"/> may also be empty), or <paramref name="input"/> and
    /// <paramref name="output"/> overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    /// <exception cref="OutOfMemoryException">The native library could not allocate its packed weights.</exception>
    public static void Conv2D(TensorShape inputShape, Conv2DOptions options, ReadOnlySpan<float> input,
        ReadOnlySpan<float> filter, ReadOnlySpan<float> bias, Span<float> output, int maxThreads = 0)
    {
        int threads = ThreadPoolExecutor.ResolveMaxThreads(maxThreads);
        Conv2DGeometry geometry = Conv2DGeometry.Create(inputShape, options);
        geometry.CheckWeights(filter, bias);
        geometry.CheckActivations(input, output);
        NativeLibraryGuard.EnsureInitialized();

        nc_conv2d_desc desc = NativeDescriptors.ToNative(geometry);
        nc_executor executor = ThreadPoolExecutor.Create(threads);
        nc_status status;
        fixed (float* pInput = input)
        fixed (float* pFilter = filter)
        fixed (float* pBias = bias)
        fixed (float* pOutput = output)
        {
            status = NativeMethods.nc_conv2d(&desc, pInput, (nuint)input.Length, pFilter, (nuint)filter.Length,
                pBias, (nuint)bias.Length, pOutput, (nuint)output.Length, threads > 1 ? &executor : null);
        }

        NativeStatus.ThrowIfFailed(status, desc);
    }

    /// <summary>
    /// Computes a 2-D convolution of a tensor whose lengths carry its shape, with up to
    /// <see cref="Environment.ProcessorCount"/> threads: (N, C, H, W) for <see cref="TensorLayout.Nchw"/> or
    /// (N, H, W, C) for <see cref="TensorLayout.Nhwc"/>, as <see cref="Conv2DOptions.Layout"/> says.
    /// </summary>
    /// <param name="input">A dense row-major rank-4 tensor.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="filter"><see cref="Conv2DGeometry.FilterLength"/> weights in <see cref="Conv2DOptions.FilterLayout"/>.</param>
    /// <param name="bias">Empty for no bias, else one value per output channel.</param>
    /// <param name="output">
    /// A dense row-major rank-4 tensor with the output's lengths in the same layout; overwritten (see
    /// <see cref="Conv2D(TensorShape, Conv2DOptions, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>
    /// for <see cref="Conv2DOptions.Accumulate"/>). Must not overlap <paramref name="input"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length or option is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// The layout is <see cref="TensorLayout.Nchw16c"/> (use the span overload); a tensor is not rank 4, dense and
    /// row-major; <paramref name="output"/>'s lengths are not the result's; the shape
    /// and options break a rule (see <see cref="Conv2DGeometry.Create"/>); a weight buffer has the wrong length; or the
    /// tensors overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    /// <exception cref="OutOfMemoryException">The native library could not allocate its packed weights.</exception>
    public static void Conv2D(ReadOnlyTensorSpan<float> input, Conv2DOptions options, ReadOnlySpan<float> filter,
        ReadOnlySpan<float> bias, TensorSpan<float> output) => Conv2D(input, options, filter, bias, output, 0);

    /// <summary>
    /// Computes a 2-D convolution of a tensor whose lengths carry its shape: (N, C, H, W) for
    /// <see cref="TensorLayout.Nchw"/> or (N, H, W, C) for <see cref="TensorLayout.Nhwc"/>, as <see cref="Conv2DOptions.Layout"/> says.
    /// </summary>
    /// <param name="input">A dense row-major rank-4 tensor.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="filter"><see cref="Conv2DGeometry.FilterLength"/> weights in <see cref="Conv2DOptions.FilterLayout"/>.</param>
    /// <param name="bias">Empty for no bias, else one value per output channel.</param>
    /// <param name="output">
    /// A dense row-major rank-4 tensor with the output's lengths in the same layout; overwritten (see
    /// <see cref="Conv2D(TensorShape, Conv2DOptions, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int)"/>
    /// for <see cref="Conv2DOptions.Accumulate"/>). Must not overlap <paramref name="input"/>.
    /// </param>
    /// <param name="maxThreads">Thread cap; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is negative, or a length or option is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// The layout is <see cref="TensorLayout.Nchw16c"/> (use the span overload); a tensor is not rank 4, dense and
    /// row-major; <paramref name="output"/>'s lengths are not the result's; the shape
    /// and options break a rule (see <see cref="Conv2DGeometry.Create"/>); a weight buffer has the wrong length; or the
    /// tensors overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    /// <exception cref="OutOfMemoryException">The native library could not allocate its packed weights.</exception>
    public static void Conv2D(ReadOnlyTensorSpan<float> input, Conv2DOptions options, ReadOnlySpan<float> filter,
        ReadOnlySpan<float> bias, TensorSpan<float> output, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(options);
        TensorShape inputShape = TensorSpans.Shape(input, options.Layout, nameof(input));
        Conv2DGeometry geometry = Conv2DGeometry.Create(inputShape, options);
        TensorSpans.CheckOutput(output, geometry.OutputShape, options.Layout);
        Conv2D(inputShape, options, TensorSpans.Flat(input), filter, bias, TensorSpans.Flat(output), maxThreads);
    }
}
