using System.Numerics.Tensors;
using NativeConv.Interop;

namespace NativeConv;

/// <summary>
/// A prepared pooling: the shape is validated and the kernel chosen once, and
/// <see cref="Run(ReadOnlySpan{float}, Span{float})"/> can then be called many times, from many threads at once.
/// </summary>
/// <remarks>
/// A <see cref="Run(ReadOnlySpan{float}, Span{float})"/> already in progress on another thread finishes before
/// <see cref="Dispose"/> frees the plan. Not disposing leaks nothing: the native plan is released on finalization.
/// </remarks>
public sealed class Pool2DPlan : IDisposable
{
    private readonly Pool2DPlanHandle handle;

    // The handle only reports closed once no Run holds a reference to it, so a Dispose during another thread's
    // Run would otherwise let new Runs through until that Run ends. The flag makes Dispose visible at once.
    private volatile bool disposed;
    private int maxThreads = Environment.ProcessorCount;

    /// <summary>Validates the pooling and prepares the native plan.</summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <param name="options">What to compute.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A shape dimension or an option is out of range (see <see cref="Pool2DGeometry.Create"/>).</exception>
    /// <exception cref="ArgumentException">The shape and options break a rule (see <see cref="Pool2DGeometry.Create"/>).</exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    /// <exception cref="OutOfMemoryException">The native library could not allocate the plan.</exception>
    public Pool2DPlan(TensorShape inputShape, Pool2DOptions options)
    {
        Geometry = Pool2DGeometry.Create(inputShape, options);
        NativeLibraryGuard.EnsureInitialized();
        handle = Pool2DPlanHandle.Create(NativeDescriptors.ToNative(Geometry));
        KernelName = handle.KernelName();
    }

    /// <summary>The validated shapes, padding and buffer lengths.</summary>
    public Pool2DGeometry Geometry { get; }

    /// <summary>The output shape, (N, C, P, Q).</summary>
    public TensorShape OutputShape => Geometry.OutputShape;

    /// <summary>The native kernel the plan runs.</summary>
    public string KernelName { get; }

    /// <summary>
    /// How many threads <see cref="Run(ReadOnlySpan{float}, Span{float})"/> may use; 1 runs on the calling thread
    /// only. Default <see cref="Environment.ProcessorCount"/>. Results are bitwise identical for every value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxThreads
    {
        get => maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            maxThreads = value;
        }
    }

    /// <summary>Pools <paramref name="input"/> into <paramref name="output"/> with up to <see cref="MaxThreads"/> threads.</summary>
    /// <param name="input"><see cref="Pool2DGeometry.InputLength"/> values in <see cref="Pool2DOptions.Layout"/>.</param>
    /// <param name="output"><see cref="Pool2DGeometry.OutputLength"/> values, overwritten. Must not overlap <paramref name="input"/>.</param>
    /// <exception cref="ObjectDisposedException">The plan has been disposed.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="input"/> or <paramref name="output"/> does not have exactly the length the geometry needs, or
    /// they overlap.
    /// </exception>
    public void Run(ReadOnlySpan<float> input, Span<float> output) => Run(input, output, maxThreads);

    /// <summary>Pools <paramref name="input"/> into <paramref name="output"/> with up to <paramref name="maxThreads"/> threads.</summary>
    /// <param name="input"><see cref="Pool2DGeometry.InputLength"/> values in <see cref="Pool2DOptions.Layout"/>.</param>
    /// <param name="output"><see cref="Pool2DGeometry.OutputLength"/> values, overwritten. Must not overlap <paramref name="input"/>.</param>
    /// <param name="maxThreads">Thread cap for this run; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The plan has been disposed.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="input"/> or <paramref name="output"/> does not have exactly the length the geometry needs, or
    /// they overlap.
    /// </exception>
    public void Run(ReadOnlySpan<float> input, Span<float> output, int maxThreads)
    {
        int threads = ThreadPoolExecutor.ResolveMaxThreads(maxThreads);
        ObjectDisposedException.ThrowIf(disposed, this);
        Geometry.CheckActivations(input, output);
        NativeLibraryGuard.EnsureInitialized();

        handle.Execute(input, output, threads);
    }

    /// <summary>
    /// Pools a tensor whose lengths carry its shape, with up to <see cref="MaxThreads"/> threads: the plan's input
    /// shape as (N, C, H, W) for <see cref="TensorLayout.Nchw"/> or (N, H, W, C) for <see cref="TensorLayout.Nhwc"/>, as <see cref="Pool2DOptions.Layout"/> says.
    /// </summary>
    /// <param name="input">A dense row-major rank-4 tensor with the plan's input lengths.</param>
    /// <param name="output">
    /// A dense row-major rank-4 tensor with the plan's output lengths in the same layout; overwritten. Must not overlap
    /// <paramref name="input"/>.
    /// </param>
    /// <exception cref="ObjectDisposedException">The plan has been disposed.</exception>
    /// <exception cref="ArgumentException">
    /// The plan's layout is <see cref="TensorLayout.Nchw16c"/> (use the span overload), a tensor is not rank 4, dense
    /// and row-major, its lengths are not the plan's, or the tensors overlap.
    /// </exception>
    public void Run(ReadOnlyTensorSpan<float> input, TensorSpan<float> output) => Run(input, output, maxThreads);

    /// <summary>
    /// Pools a tensor whose lengths carry its shape: the plan's input shape as (N, C, H, W) for
    /// <see cref="TensorLayout.Nchw"/> or (N, H, W, C) for <see cref="TensorLayout.Nhwc"/>, as <see cref="Pool2DOptions.Layout"/> says.
    /// </summary>
    /// <param name="input">A dense row-major rank-4 tensor with the plan's input lengths.</param>
    /// <param name="output">
    /// A dense row-major rank-4 tensor with the plan's output lengths in the same layout; overwritten. Must not overlap
    /// <paramref name="input"/>.
    /// </param>
    /// <param name="maxThreads">Thread cap for this run; 0 means <see cref="Environment.ProcessorCount"/>, 1 the calling thread only.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The plan has been disposed.</exception>
    /// <exception cref="ArgumentException">
    /// The plan's layout is <see cref="TensorLayout.Nchw16c"/> (use the span overload), a tensor is not rank 4, dense
    /// and row-major, its lengths are not the plan's, or the tensors overlap.
    /// </exception>
    public void Run(ReadOnlyTensorSpan<float> input, TensorSpan<float> output, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        TensorLayout layout = Geometry.Options.Layout;
        TensorShape inputShape = TensorSpans.Shape(input, layout, nameof(input));
        if (inputShape != Geometry.InputShape)
        {
            throw new ArgumentException($"input has the shape {inputShape} but the plan was made for {Geometry.InputShape}.", nameof(input));
        }

        TensorSpans.CheckOutput(output, Geometry.OutputShape, layout);
        Run(TensorSpans.Flat(input), TensorSpans.Flat(output), maxThreads);
    }

    /// <summary>Frees the native plan. Safe to call more than once.</summary>
    public void Dispose()
    {
        disposed = true;
        handle.Dispose();
    }
}
