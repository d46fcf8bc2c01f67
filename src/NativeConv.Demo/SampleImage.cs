namespace NativeConv.Demo;

/// <summary>A picture drawn from formulas so the demo needs no file or download.</summary>
internal static class SampleImage
{
    /// <summary>An RGB image in NCHW order (batch 1), values in [0, 1].</summary>
    public static float[] Create(int height, int width)
    {
        var pixels = new float[3 * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float u = x / (float)(width - 1), v = y / (float)(height - 1);
                (float r, float g, float b) = (0.15f + 0.5f * u, 0.2f + 0.4f * v, 0.55f - 0.35f * u);

                // Hard edges (a disc, a square and a checker band) give the edge filters something to find.
                float dx = u - 0.32f, dy = v - 0.38f;
                if (dx * dx + dy * dy < 0.045f) (r, g, b) = (0.95f, 0.75f, 0.1f);
                if (u is > 0.58f and < 0.88f && v is > 0.18f and < 0.48f) (r, g, b) = (0.1f, 0.55f, 0.95f);
                if (v is > 0.68f and < 0.86f && ((x / 16 + y / 16) & 1) == 0) (r, g, b) = (0.9f, 0.9f, 0.9f);

                int i = y * width + x;
                pixels[i] = r;
                pixels[plane + i] = g;
                pixels[2 * plane + i] = b;
            }
        }
        return pixels;
    }
}
