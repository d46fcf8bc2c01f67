using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NativeConv;

// Turns System.Numerics.Tensors spans into a TensorShape plus a flat span. The native library reads packed
// row-major memory, so only rank-4 tensors whose strides are exactly row-major are accepted; a sliced or
// transposed view would otherwise be read as if its gaps and reorderings were not there. The blocked layout is
// rejected: its lengths [N, ⌈C/16⌉, H, W, 16] cannot carry C, the one thing these overloads read from a tensor.
internal static class TensorSpans
{
    internal static TensorShape Shape(scoped in ReadOnlyTensorSpan<float> tensor, TensorLayout layout, string parameter)
    {
        if (layout == TensorLayout.Nchw16c)
        {
            throw new ArgumentException(
                $"{parameter} cannot be a tensor span in Nchw16c: the TensorSpan overloads take Nchw or Nhwc, whose lengths " +
                "carry the shape, and a blocked tensor's lengths do not carry its channel count. Pass Nchw16c data to the " +
                "span overload, as TensorShape.ElementCountIn(TensorLayout.Nchw16c) floats.",
                parameter);
        }

        ReadOnlySpan<nint> lengths = tensor.Lengths;
        if (tensor.Rank != 4)
        {
            throw new ArgumentException(
                $"{parameter} has rank {tensor.Rank} but must have rank 4, {Order(layout)}.", parameter);
        }

        CheckRowMajor(lengths, tensor.Strides, parameter);
        foreach (nint length in lengths)
        {
            if (length > int.MaxValue)
            {
                throw new ArgumentException($"{parameter} has a dimension of {length}, more than int.MaxValue.", parameter);
            }
        }

        return layout == TensorLayout.Nhwc
            ? new TensorShape((int)lengths[0], (int)lengths[3], (int)lengths[1], (int)lengths[2])
            : new TensorShape((int)lengths[0], (int)lengths[1], (int)lengths[2], (int)lengths[3]);
    }

    internal static void CheckOutput(scoped in ReadOnlyTensorSpan<float> output, TensorShape expected, TensorLayout layout)
    {
        TensorShape actual = Shape(output, layout, nameof(output));
        if (actual != expected)
        {
            throw new ArgumentException(
                $"output has lengths [{string.Join(", ", output.Lengths.ToArray())}] but the result has lengths " +
                $"[{string.Join(", ", Lengths(expected, layout))}] ({Order(layout)}).",
                nameof(output));
        }
    }

    // A dense row-major tensor is one contiguous run of FlattenedLength elements starting at its first element.
    internal static ReadOnlySpan<float> Flat(scoped in ReadOnlyTensorSpan<float> tensor) =>
        MemoryMarshal.CreateReadOnlySpan(in tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));

    internal static Span<float> Flat(scoped in TensorSpan<float> tensor) =>
        MemoryMarshal.CreateSpan(ref tensor.GetPinnableReference(), checked((int)tensor.FlattenedLength));

    // Lengths of 1 may carry any stride (nothing steps along them), so only the other dimensions are compared.
    private static void CheckRowMajor(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, string parameter)
    {
        nint expected = 1;
        for (int d = lengths.Length - 1; d >= 0; d--)
        {
            if (lengths[d] > 1 && strides[d] != expected)
            {
                throw new ArgumentException(
                    $"{parameter} must be dense and row-major: its strides are [{string.Join(", ", strides.ToArray())}] " +
                    $"for lengths [{string.Join(", ", lengths.ToArray())}]. Copy a sliced or transposed view into a dense tensor first.",
                    parameter);
            }

            expected *= lengths[d];
        }
    }

    private static string Order(TensorLayout layout) => layout == TensorLayout.Nhwc ? "(N, H, W, C) for Nhwc" : "(N, C, H, W) for Nchw";

    private static int[] Lengths(TensorShape shape, TensorLayout layout) => layout == TensorLayout.Nhwc
        ? [shape.Batch, shape.Height, shape.Width, shape.Channels]
        : [shape.Batch, shape.Channels, shape.Height, shape.Width];
}
