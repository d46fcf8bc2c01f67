namespace NativeConv.Tests.Support;

/// <summary>
/// One convolution to run on both sides: the request, its data, the output buffer's contents before
/// the call (they matter with Accumulate) and the output shape worked out by <see cref="ShapeMath"/>.
/// </summary>
internal sealed record ConvCase(
    TensorShape InputShape,
    Conv2DOptions Options,
    TensorShape ExpectedOutputShape,
    float[] Input,
    float[] Filter,
    float[] Bias,
    float[] InitialOutput,
    int MaxThreads)
{
    public override string ToString()
    {
        Conv2DOptions o = Options;
        string padding = o.Padding.Mode == PaddingMode.Explicit
            ? $"{o.Padding.Explicit}"
            : $"{o.Padding.Mode}";
        return $"input {InputShape} -> {ExpectedOutputShape}, K={o.OutChannels} kernel {o.KernelHeight}x{o.KernelWidth} " +
               $"stride {o.StrideHeight}x{o.StrideWidth} dilation {o.DilationHeight}x{o.DilationWidth} padding {padding} " +
               $"groups {o.Groups} {o.Layout}/{o.FilterLayout} bias {Bias.Length > 0} {o.Activation} " +
               $"accumulate {o.Accumulate} maxThreads {MaxThreads}";
    }
}
