namespace NativeConv.Benchmarks;

/// <summary>A named convolution layer of the benchmark suite.</summary>
public sealed record ConvLayer(string Name, TensorShape Input, Conv2DOptions Options)
{
    public override string ToString() => Name;

    /// <summary>
    /// The suite: layers of the seed example, VGG-16, ResNet-50 and MobileNet, fp32, batch 1 unless
    /// named, 'same' padding for odd kernels.
    /// </summary>
    public static IEnumerable<ConvLayer> Suite()
    {
        yield return new("seed-5x5", new(1, 3, 224, 224), new(32, 5) { Padding = Padding.Same });
        yield return new("vgg-conv1_2", new(1, 64, 224, 224), new(64, 3) { Padding = Padding.Same });
        yield return new("vgg-conv3_2", new(1, 256, 56, 56), new(256, 3) { Padding = Padding.Same });
        yield return new("vgg-conv5_2", new(1, 512, 14, 14), new(512, 3) { Padding = Padding.Same });
        yield return new("resnet-conv1", new(1, 3, 224, 224), new(64, 7) { Stride = 2, Padding = 3 });
        yield return new("resnet-3x3-c2", new(1, 64, 56, 56), new(64, 3) { Padding = Padding.Same });
        yield return new("resnet-3x3-c4", new(1, 256, 14, 14), new(256, 3) { Padding = Padding.Same });
        yield return new("resnet-1x1-c3", new(1, 512, 28, 28), new(128, 1));
        yield return new("resnet-3x3-s2", new(1, 128, 56, 56), new(128, 3) { Stride = 2, Padding = Padding.Same });
        yield return new("mobilenet-dw", new(1, 256, 28, 28), new(256, 3) { Groups = 256, Padding = Padding.Same });
        yield return new("batch8-c3", new(8, 128, 28, 28), new(128, 3) { Padding = Padding.Same });
    }
}
