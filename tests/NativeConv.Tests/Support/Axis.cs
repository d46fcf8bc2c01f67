namespace NativeConv.Tests.Support;

/// <summary>One spatial dimension of a generated case: input size, window and the explicit pads (if any).</summary>
internal readonly record struct Axis(int Size, int Kernel, int Stride, int Dilation, int PadBegin, int PadEnd)
{
    public (int Begin, int End) Resolve(PaddingMode mode) =>
        ShapeMath.Resolve(mode, Size, Kernel, Stride, Dilation, PadBegin, PadEnd);

    public static Padding ToPadding(PaddingMode mode, Axis height, Axis width) => mode switch
    {
        PaddingMode.Explicit => Padding.Of(height.PadBegin, height.PadEnd, width.PadBegin, width.PadEnd),
        PaddingMode.Valid => Padding.Valid,
        PaddingMode.SameUpper => Padding.Same,
        PaddingMode.SameLower => Padding.SameLower,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
