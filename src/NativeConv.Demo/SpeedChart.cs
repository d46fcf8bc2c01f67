using ScottPlot;

namespace NativeConv.Demo;

/// <summary>A horizontal bar chart of GFLOP/s per case, as a PNG; horizontal so that long case names stay readable.</summary>
internal static class SpeedChart
{
    public static void Write(string path, string title, IReadOnlyList<(string Label, double GigaFlops)> bars)
    {
        var plot = new Plot();
        // The first case is drawn at the top.
        double[] positions = Enumerable.Range(0, bars.Count).Select(i => (double)(bars.Count - 1 - i)).ToArray();
        var series = plot.Add.Bars(positions, bars.Select(b => b.GigaFlops).ToArray());
        series.Horizontal = true;
        plot.Axes.Left.SetTicks(positions, bars.Select(b => b.Label).ToArray());
        plot.Axes.Margins(left: 0);
        plot.XLabel("GFLOP/s");
        plot.Title(title);
        plot.SavePng(path, 900, 120 + 60 * bars.Count);
    }
}
