using Spectre.Console;

namespace NativeConv.Demo;

/// <summary>
/// What the demo does without a command: the seed example, classic filters, pooling and a VGG-style feature stack on
/// the built-in image, each checked or timed, with PNG files of every result and a speed chart.
/// </summary>
internal static class FullDemo
{
    public static int Run(string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        const int Size = SeedExample.Size;
        float[] image = SampleImage.Create(Size, Size);
        var rgb = new TensorShape(1, 3, Size, Size);
        PngWriter.WriteRgb(Path.Combine(outputDir, "input.png"), image, Size, Size);

        var steps = new List<DemoStep> { SeedExample.Run(image, out float[] features) };
        PngWriter.WriteMosaic(Path.Combine(outputDir, "seed-feature-maps.png"), features, 32, Size, Size);

        // Classic filters applied to every channel on its own: a depthwise convolution (groups = channels).
        steps.Add(DemoStep.Filter("Sobel x, per channel", rgb, Kernel2D.SobelX, image, out _));
        steps.Add(DemoStep.Filter("Sobel y, per channel", rgb, Kernel2D.SobelY, image, out _));
        var magnitude = new float[image.Length];
        Filters.GradientMagnitude(rgb, image, magnitude);
        // A unit step gives a magnitude of 4; scale so that it is drawn white.
        PngWriter.WriteRgb(Path.Combine(outputDir, "sobel-edges.png"), magnitude.Select(v => v / 4).ToArray(), Size, Size);

        steps.Add(DemoStep.Filter("Gaussian 7x7 sigma 2, per channel", rgb, Kernel2D.Gaussian(7, 2.0), image, out float[] blurred));
        PngWriter.WriteRgb(Path.Combine(outputDir, "gaussian-blur.png"), blurred, Size, Size);

        steps.Add(DemoStep.Pool("max pool 2x2, stride 2", rgb, new Pool2DOptions(PoolKind.Max, 2), image, out float[] pooled));
        PngWriter.WriteRgb(Path.Combine(outputDir, "max-pool.png"), pooled, Size / 2, Size / 2);

        Tables.WriteSteps(steps);
        Tables.WriteLayers("VGG-style stack (random weights): one mosaic of feature maps per block", FeatureStack.Run(image, rgb, outputDir));

        SpeedChart.Write(
            Path.Combine(outputDir, "speed.png"),
            $"NativeConv on {NativeConvLibrary.ActiveIsa}, {Environment.ProcessorCount} threads (demo steps, median of 7 runs)",
            steps.Where(s => !double.IsNaN(s.GigaFlops)).Select(s => (s.Name, s.GigaFlops)).ToList());

        int exitCode = Tables.Verdict(steps);
        Tables.ListPngs(outputDir);
        AnsiConsole.MarkupLine("More: [bold]filter[/], [bold]features[/], [bold]seed[/] and [bold]bench[/] commands (run with --help).");
        return exitCode;
    }
}
