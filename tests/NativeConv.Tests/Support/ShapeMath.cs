namespace NativeConv.Tests.Support;

/// <summary>
/// PyTorch / TensorFlow shape formulas written out independently of the library, so the random
/// case generators know buffer sizes without asking the code under test.
/// </summary>
internal static class ShapeMath
{
    public static int Span(int kernel, int dilation) => (kernel - 1) * dilation + 1;

    public static (int Begin, int End) SamePadding(int size, int kernel, int stride, int dilation, bool extraAtEnd)
    {
        int output = (size + stride - 1) / stride;
        int total = Math.Max(0, (output - 1) * stride + Span(kernel, dilation) - size);
        int small = total / 2;
        return extraAtEnd ? (small, total - small) : (total - small, small);
    }

    public static (int Begin, int End) Resolve(PaddingMode mode, int size, int kernel, int stride, int dilation, int begin, int end) =>
        mode switch
        {
            PaddingMode.Explicit => (begin, end),
            PaddingMode.Valid => (0, 0),
            PaddingMode.SameUpper => SamePadding(size, kernel, stride, dilation, extraAtEnd: true),
            PaddingMode.SameLower => SamePadding(size, kernel, stride, dilation, extraAtEnd: false),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };

    public static int ConvOutput(int size, int kernel, int stride, int dilation, int padBegin, int padEnd) =>
        (size + padBegin + padEnd - Span(kernel, dilation)) / stride + 1;

    public static int PoolOutput(int size, int kernel, int stride, int dilation, int padBegin, int padEnd, bool ceil)
    {
        int numerator = size + padBegin + padEnd - Span(kernel, dilation) + (ceil ? stride - 1 : 0);
        int output = (int)Math.Floor((double)numerator / stride) + 1;
        if (ceil && (output - 1) * stride >= size + padBegin)
        {
            output--;
        }

        return output;
    }
}
