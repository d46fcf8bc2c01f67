namespace NativeConv.Benchmarks;

/// <summary>
/// The frame of a serialized one-node ONNX model, opset 17: the graph around a node that reads input X (NCHW) and
/// writes output Y, with any constant initializers, and the node's attributes. Field numbers are onnx.proto's
/// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto).
/// </summary>
public static class OnnxModel
{
    /// <summary>TensorProto.DataType FLOAT.</summary>
    public const int FloatType = 1;

    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    /// <summary>A NodeProto named <paramref name="name"/> running <paramref name="opType"/> on <paramref name="inputs"/> into Y.</summary>
    public static ProtoWriter Node(string name, string opType, params string[] inputs)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }
        return node.String(2, "Y").String(3, name).String(4, opType);
    }

    /// <summary>Adds an integer attribute to a node.</summary>
    public static ProtoWriter IntAttribute(this ProtoWriter node, string name, long value) =>
        node.Message(5, a => a.String(1, name).Varint(20, AttributeInt).Varint(3, value));

    /// <summary>Adds an integer list attribute to a node.</summary>
    public static ProtoWriter IntsAttribute(this ProtoWriter node, string name, params long[] values) =>
        node.Message(5, a => a.String(1, name).Varint(20, AttributeInts).Varints(8, values));

    /// <summary>The model: <paramref name="node"/> in a graph named <paramref name="graphName"/>, X and Y of the given shapes.</summary>
    public static byte[] Create(string graphName, ProtoWriter node, TensorShape input, TensorShape output,
        params Action<ProtoWriter>[] initializers) => new ProtoWriter()
        .Varint(1, 8) // ir_version
        .String(2, "NativeConv.Benchmarks") // producer_name
        .Message(7, g =>
        {
            g.Bytes(1, node.ToArray()).String(2, graphName);
            foreach (var initializer in initializers)
            {
                g.Message(5, initializer);
            }
            g.Message(11, v => ValueInfo(v, "X", Dims(input)))
                .Message(12, v => ValueInfo(v, "Y", Dims(output)));
        })
        .Message(8, o => o.String(1, "").Varint(2, 17)) // opset_import: default domain, opset 17
        .ToArray();

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
