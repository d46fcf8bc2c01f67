using Onnx;

namespace NativeConv.Onnx;

// One graph node with what converting it needs: a name for messages, its attributes, the initializers, the opset.
internal sealed class NodeContext
{
    internal NodeContext(NodeProto proto, int index, IReadOnlyDictionary<string, TensorProto> initializers, long opset)
    {
        Proto = proto;
        Name = proto.Name.Length > 0 ? proto.Name : $"#{index} ({proto.OpType}, unnamed)";
        Initializers = initializers;
        Opset = opset;
        Attributes = new OnnxAttributes(proto, Name);
    }

    internal NodeProto Proto { get; }

    internal string Name { get; }

    internal IReadOnlyDictionary<string, TensorProto> Initializers { get; }

    internal long Opset { get; }

    internal OnnxAttributes Attributes { get; }

    internal void RequireDataInput(string current, int position)
    {
        if (Proto.Input.Count <= position || Proto.Input[position] != current)
        {
            string read = Proto.Input.Count > position ? $"'{Proto.Input[position]}'" : "nothing";
            throw new NotSupportedException(
                $"node '{Name}' ({Proto.OpType}) reads {read}, not '{current}', the output of the node before it: only chain-shaped graphs are supported.");
        }

        for (int i = 0; i < Proto.Input.Count; i++)
        {
            if (i != position && Proto.Input[i].Length > 0 && !Initializers.ContainsKey(Proto.Input[i]))
            {
                throw new NotSupportedException(
                    $"node '{Name}' ({Proto.OpType}) also reads '{Proto.Input[i]}', which is not an initializer: only chain-shaped graphs are supported.");
            }
        }
    }

    internal TensorProto Initializer(int position, string role)
    {
        if (Proto.Input.Count <= position || !Initializers.TryGetValue(Proto.Input[position], out TensorProto? tensor))
        {
            throw new NotSupportedException($"node '{Name}' ({Proto.OpType}) must have its {role} as an initializer in the file.");
        }

        return tensor;
    }
}
