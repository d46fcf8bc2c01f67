namespace NativeConv.Tests.Support;

/// <summary>One pooling to run on both sides, with the output shape worked out by <see cref="ShapeMath"/>.</summary>
internal sealed record PoolCase(
    TensorShape InputShape,
    Pool2DOptions Options,
    TensorShape ExpectedOutputShape,
    float[] Input,
    int MaxThreads)
{
    public override string ToString()
    {
        Pool2DOptions o = Options;
        string padding = o.Padding.Mode == PaddingMode.Explicit ? $"{o.Padding.Explicit}" : $"{o.Padding.Mode}";
        string window = o.Global
            ? "global"
            : $"kernel {o.KernelHeight}x{o.KernelWidth} stride {o.StrideHeight}x{o.StrideWidth} " +
              $"dilation {o.DilationHeight}x{o.DilationWidth} padding {padding} ceil {o.CeilMode}";
        return $"{o.Kind} input {InputShape} -> {ExpectedOutputShape}, {window} includePad {o.CountIncludePad} " +
               $"{o.Layout} activation {o.Activation} NaNs {Input.Count(float.IsNaN)} maxThreads {MaxThreads}";
    }
}
