namespace NativeConv.Demo;

/// <summary>Plain transposes between the two user layouts, for a single image.</summary>
internal static class Layouts
{
    public static float[] ToNhwc(ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        var hwc = new float[chw.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < height * width; i++)
            {
                hwc[i * channels + c] = chw[c * height * width + i];
            }
        }
        return hwc;
    }

    public static float[] ToNchw(ReadOnlySpan<float> hwc, int channels, int height, int width)
    {
        var chw = new float[hwc.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < height * width; i++)
            {
                chw[c * height * width + i] = hwc[i * channels + c];
            }
        }
        return chw;
    }
}
