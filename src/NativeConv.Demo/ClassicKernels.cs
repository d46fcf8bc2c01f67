namespace NativeConv.Demo;

/// <summary>Fixed image-processing kernels, replicated per channel as depthwise OIHW filters.</summary>
internal static class ClassicKernels
{
    public static readonly float[] SobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
    public static readonly float[] SobelY = [-1, -2, -1, 0, 0, 0, 1, 2, 1];

    /// <summary>A normalised size x size Gaussian.</summary>
    public static float[] Gaussian(int size, double sigma)
    {
        var kernel = new float[size * size];
        int half = size / 2;
        double sum = 0;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double value = Math.Exp(-((x - half) * (x - half) + (y - half) * (y - half)) / (2 * sigma * sigma));
                kernel[y * size + x] = (float)value;
                sum += value;
            }
        }
        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(kernel[i] / sum);
        }
        return kernel;
    }

    /// <summary>The same 2-D kernel for each of <paramref name="channels"/> groups: [channels][1][k][k].</summary>
    public static float[] PerChannel(float[] kernel, int channels)
    {
        var filter = new float[channels * kernel.Length];
        for (int c = 0; c < channels; c++)
        {
            kernel.CopyTo(filter, c * kernel.Length);
        }
        return filter;
    }
}
