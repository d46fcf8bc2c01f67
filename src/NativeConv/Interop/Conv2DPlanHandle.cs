using System.Runtime.InteropServices;

namespace NativeConv.Interop;

// Owns an nc_conv2d_plan. Callers bracket every use with DangerousAddRef/DangerousRelease, so a Dispose racing
// with a Run waits for the run to finish before nc_conv2d_plan_destroy frees the plan.
internal sealed unsafe class Conv2DPlanHandle : SafeHandle
{
    private Conv2DPlanHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    // The handle object exists before the native call, so a created plan is owned at once and cannot leak.
    internal static Conv2DPlanHandle Create(in nc_conv2d_desc desc, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias)
    {
        var owner = new Conv2DPlanHandle();
        nint plan = nint.Zero;
        nc_status status;
        nc_conv2d_desc copy = desc;
        fixed (float* pFilter = filter)
        fixed (float* pBias = bias)
        {
            status = NativeMethods.nc_conv2d_plan_create(&copy, pFilter, (nuint)filter.Length, pBias, (nuint)bias.Length, &plan);
        }

        owner.SetHandle(plan);
        NativeStatus.ThrowIfFailed(status, desc);
        return owner;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.nc_conv2d_plan_destroy(handle);
        return true;
    }
}
