using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Onnx;

namespace NativeConv.Onnx;

// Reads the float initializers of an ONNX graph (weights, biases, clip bounds).
internal static class OnnxTensors
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    internal static float[] Floats(TensorProto tensor)
    {
        if (tensor.DataType != FloatType)
        {
            throw new NotSupportedException(
                $"initializer '{tensor.Name}' has ONNX data type {tensor.DataType}; only float (1) is supported.");
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"initializer '{tensor.Name}' is stored in an external file, which is not supported.");
        }

        long count = 1;
        foreach (long dim in tensor.Dims)
        {
            count = checked(count * dim);
        }

        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            // raw_data is little-endian whatever the machine.
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            if (raw.Length % sizeof(float) != 0)
            {
                throw new InvalidDataException($"initializer '{tensor.Name}' has {raw.Length} raw bytes, not a whole number of floats.");
            }

            values = MemoryMarshal.Cast<byte, float>(raw).ToArray();
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
                }
            }
        }
        else
        {
            values = [.. tensor.FloatData];
        }

        if (values.Length != count)
        {
            throw new InvalidDataException(
                $"initializer '{tensor.Name}' has dims [{string.Join(", ", tensor.Dims)}] ({count} values) but holds {values.Length}.");
        }

        return values;
    }

    internal static float Scalar(TensorProto tensor)
    {
        float[] values = Floats(tensor);
        if (values.Length != 1)
        {
            throw new InvalidDataException($"initializer '{tensor.Name}' must hold a single value but holds {values.Length}.");
        }

        return values[0];
    }
}
