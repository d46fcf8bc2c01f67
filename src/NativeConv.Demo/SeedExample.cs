namespace NativeConv.Demo;

/// <summary>
/// The example the project started from, as a TensorFlow user writes it: a 224×224 RGB image (NHWC), 32 filters
/// of 5×5×3 (HWIO), 'same' padding and ReLU, checked against the managed reference.
/// </summary>
internal static class SeedExample
{
    public const int Size = 224;

    /// <summary>Runs the layer on <paramref name="image"/> (NCHW, 3×224×224) and returns the 32 feature maps in NCHW.</summary>
    public static DemoStep Run(float[] image, out float[] featuresNchw)
    {
        var random = new Random(2026);
        float[] filter = Enumerable.Range(0, 5 * 5 * 3 * 32).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] bias = Enumerable.Range(0, 32).Select(_ => (float)(random.NextDouble() * 0.1)).ToArray();
        var options = new Conv2DOptions(32, 5)
        {
            Padding = Padding.Same,
            Activation = Activation.Relu,
            Layout = TensorLayout.Nhwc,
            FilterLayout = FilterLayout.Hwio,
        };
        var rgb = new TensorShape(1, 3, Size, Size);
        DemoStep step = DemoStep.Convolve("seed: 32 filters 5x5x3, ReLU (NHWC)", rgb, options, Layouts.ToNhwc(image, 3, Size, Size), filter, bias, out float[] featuresNhwc);
        featuresNchw = Layouts.ToNchw(featuresNhwc, 32, Size, Size);
        return step;
    }
}
