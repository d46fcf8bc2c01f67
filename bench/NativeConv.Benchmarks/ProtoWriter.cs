using System.Text;

namespace NativeConv.Benchmarks;

/// <summary>
/// The protobuf wire format, only as much as an ONNX model with a few scalar, string, byte and nested
/// message fields needs: varint (wire type 0) and length-delimited (wire type 2) fields.
/// </summary>
public sealed class ProtoWriter
{
    private readonly MemoryStream stream = new();

    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, 0);
        RawVarint((ulong)value);
        return this;
    }

    public ProtoWriter Varints(int field, IEnumerable<long> values)
    {
        foreach (long value in values)
        {
            Varint(field, value);
        }
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        RawVarint((ulong)value.Length);
        stream.Write(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, Action<ProtoWriter> write)
    {
        var nested = new ProtoWriter();
        write(nested);
        return Bytes(field, nested.ToArray());
    }

    public byte[] ToArray() => stream.ToArray();

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }
}
