namespace NativeConv.Interop;

// Builds the C descriptors from validated geometries. Padding is always passed resolved, so the native side never
// needs to know about PaddingMode.
internal static class NativeDescriptors
{
    internal static nc_conv2d_desc ToNative(Conv2DGeometry geometry)
    {
        Conv2DOptions options = geometry.Options;
        (float activationMin, float activationMax) = Bounds(options.Activation);
        return new nc_conv2d_desc
        {
            batch = geometry.InputShape.Batch,
            in_channels = geometry.InputShape.Channels,
            in_height = geometry.InputShape.Height,
            in_width = geometry.InputShape.Width,
            out_channels = options.OutChannels,
            kernel_height = options.KernelHeight,
            kernel_width = options.KernelWidth,
            stride_height = options.StrideHeight,
            stride_width = options.StrideWidth,
            pad_top = geometry.Padding.Top,
            pad_bottom = geometry.Padding.Bottom,
            pad_left = geometry.Padding.Left,
            pad_right = geometry.Padding.Right,
            dilation_height = options.DilationHeight,
            dilation_width = options.DilationWidth,
            groups = options.Groups,
            layout = (int)options.Layout,
            filter_layout = (int)options.FilterLayout,
            activation = (int)options.Activation.Kind,
            flags = options.Accumulate ? (uint)nc_conv2d_flags.NC_CONV2D_ACCUMULATE : 0u,
            activation_min = activationMin,
            activation_max = activationMax,
        };
    }

    internal static nc_pool2d_desc ToNative(Pool2DGeometry geometry)
    {
        Pool2DOptions options = geometry.Options;
        (float activationMin, float activationMax) = Bounds(options.Activation);
        uint flags = 0;
        if (geometry.CeilMode)
        {
            flags |= (uint)nc_pool2d_flags.NC_POOL2D_CEIL_MODE;
        }

        if (options.CountIncludePad)
        {
            flags |= (uint)nc_pool2d_flags.NC_POOL2D_COUNT_INCLUDE_PAD;
        }

        if (options.Global)
        {
            flags |= (uint)nc_pool2d_flags.NC_POOL2D_GLOBAL;
        }

        // For global pooling the window fields carry the whole plane, which describes the same computation, so the
        // descriptor is valid whether or not the native side reads them.
        return new nc_pool2d_desc
        {
            batch = geometry.InputShape.Batch,
            channels = geometry.InputShape.Channels,
            in_height = geometry.InputShape.Height,
            in_width = geometry.InputShape.Width,
            kernel_height = geometry.KernelHeight,
            kernel_width = geometry.KernelWidth,
            stride_height = geometry.StrideHeight,
            stride_width = geometry.StrideWidth,
            pad_top = geometry.Padding.Top,
            pad_bottom = geometry.Padding.Bottom,
            pad_left = geometry.Padding.Left,
            pad_right = geometry.Padding.Right,
            dilation_height = geometry.DilationHeight,
            dilation_width = geometry.DilationWidth,
            kind = (int)options.Kind,
            layout = (int)options.Layout,
            flags = flags,
            activation = (int)options.Activation.Kind,
            activation_min = activationMin,
            activation_max = activationMax,
        };
    }

    // The bounds of None and Relu are informational only; pass the neutral range so that no native check on the
    // bounds can trip over whatever the caller stored in them.
    private static (float Min, float Max) Bounds(Activation activation) =>
        activation.Kind == ActivationKind.Clamp
            ? (activation.Min, activation.Max)
            : (float.NegativeInfinity, float.PositiveInfinity);
}
