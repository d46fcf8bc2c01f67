namespace NativeConv.Tests.Support;

/// <summary>Reorders tensors between the PyTorch and TensorFlow memory layouts.</summary>
internal static class Layouts
{
    public static float[] NchwToNhwc(ReadOnlySpan<float> nchw, TensorShape shape)
    {
        var nhwc = new float[nchw.Length];
        for (int n = 0; n < shape.Batch; n++)
        {
            for (int c = 0; c < shape.Channels; c++)
            {
                for (int h = 0; h < shape.Height; h++)
                {
                    for (int w = 0; w < shape.Width; w++)
                    {
                        nhwc[((n * shape.Height + h) * shape.Width + w) * shape.Channels + c] =
                            nchw[((n * shape.Channels + c) * shape.Height + h) * shape.Width + w];
                    }
                }
            }
        }

        return nhwc;
    }

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
}
