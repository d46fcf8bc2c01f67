using System.Runtime.InteropServices;

namespace NativeConv.Interop;

// Owns a native plan. Every execution is bracketed by DangerousAddRef/DangerousRelease, so a Dispose racing with a
// Run waits for the run to finish before the plan is destroyed.
internal abstract unsafe class PlanHandle : SafeHandle
{
    protected PlanHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    // Spans are already validated; threads > 1 hands the library the thread-pool executor, 1 runs serially.
    internal void Execute(ReadOnlySpan<float> input, Span<float> output, int threads)
    {
        nc_executor executor = ThreadPoolExecutor.Create(threads);
        nc_status status;
        bool referenced = false;
        try
        {
            DangerousAddRef(ref referenced);
            fixed (float* pInput = input)
            fixed (float* pOutput = output)
            {
                status = ExecuteCore(handle, pInput, (nuint)input.Length, pOutput, (nuint)output.Length, threads > 1 ? &executor : null);
            }
        }
        finally
        {
            if (referenced)
            {
                DangerousRelease();
            }
        }

        NativeStatus.ThrowIfFailed(status);
    }

    // Native kernel names are static strings, valid for the life of the library.
    internal string KernelName() => NativeText.FromUtf8(KernelNameCore(handle));

    protected abstract byte* KernelNameCore(nint plan);

    protected abstract nc_status ExecuteCore(nint plan, float* input, nuint inputCount, float* output, nuint outputCount, nc_executor* executor);
}
