namespace NativeConv;

/// <summary>
/// The activation a convolution applies to every output element after adding bias (and the old output), or a pooling
/// to every pooled value (<see cref="Pool2DOptions.Activation"/>).
/// </summary>
/// <remarks>
/// <see cref="Min"/> and <see cref="Max"/> are read only when <see cref="Kind"/> is <see cref="ActivationKind.Clamp"/>;
/// <see cref="Conv2DGeometry.Create"/> and <see cref="Pool2DGeometry.Create"/> then check that neither is NaN and that
/// Min &lt;= Max.
/// </remarks>
/// <param name="Kind">The function to apply.</param>
/// <param name="Min">Lower bound of <see cref="ActivationKind.Clamp"/>.</param>
/// <param name="Max">Upper bound of <see cref="ActivationKind.Clamp"/>.</param>
public readonly record struct Activation(ActivationKind Kind, float Min, float Max)
{
    /// <summary>No activation: the output is left as computed.</summary>
    public static Activation None { get; } = new(ActivationKind.None, float.NegativeInfinity, float.PositiveInfinity);

    /// <summary><c>max(x, 0)</c>; NaN stays NaN, as in PyTorch.</summary>
    public static Activation Relu { get; } = new(ActivationKind.Relu, 0f, float.PositiveInfinity);

    /// <summary><c>min(max(x, 0), 6)</c>, as MobileNet uses.</summary>
    public static Activation Relu6 { get; } = Clamp(0f, 6f);

    /// <summary>Creates <c>min(max(x, min), max)</c>; NaN stays NaN, as in PyTorch's <c>clamp</c>.</summary>
    /// <param name="min">The lower bound; may be negative infinity.</param>
    /// <param name="max">The upper bound; may be positive infinity.</param>
    /// <returns>The clamp activation.</returns>
    /// <exception cref="ArgumentException"><paramref name="min"/> or <paramref name="max"/> is NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public static Activation Clamp(float min, float max)
    {
        if (float.IsNaN(min))
        {
            throw new ArgumentException("The clamp minimum must not be NaN.", nameof(min));
        }

        if (float.IsNaN(max))
        {
            throw new ArgumentException("The clamp maximum must not be NaN.", nameof(max));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        return new Activation(ActivationKind.Clamp, min, max);
    }
}
