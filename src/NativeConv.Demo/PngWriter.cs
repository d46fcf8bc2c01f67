using SkiaSharp;

namespace NativeConv.Demo;

/// <summary>Turns NCHW float planes into PNG files.</summary>
internal static class PngWriter
{
    /// <summary>Writes a 3-channel NCHW image with values in [0, 1] (clamped) as RGB.</summary>
    public static void WriteRgb(string path, ReadOnlySpan<float> chw, int height, int width)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                bitmap.SetPixel(x, y, new SKColor(ToByte(chw[i]), ToByte(chw[plane + i]), ToByte(chw[2 * plane + i])));
            }
        }
        Save(bitmap, path);
    }

    /// <summary>
    /// Writes every plane of a CHW tensor as a grey tile in a grid, each tile stretched to its own
    /// min..max so that weak feature maps stay visible.
    /// </summary>
    public static void WriteMosaic(string path, ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        int columns = (int)Math.Ceiling(Math.Sqrt(channels));
        int rows = (channels + columns - 1) / columns;
        const int gap = 2;
        using var bitmap = new SKBitmap(columns * (width + gap) - gap, rows * (height + gap) - gap, SKColorType.Rgba8888, SKAlphaType.Opaque);
        bitmap.Erase(new SKColor(40, 40, 40));
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> map = chw.Slice(c * plane, plane);
            float min = float.MaxValue, max = float.MinValue;
            foreach (float v in map)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            float scale = max > min ? 1 / (max - min) : 0;
            int left = c % columns * (width + gap), top = c / columns * (height + gap);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    byte grey = ToByte((map[y * width + x] - min) * scale);
                    bitmap.SetPixel(left + x, top + y, new SKColor(grey, grey, grey));
                }
            }
        }
        Save(bitmap, path);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);

    private static void Save(SKBitmap bitmap, string path)
    {
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        data.SaveTo(file);
    }
}
