using SkiaSharp;

namespace NativeConv.Demo;

/// <summary>Decodes an image file (PNG, JPEG, WebP, …) into an RGB NCHW float tensor with values in [0, 1].</summary>
internal static class ImageReader
{
    public static (float[] Chw, int Height, int Width) ReadRgb(string path)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not an image SkiaSharp can decode.");
        int height = bitmap.Height, width = bitmap.Width, plane = height * width;
        SKColor[] pixels = bitmap.Pixels;
        var chw = new float[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            chw[i] = pixels[i].Red / 255f;
            chw[plane + i] = pixels[i].Green / 255f;
            chw[(2 * plane) + i] = pixels[i].Blue / 255f;
        }
        return (chw, height, width);
    }
}
