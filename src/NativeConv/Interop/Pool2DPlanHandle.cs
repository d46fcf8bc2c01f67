namespace NativeConv.Interop;

// Owns an nc_pool2d_plan.
internal sealed unsafe class Pool2DPlanHandle : PlanHandle
{
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

    protected override byte* KernelNameCore(nint plan) => NativeMethods.nc_pool2d_plan_kernel_name(plan);

    protected override nc_status ExecuteCore(nint plan, float* input, nuint inputCount, float* output, nuint outputCount, nc_executor* executor) =>
        NativeMethods.nc_pool2d_plan_execute(plan, input, inputCount, output, outputCount, executor);

    protected override bool ReleaseHandle()
    {
        NativeMethods.nc_pool2d_plan_destroy(handle);
        return true;
    }
}
