namespace NativeConv.Models;

/// <summary>One layer of a <see cref="Sequential"/> model: what it computes, not yet bound to an input shape.</summary>
/// <remarks>Layers are immutable and may be shared by several models.</remarks>
public abstract class Layer
{
    private protected Layer(string? name)
    {
        Name = name;
    }

    /// <summary>The name given when the layer was made (an ONNX node name, say), or null.</summary>
    public string? Name { get; }

    /// <summary>A short name of the layer's kind, used for layers without a <see cref="Name"/>, e.g. <c>conv</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>What the layer computes in a few words, e.g. <c>Conv2D 16x3x3 s1 pad same</c>.</summary>
    /// <returns>The description.</returns>
    public abstract override string ToString();

    // Binds the layer to an input shape. layout is the memory order the step reads and writes (the model keeps
    // activations in Nchw16c); modelLayout is the order of the model's own input and output, which fixes the feature
    // order of a flatten; fused is an activation folded in from the next layer (None if there is none).
    internal abstract LayerStep Plan(TensorShape input, TensorLayout layout, TensorLayout modelLayout, Activation fused);

    // Whether the next layer, if it is an activation, can be folded into this one.
    internal virtual bool CanFuse(ActivationLayer next) => false;
}
