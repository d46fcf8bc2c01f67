using NativeConv.Models;
using Spectre.Console;

namespace NativeConv.Demo;

/// <summary>The demo's console tables and verdict lines.</summary>
internal static class Tables
{
    // A float sum over 75 products agrees with a double reference to ~1e-6 of its magnitude.
    public const double Tolerance = 1e-4;

    public static void WriteSteps(IEnumerable<DemoStep> steps)
    {
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
    }

    public static void WriteLayers(string title, IEnumerable<PlannedLayer> layers)
    {
        var table = new Table().Title(Markup.Escape(title));
        foreach (string column in new[] { "layer", "computes", "input (NCHW)", "output (NCHW)", "MFLOP", "ms", "kernel" })
        {
            table.AddColumn(column);
        }
        foreach (PlannedLayer layer in layers)
        {
            table.AddRow(
                Markup.Escape(layer.Name),
                Markup.Escape(layer.Description),
                Shape(layer.InputShape),
                Shape(layer.OutputShape),
                (layer.Flops / 1e6).ToString("F1"),
                layer.LastRunTime.TotalMilliseconds.ToString("F3"),
                Markup.Escape(layer.KernelName));
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Prints whether every step agrees with the reference; returns the process exit code.</summary>
    public static int Verdict(IReadOnlyCollection<DemoStep> steps)
    {
        bool agrees = steps.All(s => s.MaxError <= Tolerance);
        AnsiConsole.MarkupLine("max error = max |native - managed reference| over the output");
        AnsiConsole.MarkupLine(agrees
            ? $"[green]native agrees with the managed reference on every step (max error <= {Tolerance:E0})[/]"
            : "[red]native and reference disagree: see the table[/]");
        return agrees ? 0 : 1;
    }

    public static void ListPngs(string outputDir)
    {
        AnsiConsole.MarkupLine($"PNG files written to [bold]{Markup.Escape(outputDir)}[/]:");
        foreach (string file in Directory.GetFiles(outputDir, "*.png").Order())
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(Path.GetFileName(file))}");
        }
    }

    public static string Shape(TensorShape s) => $"{s.Batch}x{s.Channels}x{s.Height}x{s.Width}";
}
