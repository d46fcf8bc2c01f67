namespace NativeConv.Interop;

// Owns an nc_conv2d_plan.
internal sealed unsafe class Conv2DPlanHandle : PlanHandle
{
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

    protected override byte* KernelNameCore(nint plan) => NativeMethods.nc_conv2d_plan_kernel_name(plan);

    protected override nc_status ExecuteCore(nint plan, float* input, nuint inputCount, float* output, nuint outputCount, nc_executor* executor) =>
        NativeMethods.nc_conv2d_plan_execute(plan, input, inputCount, output, outputCount, executor);

    protected override bool ReleaseHandle()
    {
        NativeMethods.nc_conv2d_plan_destroy(handle);
        return true;
    }
}
