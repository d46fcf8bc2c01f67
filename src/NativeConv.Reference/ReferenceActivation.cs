namespace NativeConv.Reference;

// The activation both references apply last, to a convolution sum or a pooled value.
internal static class ReferenceActivation
{
    // Written with comparisons that are false for NaN, so a NaN passes through unchanged as in PyTorch's relu and clamp.
    internal static float Apply(Activation activation, float x) => activation.Kind switch
    {
        ActivationKind.Relu => x < 0 ? 0 : x,
        ActivationKind.Clamp => x < activation.Min ? activation.Min : x > activation.Max ? activation.Max : x,
        _ => x,
    };
}
