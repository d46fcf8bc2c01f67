namespace NativeConv.Reference;

// Where element (n, c, h, w) lives in each layout, written out from the layout definitions rather than shared with
// the library, so that the reference checks the library's indexing instead of repeating it.
internal static class ReferenceLayout
{
    private const int Block = 16;

    internal static int Index(TensorLayout layout, TensorShape shape, int n, int c, int h, int w) => layout switch
    {
        TensorLayout.Nchw => (((((n * shape.Channels) + c) * shape.Height) + h) * shape.Width) + w,
        TensorLayout.Nhwc => (((((n * shape.Height) + h) * shape.Width) + w) * shape.Channels) + c,
        TensorLayout.Nchw16c => (((((((n * Blocks(shape)) + (c / Block)) * shape.Height) + h) * shape.Width) + w) * Block) + (c % Block),
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Not a TensorLayout."),
    };

    // The blocked layout's padding lanes, channels C to ⌈C/16⌉·16 − 1, hold zeros in every result.
    internal static void ZeroPaddingLanes(TensorLayout layout, TensorShape shape, Span<float> tensor)
    {
        if (layout != TensorLayout.Nchw16c)
        {
            return;
        }

        for (int n = 0; n < shape.Batch; n++)
        {
            for (int c = shape.Channels; c < Blocks(shape) * Block; c++)
            {
                for (int h = 0; h < shape.Height; h++)
                {
                    for (int w = 0; w < shape.Width; w++)
                    {
                        tensor[Index(layout, shape, n, c, h, w)] = 0f;
                    }
                }
            }
        }
    }

    private static int Blocks(TensorShape shape) => (shape.Channels + Block - 1) / Block;
}
