namespace NativeConv.Tests.Support;

/// <summary>
/// Reorders tensors between NCHW and the other activation layouts, and filters between OIHW and HWIO, with index
/// formulas written out from the layout definitions independently of the library.
/// </summary>
internal static class Layouts
{
    public const int Block = 16;

    public static int Blocks(int channels) => (channels + Block - 1) / Block;

    /// <summary>Where element (n, c, h, w) lives in <paramref name="layout"/>.</summary>
    public static int Index(TensorLayout layout, TensorShape shape, int n, int c, int h, int w) => layout switch
    {
        TensorLayout.Nchw => ((n * shape.Channels + c) * shape.Height + h) * shape.Width + w,
        TensorLayout.Nhwc => ((n * shape.Height + h) * shape.Width + w) * shape.Channels + c,
        TensorLayout.Nchw16c => (((n * Blocks(shape.Channels) + c / Block) * shape.Height + h) * shape.Width + w) * Block + c % Block,
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    /// <summary>N·C·H·W, or N·⌈C/16⌉·H·W·16 for the blocked layout.</summary>
    public static int Length(TensorShape shape, TensorLayout layout) => layout == TensorLayout.Nchw16c
        ? checked(shape.Batch * Blocks(shape.Channels) * Block * shape.Height * shape.Width)
        : checked(shape.Batch * shape.Channels * shape.Height * shape.Width);

    /// <summary>The indices of the blocked layout's padding lanes (channels C to ⌈C/16⌉·16 − 1); none in the others.</summary>
    public static IEnumerable<int> PaddingLanes(TensorShape shape, TensorLayout layout)
    {
        if (layout != TensorLayout.Nchw16c)
        {
            yield break;
        }

        for (int n = 0; n < shape.Batch; n++)
        {
            for (int c = shape.Channels; c < Blocks(shape.Channels) * Block; c++)
            {
                for (int h = 0; h < shape.Height; h++)
                {
                    for (int w = 0; w < shape.Width; w++)
                    {
                        yield return Index(layout, shape, n, c, h, w);
                    }
                }
            }
        }
    }

    /// <summary>Sets the blocked padding lanes of <paramref name="tensor"/> to <paramref name="value"/> and returns it.</summary>
    public static float[] FillPadding(float[] tensor, TensorShape shape, TensorLayout layout, float value)
    {
        foreach (int i in PaddingLanes(shape, layout))
        {
            tensor[i] = value;
        }

        return tensor;
    }

    /// <summary>An NCHW tensor in <paramref name="layout"/>; blocked padding lanes hold <paramref name="padding"/>.</summary>
    public static float[] FromNchw(ReadOnlySpan<float> nchw, TensorShape shape, TensorLayout layout, float padding = 0f)
    {
        var result = new float[Length(shape, layout)];
        Array.Fill(result, padding);
        Copy(nchw, shape, TensorLayout.Nchw, result, layout);
        return result;
    }

    /// <summary>A tensor in <paramref name="layout"/> in NCHW; blocked padding lanes are dropped.</summary>
    public static float[] ToNchw(ReadOnlySpan<float> data, TensorShape shape, TensorLayout layout)
    {
        var result = new float[Length(shape, TensorLayout.Nchw)];
        Copy(data, shape, layout, result, TensorLayout.Nchw);
        return result;
    }

    public static float[] NchwToNhwc(ReadOnlySpan<float> nchw, TensorShape shape) => FromNchw(nchw, shape, TensorLayout.Nhwc);

    /// <summary>[K][C/groups][R][S] to [R][S][C/groups][K].</summary>
    public static float[] OihwToHwio(ReadOnlySpan<float> oihw, int outChannels, int inPerGroup, int kernelHeight, int kernelWidth)
    {
        var hwio = new float[oihw.Length];
        for (int k = 0; k < outChannels; k++)
        {
            for (int c = 0; c < inPerGroup; c++)
            {
                for (int r = 0; r < kernelHeight; r++)
                {
                    for (int s = 0; s < kernelWidth; s++)
                    {
                        hwio[((r * kernelWidth + s) * inPerGroup + c) * outChannels + k] =
                            oihw[((k * inPerGroup + c) * kernelHeight + r) * kernelWidth + s];
                    }
                }
            }
        }

        return hwio;
    }

    private static void Copy(ReadOnlySpan<float> source, TensorShape shape, TensorLayout from, Span<float> destination, TensorLayout to)
    {
        for (int n = 0; n < shape.Batch; n++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                for (int h = 0; h < shape.Height; h++)
                {
                    for (int w = 0; w < shape.Width; w++)
                    {
                        destination[Index(to, shape, n, c, h, w)] = source[Index(from, shape, n, c, h, w)];
                    }
                }
            }
        }
    }
}
