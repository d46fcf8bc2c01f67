using System.Runtime.InteropServices;

namespace NativeConv.Benchmarks;

/// <summary>
/// A serialized ONNX model holding one Conv node for a suite layer: input X (NCHW), constant weights W
/// and bias B as initializers, output Y (see <see cref="OnnxModel"/>).
/// </summary>
public static class OnnxConvModel
{
    public static byte[] Create(ConvLayer layer, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias)
    {
        var geometry = Conv2DGeometry.Create(layer.Input, layer.Options with { Layout = TensorLayout.Nchw });
        var options = geometry.Options;
        var pads = geometry.Padding;
        long[] filterShape = [options.OutChannels, layer.Input.Channels / options.Groups, options.KernelHeight, options.KernelWidth];
        byte[] filterBytes = MemoryMarshal.AsBytes(filter).ToArray();
        byte[] biasBytes = MemoryMarshal.AsBytes(bias).ToArray();

        var node = OnnxModel.Node("conv", "Conv", "X", "W", "B")
            .IntsAttribute("kernel_shape", options.KernelHeight, options.KernelWidth)
            .IntsAttribute("strides", options.StrideHeight, options.StrideWidth)
            .IntsAttribute("dilations", options.DilationHeight, options.DilationWidth)
            .IntsAttribute("pads", pads.Top, pads.Left, pads.Bottom, pads.Right)
            .IntAttribute("group", options.Groups);

        return OnnxModel.Create(layer.Name, node, layer.Input, geometry.OutputShape,
            t => t.Varints(1, filterShape).Varint(2, OnnxModel.FloatType).String(8, "W").Bytes(9, filterBytes),
            t => t.Varint(1, options.OutChannels).Varint(2, OnnxModel.FloatType).String(8, "B").Bytes(9, biasBytes));
    }
}
