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
}
