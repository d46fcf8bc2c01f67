using NativeConv.Interop;

namespace NativeConv;

// The values are nativeconv.h's, so the descriptors take them by a plain cast.
/// <summary>The function applied to every output element of a convolution or pooling.</summary>
public enum ActivationKind
{
    /// <summary>The output is left as computed.</summary>
    None = (int)nc_activation.NC_ACTIVATION_NONE,

    /// <summary><c>max(x, 0)</c>; NaN stays NaN.</summary>
    Relu = (int)nc_activation.NC_ACTIVATION_RELU,

    /// <summary><c>min(max(x, Min), Max)</c>; NaN stays NaN.</summary>
    Clamp = (int)nc_activation.NC_ACTIVATION_CLAMP,
}
