using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;

namespace NativeConv.Demo;

/// <summary>
/// <c>bench --runs n --out dir</c>: a few typical convolutions timed with a progress bar, a table of GFLOP/s and % of
/// the nominal peak, and a bar chart PNG. A quick look; bench/ holds the BenchmarkDotNet suite for real measurements.
/// </summary>
internal static class BenchCommand
{
    private sealed record Case(string Name, TensorShape Shape, Conv2DOptions Options);

    private static readonly Case[] Cases =
    [
        new("seed 224x224x3 -> 32x5x5 NHWC", new(1, 3, 224, 224), new(32, 5) { Padding = Padding.Same, Activation = Activation.Relu, Layout = TensorLayout.Nhwc, FilterLayout = FilterLayout.Hwio }),
        new("3x3 64->64 56x56 NCHW", new(1, 64, 56, 56), new(64, 3) { Padding = 1 }),
        new("3x3 64->64 56x56 NHWC", new(1, 64, 56, 56), new(64, 3) { Padding = 1, Layout = TensorLayout.Nhwc }),
        new("3x3 s2 32->64 112x112 NCHW", new(1, 32, 112, 112), new(64, 3) { Padding = 1, Stride = 2 }),
        new("1x1 128->128 28x28 NCHW", new(1, 128, 28, 28), new(128, 1)),
        new("depthwise 3x3 128ch 56x56 NCHW", new(1, 128, 56, 56), new(128, 3) { Padding = 1, Groups = 128 }),
    ];

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 5, Description = "Timed runs per case (after one warm-up); the median is reported." };
        var output = new Option<string>("--out") { DefaultValueFactory = _ => Path.Combine("out", "bench"), Description = "Folder for speed.png." };
        var command = new Command("bench", "Time a few typical convolutions: table of GFLOP/s and % of nominal peak, bar chart PNG.") { runs, output };
        command.SetAction(result => Run(Math.Max(1, result.GetValue(runs)), Path.GetFullPath(result.GetValue(output)!)));
        return command;
    }

    private static int Run(int runs, string outputDir)
    {
        var results = new List<(Case Case, string Kernel, double Milliseconds, double GigaFlops)>();
        AnsiConsole.Progress().Start(progress =>
        {
            foreach (Case c in Cases)
            {
                ProgressTask task = progress.AddTask(Markup.Escape(c.Name), maxValue: runs + 1);
                var geometry = Conv2DGeometry.Create(c.Shape, c.Options);
                var random = new Random(1);
                float[] filter = Enumerable.Range(0, geometry.FilterLength).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
                float[] input = Enumerable.Range(0, geometry.InputLength).Select(_ => (float)random.NextDouble()).ToArray();
                var output = new float[geometry.OutputLength];
                using var plan = new Conv2DPlan(c.Shape, c.Options, filter);
                plan.Run(input, output);
                task.Increment(1);
                var times = new double[runs];
                for (int i = 0; i < runs; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    plan.Run(input, output);
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    task.Increment(1);
                }
                Array.Sort(times);
                double median = times[runs / 2];
                results.Add((c, plan.KernelName, median, geometry.Flops / (median * 1e6)));
            }
        });

        double? peak = PeakEstimate.GigaFlops();
        var table = new Table().Title($"NativeConv {NativeConvLibrary.Version}: {NativeConvLibrary.ActiveIsa} kernels, {Environment.ProcessorCount} threads, median of {runs}");
        foreach (string column in new[] { "case", "kernel", "ms", "GFLOP/s", "% of peak" })
        {
            table.AddColumn(column);
        }
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Case.Name), Markup.Escape(r.Kernel), r.Milliseconds.ToString("F3"), r.GigaFlops.ToString("F2"),
                peak is null ? "-" : (100 * r.GigaFlops / peak.Value).ToString("F1"));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(peak is null
            ? "% of peak: unknown (no CPU clock found)"
            : $"% of peak: of a nominal {peak:F0} GFLOP/s = {Environment.ProcessorCount} cores x clock x FLOP/cycle of {NativeConvLibrary.BestSupportedIsa} (an estimate)");

        Directory.CreateDirectory(outputDir);
        string chart = Path.Combine(outputDir, "speed.png");
        SpeedChart.Write(chart, $"NativeConv convolutions on {NativeConvLibrary.ActiveIsa}, {Environment.ProcessorCount} threads", results.Select(r => (r.Case.Name, r.GigaFlops)).ToList());
        AnsiConsole.MarkupLine($"chart written to [bold]{Markup.Escape(chart)}[/]");
        return 0;
    }
}
