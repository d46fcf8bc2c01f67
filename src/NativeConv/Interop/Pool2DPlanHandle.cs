using System.Runtime.InteropServices;

namespace NativeConv.Interop;

// Owns an nc_pool2d_plan. Callers bracket every use with DangerousAddRef/DangerousRelease, so a Dispose racing
// with a Run waits for the run to finish before nc_pool2d_plan_destroy frees the plan.
internal sealed unsafe class Pool2DPlanHandle : SafeHandle
{
    private Pool2DPlanHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    // The handle object exists before the native call, so a created plan is owned at once and cannot leak.
    internal static Pool2DPlanHandle Create(in nc_pool2d_desc desc)
    {
        var owner = new Pool2DPlanHandle();
        nint plan = nint.Zero;
        nc_pool2d_desc copy = desc;
        nc_status status = NativeMethods.nc_pool2d_plan_create(&copy, &plan);
        owner.SetHandle(plan);
        NativeStatus.ThrowIfFailed(status, desc);
        return owner;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.nc_pool2d_plan_destroy(handle);
        return true;
    }
}
