using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NativeConv.Models;

/// <summary>
/// A <see cref="Sequential"/> model planned for one input shape: every layer validated and prepared once, and two
/// buffers, each as large as the largest intermediate tensor, that the layers write in turn.
/// </summary>
/// <remarks>
/// Runs are serialised (the buffers are shared), so one plan may be used from several threads but computes one input
/// at a time; each run uses up to <see cref="MaxThreads"/> threads inside the layers. Dispose the plan to free the
/// packed weights.
/// </remarks>
public sealed class SequentialPlan : IDisposable
{
    private readonly LayerStep[] steps;
    private readonly PlannedLayer[] layers;
    private readonly float[][] buffers;
    private readonly object runLock = new();
    private int maxThreads = Environment.ProcessorCount;
    private bool disposed;

    internal SequentialPlan(TensorShape inputShape, TensorLayout layout, List<(LayerStep Step, string Name, string Description, TensorShape Input)> planned)
    {
        InputShape = inputShape;
        Layout = layout;
        steps = planned.Select(p => p.Step).ToArray();
        layers = planned.Select(p => new PlannedLayer(p.Name, p.Description, p.Input, p.Step.OutputShape, p.Step.Flops, p.Step.KernelName)).ToArray();
        OutputShape = steps[^1].OutputShape;
        InputLength = checked((int)inputShape.ElementCount);
        OutputLength = checked((int)OutputShape.ElementCount);

        // The last step writes the caller's output, so only the tensors between steps need a buffer.
        int largest = 0;
        for (int i = 0; i < steps.Length - 1; i++)
        {
            largest = Math.Max(largest, checked((int)steps[i].OutputShape.ElementCount));
        }

        buffers = [new float[largest], new float[steps.Length > 2 ? largest : 0]];
    }

    /// <summary>The input shape the plan was built for.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shape of the model's output.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>Memory order of the input, the intermediate tensors and the output.</summary>
    public TensorLayout Layout { get; }

    /// <summary>Elements of the input buffer.</summary>
    public int InputLength { get; }

    /// <summary>Elements of the output buffer.</summary>
    public int OutputLength { get; }

    /// <summary>The steps in the order they run, with shapes, FLOPs, kernels and the last run's times.</summary>
    public IReadOnlyList<PlannedLayer> Layers => layers;

    /// <summary>Floating-point operations of one run, summed over <see cref="Layers"/>.</summary>
    public long TotalFlops => layers.Sum(l => l.Flops);

    /// <summary>Floats held by the two intermediate buffers.</summary>
    public long BufferElements => (long)buffers[0].Length + buffers[1].Length;

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
        if (input.Length != InputLength)
        {
            throw new ArgumentException($"input has {input.Length} elements but the shape needs exactly {InputLength}.", nameof(input));
        }

        if (output.Length != OutputLength)
        {
            throw new ArgumentException($"output has {output.Length} elements but the shape needs exactly {OutputLength}.", nameof(output));
        }

        if (input.Overlaps(output))
        {
            throw new ArgumentException("output must not overlap input.", nameof(output));
        }

        lock (runLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            ReadOnlySpan<float> source = input;
            for (int i = 0; i < steps.Length; i++)
            {
                LayerStep step = steps[i];
                Span<float> destination = i == steps.Length - 1
                    ? output
                    : buffers[i % 2].AsSpan(0, (int)step.OutputShape.ElementCount);
                long start = Stopwatch.GetTimestamp();
                step.Run(source, destination, maxThreads);
                layers[i].LastRunTime = Stopwatch.GetElapsedTime(start);
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

    /// <summary>A text table of the steps: name, description, output shape, MFLOPs, kernel and last run time.</summary>
    /// <returns>One line per step plus a header and a total.</returns>
    public string Summary()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{"step",-24} {"layer",-34} {"output (N,C,H,W)",-20} {"MFLOP",10} {"ms",9}  kernel");
        foreach (PlannedLayer layer in layers)
        {
            TensorShape s = layer.OutputShape;
            text.AppendLine(c,
                $"{layer.Name,-24} {layer.Description,-34} {$"{s.Batch}x{s.Channels}x{s.Height}x{s.Width}",-20} {layer.Flops / 1e6,10:F2} {layer.LastRunTime.TotalMilliseconds,9:F3}  {layer.KernelName}");
        }

        double total = layers.Sum(l => l.LastRunTime.TotalMilliseconds);
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
