using NativeConv.Interop;

namespace NativeConv;

// Where element (n, c, h, w) lives in each layout, for the few managed passes that touch activations (the blocked
// gradient magnitude, a model's flatten and activations). The native library has its own.
internal static class LayoutIndex
{
    internal const int Block = NativeMethods.NC_CHANNEL_BLOCK;

    // Shapes reaching here have been validated, so their blocked lengths fit in an int.
    internal static int Blocks(int channels) => (int)(((long)channels + Block - 1) / Block);

    internal static int Of(TensorLayout layout, TensorShape shape, int n, int c, int h, int w) => layout switch
    {
        TensorLayout.Nhwc => (((((n * shape.Height) + h) * shape.Width) + w) * shape.Channels) + c,
        TensorLayout.Nchw16c =>
            (((((((n * Blocks(shape.Channels)) + (c / Block)) * shape.Height) + h) * shape.Width) + w) * Block) + (c % Block),
        _ => (((((n * shape.Channels) + c) * shape.Height) + h) * shape.Width) + w,
    };

    // Sets the lanes of a blocked tensor's last block that lie past its last channel, which must read as zeros.
    internal static void ClearPaddingLanes(Span<float> tensor, TensorShape shape)
    {
        int used = shape.Channels % Block;
        if (used == 0)
        {
            return;
        }

        int blocks = Blocks(shape.Channels);
        int pixels = shape.Height * shape.Width;
        for (int n = 0; n < shape.Batch; n++)
        {
            Span<float> lastBlock = tensor.Slice((((n * blocks) + blocks - 1) * pixels) * Block, pixels * Block);
            for (int pixel = 0; pixel < pixels; pixel++)
            {
                lastBlock.Slice((pixel * Block) + used, Block - used).Clear();
            }
        }
    }
}
