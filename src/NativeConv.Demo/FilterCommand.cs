using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace NativeConv.Demo;

/// <summary><c>filter [image] --kind … --out x.png</c>: one classic or custom filter over every channel of an image.</summary>
internal static class FilterCommand
{
    private static readonly string[] Kinds =
        ["sobel", "sobel-x", "sobel-y", "scharr-x", "scharr-y", "gaussian", "box", "laplacian4", "laplacian8", "sharpen", "emboss", "custom"];

    public static Command Create()
    {
        var image = new Argument<string?>("image")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "Image file to filter (PNG, JPEG, WebP, ...); the built-in sample image if omitted.",
        };
        var kind = new Option<string>("--kind")
        {
            DefaultValueFactory = _ => "sobel",
            Description = "sobel is the gradient magnitude sqrt(gx^2 + gy^2); the others apply one kernel.",
        };
        kind.AcceptOnlyFromAmong(Kinds);
        var size = new Option<int>("--size") { DefaultValueFactory = _ => 5, Description = "Kernel size of gaussian and box." };
        var sigma = new Option<double>("--sigma") { DefaultValueFactory = _ => 1.5, Description = "Standard deviation of gaussian, in pixels." };
        var matrix = new Option<string?>("--matrix")
        {
            Description = "Weights of the custom kernel: rows separated by ';', values by ',', e.g. \"0,-1,0;-1,5,-1;0,-1,0\".",
        };
        var output = new Option<string?>("--out") { Description = "PNG file to write; default out/filter-<kind>.png." };

        var command = new Command("filter", "Filter every channel of an image with a classic or custom kernel and write a PNG.")
        {
            image, kind, size, sigma, matrix, output,
        };
        command.SetAction(result => Run(
            result.GetValue(image), result.GetValue(kind)!, result.GetValue(size), result.GetValue(sigma),
            result.GetValue(matrix), result.GetValue(output)));
        return command;
    }

    private static int Run(string? imagePath, string kind, int size, double sigma, string? matrix, string? outputPath)
    {
        Kernel2D? kernel;
        try
        {
            kernel = KernelFor(kind, size, sigma, matrix);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }

        (float[] input, int height, int width) = imagePath is null
            ? (SampleImage.Create(SeedExample.Size, SeedExample.Size), SeedExample.Size, SeedExample.Size)
            : ImageReader.ReadRgb(imagePath);
        var shape = new TensorShape(1, 3, height, width);
        var filtered = new float[input.Length];
        long start = Stopwatch.GetTimestamp();
        if (kernel is null)
        {
            Filters.GradientMagnitude(shape, input, filtered);
        }
        else
        {
            Filters.Apply(shape, input, kernel, filtered);
        }
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);

        string path = Path.GetFullPath(outputPath ?? Path.Combine("out", $"filter-{kind}.png"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        PngWriter.WriteRgb(path, ForDisplay(filtered, kernel), height, width);

        AnsiConsole.MarkupLine($"{Markup.Escape(kind)} {(kernel is null ? "(Sobel x and y)" : Markup.Escape(kernel.ToString()))}");
        AnsiConsole.MarkupLine($"{width}x{height} RGB image, {elapsed.TotalMilliseconds:F2} ms on {NativeConvLibrary.ActiveIsa}");
        AnsiConsole.MarkupLine($"written to [bold]{Markup.Escape(path)}[/]");
        return 0;
    }

    /// <summary>The kernel for <paramref name="kind"/>, or null for the gradient magnitude.</summary>
    private static Kernel2D? KernelFor(string kind, int size, double sigma, string? matrix) => kind switch
    {
        "sobel" => null,
        "sobel-x" => Kernel2D.SobelX,
        "sobel-y" => Kernel2D.SobelY,
        "scharr-x" => Kernel2D.ScharrX,
        "scharr-y" => Kernel2D.ScharrY,
        "gaussian" => Kernel2D.Gaussian(size, sigma),
        "box" => Kernel2D.Box(size),
        "laplacian4" => Kernel2D.Laplacian4,
        "laplacian8" => Kernel2D.Laplacian8,
        "sharpen" => Kernel2D.Sharpen,
        "emboss" => Kernel2D.Emboss,
        _ => ParseMatrix(matrix ?? throw new ArgumentException("--kind custom needs --matrix, e.g. --matrix \"0,-1,0;-1,5,-1;0,-1,0\".")),
    };

    private static Kernel2D ParseMatrix(string text)
    {
        float[][] rows = text.Split(';').Select(row => row.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        if (rows.Any(r => r.Length != rows[0].Length))
        {
            throw new ArgumentException($"--matrix \"{text}\" has rows of different lengths.");
        }
        return Kernel2D.Create(rows.Length, rows[0].Length, rows.SelectMany(r => r).ToArray());
    }

    // Derivative kernels (weights summing to 0) give signed results, drawn with 0 as mid-grey; a magnitude is
    // stretched to its maximum; smoothing and sharpening keep the image's own range.
    private static float[] ForDisplay(float[] values, Kernel2D? kernel)
    {
        float maxAbs = values.Length == 0 ? 0 : values.Max(MathF.Abs);
        if (maxAbs == 0)
        {
            return values;
        }
        if (kernel is null)
        {
            return values.Select(v => v / maxAbs).ToArray();
        }
        double sum = 0;
        foreach (float w in kernel.Values)
        {
            sum += w;
        }
        return Math.Abs(sum) < 1e-6 ? values.Select(v => 0.5f + v / (2 * maxAbs)).ToArray() : values;
    }
}
