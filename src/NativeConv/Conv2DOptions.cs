namespace NativeConv;

/// <summary>What a 2-D convolution computes, apart from the input shape: PyTorch's <c>conv2d</c> arguments and more.</summary>
/// <remarks>
/// Any values can be stored; <see cref="Conv2DGeometry.Create"/> validates them against an input shape.
/// </remarks>
public sealed record Conv2DOptions
{
    /// <summary>Creates options for a kernel of <paramref name="kernelHeight"/> × <paramref name="kernelWidth"/>.</summary>
    /// <param name="outChannels">Number of output channels (K).</param>
    /// <param name="kernelHeight">Kernel height (R).</param>
    /// <param name="kernelWidth">Kernel width (S).</param>
    public Conv2DOptions(int outChannels, int kernelHeight, int kernelWidth)
    {
        OutChannels = outChannels;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
    }

    /// <summary>Creates options for a square kernel.</summary>
    /// <param name="outChannels">Number of output channels (K).</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    public Conv2DOptions(int outChannels, int kernelSize)
        : this(outChannels, kernelSize, kernelSize)
    {
    }

    /// <summary>Number of output channels (K); at least 1 and divisible by <see cref="Groups"/>.</summary>
    public int OutChannels { get; init; }

    /// <summary>Kernel height (R); at least 1.</summary>
    public int KernelHeight { get; init; }

    /// <summary>Kernel width (S); at least 1.</summary>
    public int KernelWidth { get; init; }

    /// <summary>Vertical stride; at least 1. Default 1.</summary>
    public int StrideHeight { get; init; } = 1;

    /// <summary>Horizontal stride; at least 1. Default 1.</summary>
    public int StrideWidth { get; init; } = 1;

    /// <summary>Sets <see cref="StrideHeight"/> and <see cref="StrideWidth"/> to the same value.</summary>
    public int Stride
    {
        init
        {
            StrideHeight = value;
            StrideWidth = value;
        }
    }

    /// <summary>Zero padding around the input. Default <see cref="Padding.Valid"/> (none).</summary>
    public Padding Padding { get; init; } = Padding.Valid;

    /// <summary>Vertical distance between kernel taps; at least 1. Default 1.</summary>
    public int DilationHeight { get; init; } = 1;

    /// <summary>Horizontal distance between kernel taps; at least 1. Default 1.</summary>
    public int DilationWidth { get; init; } = 1;

    /// <summary>Sets <see cref="DilationHeight"/> and <see cref="DilationWidth"/> to the same value.</summary>
    public int Dilation
    {
        init
        {
            DilationHeight = value;
            DilationWidth = value;
        }
    }

    /// <summary>
    /// Number of channel groups; at least 1 and dividing both the input channels and <see cref="OutChannels"/>.
    /// Groups equal to the input channels is a depthwise convolution. Default 1.
    /// </summary>
    public int Groups { get; init; } = 1;

    /// <summary>Applied to every output element last. Default <see cref="Activation.None"/>.</summary>
    public Activation Activation { get; init; } = Activation.None;

    /// <summary>
    /// When true the output's old contents are added before the activation: <c>output = act(conv + bias + output)</c>,
    /// as a residual connection needs. When false they are ignored.
    /// </summary>
    public bool Accumulate { get; init; }

    /// <summary>Memory order of input and output. Default <see cref="TensorLayout.Nchw"/>.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    /// <summary>Memory order of the weights. Default <see cref="NativeConv.FilterLayout.Oihw"/>.</summary>
    public FilterLayout FilterLayout { get; init; } = FilterLayout.Oihw;
}
