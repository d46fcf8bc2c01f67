using System.Numerics.Tensors;
using NativeConv.Interop;

namespace NativeConv;

/// <summary>One-shot 2-D pooling. To run the same pooling repeatedly, create a <see cref="Pool2DPlan"/> instead.</summary>
public static unsafe class Pooling
{
    /// <summary>Computes a 2-D max or average pooling with PyTorch's <c>max_pool2d</c>/<c>avg_pool2d</c> semantics.</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="input"><see cref="Pool2DGeometry.InputLength"/> values in <see cref="Pool2DOptions.Layout"/>.</param>
    /// <param name="output"><see cref="Pool2DGeometry.OutputLength"/> values, overwritten. Must not overlap <paramref name="input"/>.</param>
    /// <param name="maxThreads">Thread cap; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxThreads"/> is negative, or a shape dimension or option is out of range (see <see cref="Pool2DGeometry.Create"/>).
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The shape and options break a rule (see <see cref="Pool2DGeometry.Create"/>), a buffer does not have exactly the
    /// length the geometry needs, or <paramref name="input"/> and <paramref name="output"/> overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void Pool2D(TensorShape inputShape, Pool2DOptions options, ReadOnlySpan<float> input,
        Span<float> output, int maxThreads = 0)
    {
        int threads = ThreadPoolExecutor.ResolveMaxThreads(maxThreads);
        Pool2DGeometry geometry = Pool2DGeometry.Create(inputShape, options);
        geometry.CheckActivations(input, output);
        NativeLibraryGuard.EnsureInitialized();

        nc_pool2d_desc desc = NativeDescriptors.ToNative(geometry);
        nc_executor executor = ThreadPoolExecutor.Create(threads);
        nc_status status;
        fixed (float* pInput = input)
        fixed (float* pOutput = output)
        {
            status = NativeMethods.nc_pool2d(&desc, pInput, (nuint)input.Length, pOutput, (nuint)output.Length,
                threads > 1 ? &executor : null);
        }

        NativeStatus.ThrowIfFailed(status, desc);
    }

    /// <summary>
    /// Pools a tensor whose lengths carry its shape, with up to <see cref="Environment.ProcessorCount"/> threads:
    /// (N, C, H, W) for <see cref="TensorLayout.Nchw"/> or (N, H, W, C) for <see cref="TensorLayout.Nhwc"/>, as
    /// <see cref="Pool2DOptions.Layout"/> says.
    /// </summary>
    /// <param name="input">A dense row-major rank-4 tensor.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="output">
    /// A dense row-major rank-4 tensor with the output's lengths in the same layout; overwritten. Must not overlap
    /// <paramref name="input"/>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length or option is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// The layout is <see cref="TensorLayout.Nchw16c"/> (use the span overload); a tensor is not rank 4, dense and
    /// row-major; <paramref name="output"/>'s lengths are not the result's; the shape
    /// and options break a rule (see <see cref="Pool2DGeometry.Create"/>); or the tensors overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void Pool2D(ReadOnlyTensorSpan<float> input, Pool2DOptions options, TensorSpan<float> output) =>
        Pool2D(input, options, output, 0);

    /// <summary>
    /// Pools a tensor whose lengths carry its shape: (N, C, H, W) for <see cref="TensorLayout.Nchw"/> or (N, H, W, C)
    /// for <see cref="TensorLayout.Nhwc"/>, as <see cref="Pool2DOptions.Layout"/> says.
    /// </summary>
    /// <param name="input">A dense row-major rank-4 tensor.</param>
    /// <param name="options">What to compute.</param>
    /// <param name="output">
    /// A dense row-major rank-4 tensor with the output's lengths in the same layout; overwritten. Must not overlap
    /// <paramref name="input"/>.
    /// </param>
    /// <param name="maxThreads">Thread cap; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is negative, or a length or option is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// The layout is <see cref="TensorLayout.Nchw16c"/> (use the span overload); a tensor is not rank 4, dense and
    /// row-major; <paramref name="output"/>'s lengths are not the result's; the shape
    /// and options break a rule (see <see cref="Pool2DGeometry.Create"/>); or the tensors overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void Pool2D(ReadOnlyTensorSpan<float> input, Pool2DOptions options, TensorSpan<float> output, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(options);
        TensorShape inputShape = TensorSpans.Shape(input, options.Layout, nameof(input));
        Pool2DGeometry geometry = Pool2DGeometry.Create(inputShape, options);
        TensorSpans.CheckOutput(output, geometry.OutputShape, options.Layout);
        Pool2D(inputShape, options, TensorSpans.Flat(input), TensorSpans.Flat(output), maxThreads);
    }
}
