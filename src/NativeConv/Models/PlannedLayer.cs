namespace NativeConv.Models;

/// <summary>
/// One step of a <see cref="SequentialPlan"/>: a layer, or a convolution or pooling with an activation layer folded into
/// it.
/// </summary>
public sealed class PlannedLayer
{
    internal PlannedLayer(string name, string description, TensorShape inputShape, TensorShape outputShape, long flops, string kernelName)
    {
        Name = name;
        Description = description;
        InputShape = inputShape;
        OutputShape = outputShape;
        Flops = flops;
        KernelName = kernelName;
    }

    /// <summary>
    /// The layer's name, or its kind and index; a fused pair joins both in model order (e.g. <c>conv0+relu1</c>, or
    /// <c>relu3+maxpool4</c> for a ReLU moved after the max pooling).
    /// </summary>
    public string Name { get; }

    /// <summary>
    /// What the step computes, e.g. <c>Conv2D 16x3x3 + ReLU</c>, or <c>MaxPool 2x2 stride 2x2 + ReLU (moved after the
    /// max pool)</c>.
    /// </summary>
    public string Description { get; }

    /// <summary>The shape the step reads.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shape the step writes.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>
    /// Floating-point operations of one run: 2 per multiply-add for a convolution, one per window tap for pooling,
    /// one per element for a separate activation, none for a flatten or an activation folded into another layer.
    /// </summary>
    public long Flops { get; }

    /// <summary>The native kernel that runs the step, or <c>managed</c> for steps computed in .NET.</summary>
    public string KernelName { get; }

    /// <summary>How long the step took in the most recent <see cref="SequentialPlan.Run(ReadOnlySpan{float}, Span{float})"/>; zero before the first.</summary>
    public TimeSpan LastRunTime { get; internal set; }
}
