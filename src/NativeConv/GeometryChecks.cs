namespace NativeConv;

// The rule checks Conv2DGeometry and Pool2DGeometry share. Messages name the offending property and the rule,
// because the parameter name alone ("options") does not say which of a dozen values was wrong.
internal static class GeometryChecks
{
    internal const string ShapeParameter = "inputShape";
    internal const string OptionsParameter = "options";

    internal static void CheckShape(TensorShape shape)
    {
        AtLeast(shape.Batch, 0, "Batch", ShapeParameter);
        AtLeast(shape.Channels, 1, "Channels", ShapeParameter);
        AtLeast(shape.Height, 1, "Height", ShapeParameter);
        AtLeast(shape.Width, 1, "Width", ShapeParameter);
    }

    internal static void AtLeast(long value, long minimum, string property, string parameter = OptionsParameter)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(parameter, value, $"{property} ({value}) must be at least {minimum}.");
        }
    }

    internal static void Defined<TEnum>(TEnum value, string property)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(
                OptionsParameter, value, $"{property} ({value}) is not a defined {typeof(TEnum).Name} value.");
        }
    }

    internal static void CheckActivation(Activation activation)
    {
        Defined(activation.Kind, "Activation.Kind");
        if (activation.Kind != ActivationKind.Clamp)
        {
            return;
        }

        if (float.IsNaN(activation.Min) || float.IsNaN(activation.Max))
        {
            throw new ArgumentException(
                $"Activation.Min ({activation.Min}) and Activation.Max ({activation.Max}) must not be NaN.", OptionsParameter);
        }

        if (activation.Min > activation.Max)
        {
            throw new ArgumentException(
                $"Activation.Min ({activation.Min}) must not exceed Activation.Max ({activation.Max}).", OptionsParameter);
        }
    }

    internal static void ExplicitPadding(long padding, string side)
    {
        AtLeast(padding, 0, $"Padding.Explicit.{side}");
    }

    // The resolved sides become a Padding2D of ints; only a same rule applied to an extreme kernel can exceed that.
    internal static Padding2D ToPadding2D(long top, long bottom, long left, long right)
    {
        if (Math.Max(Math.Max(top, bottom), Math.Max(left, right)) > int.MaxValue)
        {
            throw new ArgumentException(
                $"The resolved padding ({top}, {bottom}, {left}, {right}) overflows int.", OptionsParameter);
        }

        return new Padding2D((int)top, (int)bottom, (int)left, (int)right);
    }

    internal static long EffectiveKernel(long kernel, long dilation) => ((kernel - 1) * dilation) + 1;

    internal static void KernelFits(string axis, long inSize, long padBegin, long padEnd, long kernel, long dilation)
    {
        long padded = inSize + padBegin + padEnd;
        long span = EffectiveKernel(kernel, dilation);
        if (span > padded)
        {
            throw new ArgumentException(
                $"The kernel (with dilation) is larger than the padded input: a kernel {axis} of {kernel} with dilation " +
                $"{dilation} spans {span} but the padded input {axis} is {padded}.",
                OptionsParameter);
        }
    }

    // The native library forms tap offsets inside the zero-padded input image, so it bounds that image (stored
    // channels x padded height x padded width floats) by the byte sizes int64_t and size_t hold. Only padding far
    // beyond the input reaches the bound: a same rule applied to an extreme dilation, or an extreme pooling window.
    internal static void PaddedInputFits(TensorShape shape, TensorLayout layout, Padding2D padding)
    {
        long channels = shape.StoredChannels(layout);
        long height = (long)shape.Height + padding.Top + padding.Bottom;
        long width = (long)shape.Width + padding.Left + padding.Right;
        long limit = (Environment.Is64BitProcess ? long.MaxValue : uint.MaxValue) / sizeof(float);
        if ((Int128)channels * height * width > limit)
        {
            throw new ArgumentException(
                $"The zero-padded input is too large: {channels} channels x {height} x {width} padded rows and columns " +
                $"exceed {limit} floats, the most whose byte size fits the native library's sizes.",
                OptionsParameter);
        }
    }

    // Output sizes are at most the padded input, so they fit in long; a Span still needs them in int.
    internal static int OutputSize(string axis, long size)
    {
        if (size > int.MaxValue)
        {
            throw new ArgumentException($"The output {axis} ({size}) overflows int.", OptionsParameter);
        }

        return (int)size;
    }

    // Zero factors are skipped while checking, so a batch of 0 is accepted only if one image would fit: the
    // native side computes per-image sizes too. Every factor is at most 2^31 (channels rounded up to whole blocks) and the running product is kept at
    // most int.MaxValue, so the long multiplication itself never overflows.
    internal static int ElementCount(string tensor, string parameter, long a, long b, long c, long d) =>
        ElementCount(tensor, parameter, a, b, c, d, null);

    // blocked is the shape whose channels b counts padded for Nchw16c, named in the message; null for any other count.
    // The message is built only when thrown, so that checking a blocked tensor on every run allocates nothing.
    private static int ElementCount(string tensor, string parameter, long a, long b, long c, long d, TensorShape? blocked)
    {
        long count = 1;
        bool empty = false;
        foreach (long factor in (ReadOnlySpan<long>)[a, b, c, d])
        {
            if (factor == 0)
            {
                empty = true;
                continue;
            }

            count *= factor;
            if (count > int.MaxValue)
            {
                string note = blocked is { } shape ? $" ({shape.Channels} channels padded to {b} for Nchw16c)" : string.Empty;
                throw new ArgumentException(
                    $"The {tensor} tensor is too large: {a} x {b} x {c} x {d} elements{note} overflows the int length of a span.",
                    parameter);
            }
        }

        return empty ? 0 : (int)count;
    }

    // An activation tensor's buffer length in its layout: the channels count in whole blocks for Nchw16c.
    internal static int ElementCount(string tensor, string parameter, TensorShape shape, TensorLayout layout)
    {
        long channels = shape.StoredChannels(layout);
        return ElementCount(tensor, parameter, shape.Batch, channels, shape.Height, shape.Width,
            layout == TensorLayout.Nchw16c ? shape : null);
    }

    internal static void Length(int actual, int expected, string buffer)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{buffer} has {actual} elements but the shape needs exactly {expected}.", buffer);
        }
    }

    // As Length, and for the blocked layout the message says why the count exceeds N·C·H·W.
    internal static void Length(int actual, int expected, string buffer, TensorLayout layout)
    {
        if (actual != expected && layout == TensorLayout.Nchw16c)
        {
            throw new ArgumentException(
                $"{buffer} has {actual} elements but the shape needs exactly {expected} in Nchw16c " +
                "(N·⌈C/16⌉·H·W·16: the channels are padded to a multiple of 16).",
                buffer);
        }

        Length(actual, expected, buffer);
    }

    internal static void NoOverlap(ReadOnlySpan<float> input, ReadOnlySpan<float> output)
    {
        if (input.Overlaps(output))
        {
            throw new ArgumentException("output must not overlap input.", nameof(output));
        }
    }
}
