using NativeConv.Interop;

namespace NativeConv;

/// <summary>
/// Layout conversion computed by the native library: activations between any two of <see cref="TensorLayout.Nchw"/>,
/// <see cref="TensorLayout.Nhwc"/> and <see cref="TensorLayout.Nchw16c"/> (a blocked SIMD transpose of every image, at
/// close to memory speed), and convolution weights between <see cref="FilterLayout.Oihw"/> and <see cref="FilterLayout.Hwio"/>.
/// </summary>
/// <remarks>
/// Converting to the same layout copies. The destination is overwritten and must not overlap the source. Into
/// <see cref="TensorLayout.Nchw16c"/> the padding lanes are written as zeros; out of it they are never read.
/// </remarks>
public static unsafe class Reorder
{
    /// <summary>Copies an activation tensor from one memory order to another.</summary>
    /// <param name="shape">The tensor's logical shape, (N, C, H, W) whatever the layouts.</param>
    /// <param name="from">Memory order of <paramref name="source"/>.</param>
    /// <param name="to">Memory order to write <paramref name="destination"/> in.</param>
    /// <param name="source">The tensor in <paramref name="from"/>: <see cref="TensorShape.ElementCountIn"/>(<paramref name="from"/>) values.</param>
    /// <param name="destination">
    /// <see cref="TensorShape.ElementCountIn"/>(<paramref name="to"/>) values, overwritten with the tensor in <paramref name="to"/>.
    /// </param>
    /// <param name="maxThreads">Thread cap; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxThreads"/> is negative, a layout is not a defined value, the batch is negative, or another
    /// dimension of <paramref name="shape"/> is below 1.
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The tensor has more elements than a span can hold, a buffer does not have exactly the element count of the shape
    /// in its layout (N·C·H·W, or N·⌈C/16⌉·H·W·16 for <see cref="TensorLayout.Nchw16c"/>), or
    /// <paramref name="source"/> and <paramref name="destination"/> overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void Activations(TensorShape shape, TensorLayout from, TensorLayout to, ReadOnlySpan<float> source,
        Span<float> destination, int maxThreads = 0)
    {
        int threads = ThreadPoolExecutor.ResolveMaxThreads(maxThreads);
        Defined(from, nameof(from));
        Defined(to, nameof(to));
        GeometryChecks.AtLeast(shape.Batch, 0, "Batch", nameof(shape));
        GeometryChecks.AtLeast(shape.Channels, 1, "Channels", nameof(shape));
        GeometryChecks.AtLeast(shape.Height, 1, "Height", nameof(shape));
        GeometryChecks.AtLeast(shape.Width, 1, "Width", nameof(shape));
        int sourceCount = GeometryChecks.ElementCount("source", nameof(shape), shape, from);
        int destinationCount = GeometryChecks.ElementCount("destination", nameof(shape), shape, to);
        GeometryChecks.Length(source.Length, sourceCount, nameof(source), from);
        GeometryChecks.Length(destination.Length, destinationCount, nameof(destination), to);
        NoOverlap(source, destination);
        NativeLibraryGuard.EnsureInitialized();

        nc_executor executor = ThreadPoolExecutor.Create(threads);
        nc_status status;
        fixed (float* pSource = source)
        fixed (float* pDestination = destination)
        {
            status = NativeMethods.nc_reorder((int)from, (int)to, shape.Batch, shape.Channels, shape.Height, shape.Width,
                pSource, (nuint)source.Length, pDestination, (nuint)destination.Length, threads > 1 ? &executor : null);
        }

        NativeStatus.ThrowIfFailed(status);
    }

    /// <summary>Copies convolution weights from one memory order to another.</summary>
    /// <param name="outChannels">Number of output channels (K).</param>
    /// <param name="inChannelsPerGroup">Input channels per group (C/G).</param>
    /// <param name="kernelHeight">Kernel rows.</param>
    /// <param name="kernelWidth">Kernel columns.</param>
    /// <param name="from">Memory order of <paramref name="source"/>.</param>
    /// <param name="to">Memory order to write <paramref name="destination"/> in.</param>
    /// <param name="source">K·(C/G)·kernelHeight·kernelWidth weights in <paramref name="from"/>.</param>
    /// <param name="destination">As many weights, overwritten with the filter in <paramref name="to"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A layout is not a defined value or a size is below 1.</exception>
    /// <exception cref="ArgumentException">
    /// The filter has more elements than a span can hold, a buffer has the wrong length, or
    /// <paramref name="source"/> and <paramref name="destination"/> overlap.
    /// </exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public static void Filter(int outChannels, int inChannelsPerGroup, int kernelHeight, int kernelWidth,
        FilterLayout from, FilterLayout to, ReadOnlySpan<float> source, Span<float> destination)
    {
        Defined(from, nameof(from));
        Defined(to, nameof(to));
        GeometryChecks.AtLeast(outChannels, 1, nameof(outChannels), nameof(outChannels));
        GeometryChecks.AtLeast(inChannelsPerGroup, 1, nameof(inChannelsPerGroup), nameof(inChannelsPerGroup));
        GeometryChecks.AtLeast(kernelHeight, 1, nameof(kernelHeight), nameof(kernelHeight));
        GeometryChecks.AtLeast(kernelWidth, 1, nameof(kernelWidth), nameof(kernelWidth));
        int count = GeometryChecks.ElementCount("filter", nameof(outChannels), outChannels, inChannelsPerGroup, kernelHeight, kernelWidth);
        CheckBuffers(source, destination, count);
        NativeLibraryGuard.EnsureInitialized();

        nc_status status;
        fixed (float* pSource = source)
        fixed (float* pDestination = destination)
        {
            status = NativeMethods.nc_convert_filter((int)from, (int)to, outChannels, inChannelsPerGroup, kernelHeight,
                kernelWidth, pSource, (nuint)source.Length, pDestination, (nuint)destination.Length);
        }

        NativeStatus.ThrowIfFailed(status);
    }

    private static void Defined<TEnum>(TEnum value, string parameter)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"{parameter} ({value}) is not a defined {typeof(TEnum).Name} value.");
        }
    }

    private static void CheckBuffers(ReadOnlySpan<float> source, ReadOnlySpan<float> destination, int count)
    {
        GeometryChecks.Length(source.Length, count, nameof(source));
        GeometryChecks.Length(destination.Length, count, nameof(destination));
        NoOverlap(source, destination);
    }

    private static void NoOverlap(ReadOnlySpan<float> source, ReadOnlySpan<float> destination)
    {
        if (source.Overlaps(destination))
        {
            throw new ArgumentException("destination must not overlap source.", nameof(destination));
        }
    }
}
