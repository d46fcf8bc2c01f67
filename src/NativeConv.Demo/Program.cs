using NativeConv;
using NativeConv.Demo;
using Spectre.Console;
using Padding = NativeConv.Padding;

// The demo takes one optional argument: the folder for its PNG files.
string outputDir = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("out", "demo"));
Directory.CreateDirectory(outputDir);

const int Size = 224;
var image = SampleImage.Create(Size, Size);
var rgb = new TensorShape(1, 3, Size, Size);
PngWriter.WriteRgb(Path.Combine(outputDir, "input.png"), image, Size, Size);

var steps = new List<DemoStep>();

// The seed's example as a TensorFlow user writes it: NHWC input, HWIO filter, 'same' padding, ReLU.
var random = new Random(2026);
float[] seedFilter = Enumerable.Range(0, 5 * 5 * 3 * 32).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
float[] seedBias = Enumerable.Range(0, 32).Select(_ => (float)(random.NextDouble() * 0.1)).ToArray();
var seedOptions = new Conv2DOptions(32, 5)
{
    Padding = Padding.Same,
    Activation = Activation.Relu,
    Layout = TensorLayout.Nhwc,
    FilterLayout = FilterLayout.Hwio,
};
steps.Add(DemoStep.Convolve("seed: 32 filters 5x5x3, ReLU (NHWC)", rgb, seedOptions, Layouts.ToNhwc(image, 3, Size, Size), seedFilter, seedBias, out float[] featuresNhwc));
PngWriter.WriteMosaic(Path.Combine(outputDir, "seed-feature-maps.png"), Layouts.ToNchw(featuresNhwc, 32, Size, Size), 32, Size, Size);

// Classic filters applied to every channel on its own: a depthwise convolution (groups = channels).
var depthwise3x3 = new Conv2DOptions(3, 3) { Groups = 3, Padding = 1 };
steps.Add(DemoStep.Convolve("Sobel x, per channel", rgb, depthwise3x3, image, ClassicKernels.PerChannel(ClassicKernels.SobelX, 3), [], out float[] gradientX));
steps.Add(DemoStep.Convolve("Sobel y, per channel", rgb, depthwise3x3, image, ClassicKernels.PerChannel(ClassicKernels.SobelY, 3), [], out float[] gradientY));
var magnitude = new float[gradientX.Length];
for (int i = 0; i < magnitude.Length; i++)
{
    magnitude[i] = MathF.Sqrt(gradientX[i] * gradientX[i] + gradientY[i] * gradientY[i]) / 4;
}
PngWriter.WriteRgb(Path.Combine(outputDir, "sobel-edges.png"), magnitude, Size, Size);

var gaussian = new Conv2DOptions(3, 7) { Groups = 3, Padding = Padding.Same };
steps.Add(DemoStep.Convolve("Gaussian 7x7, per channel", rgb, gaussian, image, ClassicKernels.PerChannel(ClassicKernels.Gaussian(7, 2.0), 3), [], out float[] blurred));
PngWriter.WriteRgb(Path.Combine(outputDir, "gaussian-blur.png"), blurred, Size, Size);

steps.Add(DemoStep.Pool("max pool 2x2, stride 2", rgb, new Pool2DOptions(PoolKind.Max, 2), image, out float[] pooled));
PngWriter.WriteRgb(Path.Combine(outputDir, "max-pool.png"), pooled, Size / 2, Size / 2);

// Redirected output has no terminal width; keep the table on one line per row anyway.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 160;
}
var table = new Table().Title($"NativeConv {NativeConvLibrary.Version} on {NativeConvLibrary.ActiveIsa}, {Environment.ProcessorCount} threads");
foreach (string column in new[] { "step", "input (NCHW)", "output (NCHW)", "kernel", "ms", "GFLOP/s", "max error" })
{
    table.AddColumn(column);
}
foreach (DemoStep step in steps)
{
    table.AddRow(
        Markup.Escape(step.Name),
        Shape(step.Input),
        Shape(step.Output),
        Markup.Escape(step.Kernel),
        step.Milliseconds.ToString("F3"),
        double.IsNaN(step.GigaFlops) ? "-" : step.GigaFlops.ToString("F2"),
        step.MaxError.ToString("E2"));
}
AnsiConsole.Write(table);

// A float sum over 75 products agrees with a double reference to ~1e-6 of its magnitude.
const double Tolerance = 1e-4;
bool agrees = steps.All(s => s.MaxError <= Tolerance);
AnsiConsole.MarkupLine("max error = max |native - managed reference| over the output");
AnsiConsole.MarkupLine(agrees
    ? $"[green]native agrees with the managed reference on every step (max error <= {Tolerance:E0})[/]"
    : "[red]native and reference disagree: see the table[/]");
AnsiConsole.MarkupLine($"PNG files written to [bold]{Markup.Escape(outputDir)}[/]:");
foreach (string file in Directory.GetFiles(outputDir, "*.png").Order())
{
    AnsiConsole.MarkupLine($"  {Markup.Escape(Path.GetFileName(file))}");
}
return agrees ? 0 : 1;

static string Shape(TensorShape s) => $"{s.Batch}x{s.Channels}x{s.Height}x{s.Width}";
