using Onnx;

namespace NativeConv.Onnx;

// A node's attributes by name, with the defaults the ONNX operator specification gives.
internal sealed class OnnxAttributes(NodeProto node, string nodeName)
{
    private readonly Dictionary<string, AttributeProto> byName = node.Attribute.ToDictionary(a => a.Name);

    internal long Int(string name, long defaultValue) => byName.TryGetValue(name, out AttributeProto? a) ? a.I : defaultValue;

    internal float Float(string name, float defaultValue) => byName.TryGetValue(name, out AttributeProto? a) ? a.F : defaultValue;

    internal string String(string name, string defaultValue) =>
        byName.TryGetValue(name, out AttributeProto? a) ? a.S.ToStringUtf8() : defaultValue;

    internal bool Has(string name) => byName.ContainsKey(name);

    // A 2-D operator's per-axis list, e.g. strides [h, w]; pads come as [top, left, bottom, right].
    internal int[] Ints(string name, int count, int defaultValue)
    {
        if (!byName.TryGetValue(name, out AttributeProto? a))
        {
            return Enumerable.Repeat(defaultValue, count).ToArray();
        }

        if (a.Ints.Count != count)
        {
            throw new NotSupportedException(
                $"attribute '{name}' of node '{nodeName}' has {a.Ints.Count} values; a 2-D {node.OpType} needs {count}.");
        }

        return a.Ints.Select(v => checked((int)v)).ToArray();
    }

    internal Padding Padding()
    {
        string autoPad = String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                int[] pads = Ints("pads", 4, 0);
                return NativeConv.Padding.Of(pads[0], pads[2], pads[1], pads[3]);
            case "VALID":
                return NativeConv.Padding.Valid;
            case "SAME_UPPER":
                return NativeConv.Padding.Same;
            case "SAME_LOWER":
                return NativeConv.Padding.SameLower;
            default:
                throw new InvalidDataException($"node '{nodeName}' has an unknown auto_pad '{autoPad}'.");
        }
    }
}
