namespace NativeConv.Models;

/// <summary>
/// A stack of layers run one after another, low-level features first: convolutions, activations, pooling, and a
/// global pooling and flatten at the end. Describe it here, then <see cref="Build"/> it for an input shape.
/// </summary>
/// <example>
/// <code>
/// var model = new Sequential()
///     .Conv2D(new Conv2DOptions(16, 3) { Padding = 1 }, filter1, bias1).Relu()
///     .MaxPool(2)
///     .Conv2D(new Conv2DOptions(32, 3) { Padding = 1 }, filter2, bias2).Relu()
///     .GlobalAveragePool()
///     .Flatten();
/// using SequentialPlan plan = model.Build(new TensorShape(1, 3, 64, 64));
/// float[] features = plan.Run(image);
/// Console.WriteLine(plan.Summary());
/// </code>
/// </example>
/// <remarks>
/// The plan keeps every tensor between layers in <see cref="TensorLayout.Nchw16c"/>, the layout the SIMD kernels read
/// and write directly: the input is reordered into it once before the first layer and the result back into
/// <see cref="Layout"/> once after the last (with neither reorder when <see cref="Layout"/> is itself
/// <see cref="TensorLayout.Nchw16c"/>). Every layer runs blocked, a <see cref="FlattenLayer"/> included; the layout
/// set on a layer's options is replaced. Results equal those of running the layers one by one in
/// <see cref="Layout"/> up to the rounding of float sums, which a different kernel may order differently.
/// </remarks>
/// <param name="layout">Memory order of the input and the output.</param>
public sealed class Sequential(TensorLayout layout = TensorLayout.Nchw)
{
    // The layout the plan keeps activations in between layers.
    internal const TensorLayout ExecutionLayout = TensorLayout.Nchw16c;

    private readonly List<Layer> layers = [];

    /// <summary>Memory order of the model's input and output; <see cref="TensorLayout.Nchw16c"/> skips both reorders.</summary>
    public TensorLayout Layout { get; } = layout;

    /// <summary>The layers in the order they run.</summary>
    public IReadOnlyList<Layer> Layers => layers;

    /// <summary>Appends a layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>This model, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    public Sequential Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        layers.Add(layer);
        return this;
    }

    /// <summary>Appends a convolution (see <see cref="Conv2DLayer"/>).</summary>
    /// <param name="options">What to compute; the layout is the model's.</param>
    /// <param name="filter">The weights in the options' filter layout; copied.</param>
    /// <param name="bias">Empty for no bias, else one value per output channel; copied.</param>
    /// <param name="name">Optional name shown in the plan's report.</param>
    /// <returns>This model, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> asks to accumulate, or <paramref name="bias"/> has the wrong length.</exception>
    public Sequential Conv2D(Conv2DOptions options, ReadOnlySpan<float> filter, ReadOnlySpan<float> bias = default, string? name = null) =>
        Add(new Conv2DLayer(options, filter, bias, name));

    /// <summary>
    /// Appends a fully connected layer: a 1×1 convolution, usually after <see cref="Flatten"/>. The weights are
    /// [outFeatures][inFeatures], row by row, as in PyTorch's <c>Linear</c>.
    /// </summary>
    /// <param name="outFeatures">Number of outputs per image.</param>
    /// <param name="weights">outFeatures·inFeatures weights; copied.</param>
    /// <param name="bias">Empty for no bias, else <paramref name="outFeatures"/> values; copied.</param>
    /// <param name="name">Optional name shown in the plan's report.</param>
    /// <returns>This model, to chain calls.</returns>
    /// <exception cref="ArgumentException"><paramref name="bias"/> has the wrong length.</exception>
    public Sequential Dense(int outFeatures, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias = default, string? name = null) =>
        Add(new Conv2DLayer(new Conv2DOptions(outFeatures, 1), weights, bias, name));

    /// <summary>Appends <c>max(x, 0)</c>.</summary>
    /// <returns>This model, to chain calls.</returns>
    public Sequential Relu() => Add(new ActivationLayer(Activation.Relu));

    /// <summary>Appends <c>min(max(x, min), max)</c>.</summary>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    /// <returns>This model, to chain calls.</returns>
    /// <exception cref="ArgumentException">A bound is NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public Sequential Clamp(float min, float max) => Add(new ActivationLayer(Activation.Clamp(min, max)));

    /// <summary>Appends a max pooling over <paramref name="size"/>×<paramref name="size"/> windows.</summary>
    /// <param name="size">Window height and width.</param>
    /// <param name="stride">Step between windows; null means <paramref name="size"/>.</param>
    /// <returns>This model, to chain calls.</returns>
    public Sequential MaxPool(int size, int? stride = null) =>
        Add(new Pool2DLayer(new Pool2DOptions(PoolKind.Max, size) { Stride = stride ?? size }));

    /// <summary>Appends an average pooling over <paramref name="size"/>×<paramref name="size"/> windows.</summary>
    /// <param name="size">Window height and width.</param>
    /// <param name="stride">Step between windows; null means <paramref name="size"/>.</param>
    /// <returns>This model, to chain calls.</returns>
    public Sequential AvgPool(int size, int? stride = null) =>
        Add(new Pool2DLayer(new Pool2DOptions(PoolKind.Average, size) { Stride = stride ?? size }));

    /// <summary>Appends an average over each channel's whole height and width (output 1×1).</summary>
    /// <returns>This model, to chain calls.</returns>
    public Sequential GlobalAveragePool() => Add(new Pool2DLayer(Pool2DOptions.GlobalAverage));

    /// <summary>Appends a maximum over each channel's whole height and width (output 1×1).</summary>
    /// <returns>This model, to chain calls.</returns>
    public Sequential GlobalMaxPool() => Add(new Pool2DLayer(Pool2DOptions.GlobalMax));

    /// <summary>Appends a <see cref="FlattenLayer"/>.</summary>
    /// <returns>This model, to chain calls.</returns>
    public Sequential Flatten() => Add(new FlattenLayer());

    /// <summary>
    /// Plans every layer for <paramref name="inputShape"/> once: shapes are checked and propagated, weights packed,
    /// kernels chosen, activations folded into the layer next to them, and the reorders into and out of
    /// <see cref="TensorLayout.Nchw16c"/> added. An activation layer right after a convolution or pooling without an
    /// activation of its own becomes that layer's activation; one right before a max pooling that nothing earlier
    /// took moves after the max pooling, into it, which gives the same values. A folded pair is one entry of
    /// <see cref="SequentialPlan.Layers"/>, named after both layers and described with both.
    /// </summary>
    /// <param name="inputShape">The input's logical shape.</param>
    /// <returns>The plan; dispose it to free the packed weights.</returns>
    /// <exception cref="InvalidOperationException">The model has no layers.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="Layout"/> is not a defined value, or a dimension of <paramref name="inputShape"/> is out of range
    /// (Batch &lt; 0, another dimension &lt; 1).
    /// </exception>
    /// <exception cref="ArgumentException">A layer does not fit the shape that reaches it; the message names the layer.</exception>
    /// <exception cref="PlatformNotSupportedException">The native library is missing or does not match this assembly.</exception>
    public SequentialPlan Build(TensorShape inputShape)
    {
        if (layers.Count == 0)
        {
            throw new InvalidOperationException("The model has no layers.");
        }

        if (!Enum.IsDefined(Layout))
        {
            throw new ArgumentOutOfRangeException(nameof(Layout), Layout, $"Layout ({Layout}) is not a defined TensorLayout value.");
        }

        GeometryChecks.CheckShape(inputShape);

        var planned = new List<(LayerStep Step, string Name, string Description, TensorShape Input)>();
        try
        {
            TensorShape shape = inputShape;
            for (int i = 0; i < layers.Count; i++)
            {
                Layer layer = layers[i];
                string name = NameOf(i);
                string description = layer.ToString();
                Activation fused = Activation.None;
                if (i + 1 < layers.Count && layers[i + 1] is ActivationLayer next && layer.CanFuse(next))
                {
                    fused = next.Activation;
                    name += "+" + NameOf(i + 1);
                    description += " + " + next;
                    i++;
                }
                else if (layer is ActivationLayer before && i + 1 < layers.Count && layers[i + 1] is Pool2DLayer pool &&
                    pool.CanTakeActivationFromBefore)
                {
                    // The layer before did not take this activation (else the loop would not be here), so it moves
                    // into the max pooling after it, which gives the same values and runs it on the pooled tensor.
                    fused = before.Activation;
                    layer = pool;
                    name += "+" + NameOf(i + 1);
                    description = $"{pool} + {before} (moved after the max pool)";
                    i++;
                }

                LayerStep step = PlanLayer(layer, name, shape, fused);
                planned.Add((step, name, description, shape));
                shape = step.OutputShape;
            }

            return new SequentialPlan(inputShape, Layout, planned);
        }
        catch
        {
            foreach (var entry in planned)
            {
                entry.Step.Dispose();
            }

            throw;
        }
    }

    private string NameOf(int index) => layers[index].Name ?? $"{layers[index].Kind}{index}";

    private LayerStep PlanLayer(Layer layer, string name, TensorShape input, Activation fused)
    {
        try
        {
            return layer.Plan(input, ExecutionLayout, Layout, fused);
        }
        catch (ArgumentException e)
        {
            // Reported against Build's parameter: the layer is fine on its own, the shape reaching it is not.
            throw new ArgumentException($"Layer '{name}' ({layer}) does not fit its input {input}: {e.Message}", "inputShape", e);
        }
    }
}
