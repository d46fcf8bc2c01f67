using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NativeConv.Models;

/// <summary>
/// A <see cref="Sequential"/> model planned for one input shape: every layer validated and prepared once, and two
/// buffers, each as large as the largest intermediate tensor in <see cref="TensorLayout.Nchw16c"/> (channels padded to
/// a multiple of 16) and starting on a 64-byte boundary, that the layers write in turn.
/// </summary>
/// <remarks>
/// The input is reordered into <see cref="TensorLayout.Nchw16c"/> before the first layer and the result back into
/// <see cref="Layout"/> after the last, unless <see cref="Layout"/> is <see cref="TensorLayout.Nchw16c"/>; the two
/// reorders are not among <see cref="Layers"/> (their time is <see cref="LastReorderTime"/>). Runs are serialised (the
/// buffers are shared), so one plan may be used from several threads but computes one input at a time; each run uses
/// up to <see cref="MaxThreads"/> threads inside the layers. Dispose the plan to free the packed weights.
/// </remarks>
public sealed class SequentialPlan : IDisposable
{
    // What runs, in order: the reorder into the execution layout (if any), the layers, the reorder out (if any).
    private readonly LayerStep[] steps;

    // The report of each step of steps: its layer, or null for a reorder.
    private readonly PlannedLayer?[] reports;
    private readonly PlannedLayer[] layers;
    private readonly TimeSpan[] reorderTimes;

    // Elements each step writes into a buffer; all are in the execution layout. The last step writes the output.
    private readonly int[] lengths;
    private readonly AlignedBuffer[] buffers;
    private readonly object runLock = new();
    private int maxThreads = Environment.ProcessorCount;
    private bool disposed;

    internal SequentialPlan(TensorShape inputShape, TensorLayout layout, List<(LayerStep Step, string Name, string Description, TensorShape Input)> planned)
    {
        InputShape = inputShape;
        Layout = layout;
        layers = planned.Select(p => new PlannedLayer(p.Name, p.Description, p.Input, p.Step.OutputShape, p.Step.Flops, p.Step.KernelName)).ToArray();
        OutputShape = planned[^1].Step.OutputShape;
        InputLength = checked((int)inputShape.ElementCountIn(layout));
        OutputLength = checked((int)OutputShape.ElementCountIn(layout));

        var allSteps = new List<LayerStep>();
        var allReports = new List<PlannedLayer?>();
        bool reorder = layout != Sequential.ExecutionLayout;
        if (reorder)
        {
            allSteps.Add(new ReorderStep(inputShape, layout, Sequential.ExecutionLayout));
            allReports.Add(null);
        }

        allSteps.AddRange(planned.Select(p => p.Step));
        allReports.AddRange(layers);
        if (reorder)
        {
            allSteps.Add(new ReorderStep(OutputShape, Sequential.ExecutionLayout, layout));
            allReports.Add(null);
        }

        steps = [.. allSteps];
        reports = [.. allReports];
        reorderTimes = new TimeSpan[steps.Length];

        // The last step writes the caller's output, so only the tensors between steps need a buffer.
        lengths = steps.Select(s => checked((int)s.OutputShape.ElementCountIn(Sequential.ExecutionLayout))).ToArray();
        int largest = lengths[..^1].DefaultIfEmpty(0).Max();
        buffers = [new AlignedBuffer(largest), new AlignedBuffer(steps.Length > 2 ? largest : 0)];
    }

    /// <summary>The input shape the plan was built for.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shape of the model's output.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>Memory order of the input and the output; the tensors between layers are in <see cref="TensorLayout.Nchw16c"/>.</summary>
    public TensorLayout Layout { get; }

    /// <summary>Elements of the input buffer: <see cref="TensorShape.ElementCountIn"/> of <see cref="InputShape"/> in <see cref="Layout"/>.</summary>
    public int InputLength { get; }

    /// <summary>Elements of the output buffer: <see cref="TensorShape.ElementCountIn"/> of <see cref="OutputShape"/> in <see cref="Layout"/>.</summary>
    public int OutputLength { get; }

    /// <summary>The layers in the order they run, with shapes, FLOPs, kernels and the last run's times.</summary>
    public IReadOnlyList<PlannedLayer> Layers => layers;

    /// <summary>Floating-point operations of one run, summed over <see cref="Layers"/>.</summary>
    public long TotalFlops => layers.Sum(l => l.Flops);

    /// <summary>Floats held by the two intermediate buffers.</summary>
    public long BufferElements => (long)buffers[0].Length + buffers[1].Length;

    /// <summary>
    /// How long the most recent run spent reordering the input into <see cref="TensorLayout.Nchw16c"/> and the result
    /// back into <see cref="Layout"/>; zero before the first run and when <see cref="Layout"/> is <see cref="TensorLayout.Nchw16c"/>.
    /// </summary>
    public TimeSpan LastReorderTime => reorderTimes.Aggregate(TimeSpan.Zero, (sum, time) => sum + time);

    /// <summary>Thread cap of each layer; default <see cref="Environment.ProcessorCount"/>. Results do not depend on it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxThreads
    {
        get => maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            maxThreads = value;
        }
    }

    /// <summary>Runs every layer on <paramref name="input"/>, records each step's time, and writes the result.</summary>
    /// <param name="input"><see cref="InputLength"/> values in <see cref="Layout"/>.</param>
    /// <param name="output"><see cref="OutputLength"/> values in <see cref="Layout"/>, overwritten. Must not overlap <paramref name="input"/>.</param>
    /// <exception cref="ObjectDisposedException">The plan has been disposed.</exception>
    /// <exception cref="ArgumentException">A buffer has the wrong length, or they overlap.</exception>
    public void Run(ReadOnlySpan<float> input, Span<float> output)
    {
        GeometryChecks.Length(input.Length, InputLength, nameof(input), Layout);
        GeometryChecks.Length(output.Length, OutputLength, nameof(output), Layout);
        GeometryChecks.NoOverlap(input, output);

        lock (runLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            ReadOnlySpan<float> source = input;
            for (int i = 0; i < steps.Length; i++)
            {
                LayerStep step = steps[i];
                Span<float> destination = i == steps.Length - 1
                    ? output
                    : buffers[i % 2].Span(lengths[i]);
                long start = Stopwatch.GetTimestamp();
                step.Run(source, destination, maxThreads);
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                if (reports[i] is PlannedLayer report)
                {
                    report.LastRunTime = elapsed;
                }
                else
                {
                    reorderTimes[i] = elapsed;
                }

                source = destination;
            }
        }
    }

    /// <summary>Runs the model on <paramref name="input"/> into a new array.</summary>
    /// <param name="input"><see cref="InputLength"/> values in <see cref="Layout"/>.</param>
    /// <returns><see cref="OutputLength"/> values in <see cref="Layout"/>.</returns>
    /// <exception cref="ObjectDisposedException">The plan has been disposed.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> has the wrong length.</exception>
    public float[] Run(ReadOnlySpan<float> input)
    {
        var output = new float[OutputLength];
        Run(input, output);
        return output;
    }

    /// <summary>
    /// A text table of the steps: name, description, output shape, MFLOPs, kernel and last run time, with a row for
    /// each reorder into or out of <see cref="TensorLayout.Nchw16c"/>.
    /// </summary>
    /// <returns>One line per step plus a header and a total.</returns>
    public string Summary()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{"step",-24} {"layer",-34} {"output (N,C,H,W)",-20} {"MFLOP",10} {"ms",9}  kernel");
        for (int i = 0; i < steps.Length; i++)
        {
            PlannedLayer? layer = reports[i];
            TensorShape s = steps[i].OutputShape;
            string name = layer?.Name ?? (i == 0 ? "reorder-in" : "reorder-out");
            string description = layer?.Description ?? $"{((ReorderStep)steps[i]).From} -> {((ReorderStep)steps[i]).To}";
            double flops = (layer?.Flops ?? 0) / 1e6;
            TimeSpan time = layer?.LastRunTime ?? reorderTimes[i];
            text.AppendLine(c,
                $"{name,-24} {description,-34} {$"{s.Batch}x{s.Channels}x{s.Height}x{s.Width}",-20} {flops,10:F2} {time.TotalMilliseconds,9:F3}  {steps[i].KernelName}");
        }

        double total = layers.Sum(l => l.LastRunTime.TotalMilliseconds) + LastReorderTime.TotalMilliseconds;
        text.Append(c, $"{"total",-24} {string.Empty,-34} {string.Empty,-20} {TotalFlops / 1e6,10:F2} {total,9:F3}");
        return text.ToString();
    }

    /// <summary>Frees every layer's packed weights. Safe to call more than once; a run in progress finishes first.</summary>
    public void Dispose()
    {
        lock (runLock)
        {
            disposed = true;
            foreach (LayerStep step in steps)
            {
                step.Dispose();
            }
        }
    }
}
