using System.Runtime.InteropServices;

namespace NativeConv.Benchmarks;

/// <summary>
/// A serialized ONNX model holding one Conv node for a suite layer: input X (NCHW), constant weights W
/// and bias B as initializers, output Y. Field numbers are onnx.proto's (ModelProto, GraphProto,
/// NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto).
/// </summary>
public static class OnnxConvModel
{
    private const int FloatType = 1;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    public static byte[] Create(ConvLayer layer, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias)
    {
        var geometry = Conv2DGeometry.Create(layer.Input, layer.Options with { Layout = TensorLayout.Nchw });
        var options = geometry.Options;
        var pads = geometry.Padding;
        long[] filterShape = [options.OutChannels, layer.Input.Channels / options.Groups, options.KernelHeight, options.KernelWidth];
        byte[] filterBytes = MemoryMarshal.AsBytes(filter).ToArray();
        byte[] biasBytes = MemoryMarshal.AsBytes(bias).ToArray();

        var node = new ProtoWriter()
            .String(1, "X").String(1, "W").String(1, "B")
            .String(2, "Y")
            .String(3, "conv")
            .String(4, "Conv")
            .Message(5, a => a.String(1, "kernel_shape").Varint(20, AttributeInts).Varints(8, [options.KernelHeight, options.KernelWidth]))
            .Message(5, a => a.String(1, "strides").Varint(20, AttributeInts).Varints(8, [options.StrideHeight, options.StrideWidth]))
            .Message(5, a => a.String(1, "dilations").Varint(20, AttributeInts).Varints(8, [options.DilationHeight, options.DilationWidth]))
            .Message(5, a => a.String(1, "pads").Varint(20, AttributeInts).Varints(8, [pads.Top, pads.Left, pads.Bottom, pads.Right]))
            .Message(5, a => a.String(1, "group").Varint(20, AttributeInt).Varint(3, options.Groups));

        return new ProtoWriter()
            .Varint(1, 8) // ir_version
            .String(2, "NativeConv.Benchmarks") // producer_name
            .Message(7, g => g
                .Bytes(1, node.ToArray())
                .String(2, layer.Name)
                .Message(5, t => t.Varints(1, filterShape).Varint(2, FloatType).String(8, "W").Bytes(9, filterBytes))
                .Message(5, t => t.Varint(1, options.OutChannels).Varint(2, FloatType).String(8, "B").Bytes(9, biasBytes))
                .Message(11, v => ValueInfo(v, "X", Dims(layer.Input)))
                .Message(12, v => ValueInfo(v, "Y", Dims(geometry.OutputShape))))
            .Message(8, o => o.String(1, "").Varint(2, 17)) // opset_import: default domain, opset 17
            .ToArray();
    }

    public static long[] Dims(TensorShape shape) => [shape.Batch, shape.Channels, shape.Height, shape.Width];

    private static void ValueInfo(ProtoWriter writer, string name, long[] dims) => writer
        .String(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Varint(1, FloatType)
            .Message(2, shape =>
            {
                foreach (long dim in dims)
                {
                    shape.Message(1, d => d.Varint(1, dim));
                }
            })));
}
