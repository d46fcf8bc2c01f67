namespace NativeConv.Benchmarks;

/// <summary>A named pooling of the benchmark suite.</summary>
public sealed record PoolLayer(string Name, TensorShape Input, Pool2DOptions Options)
{
    public override string ToString() => Name;

    /// <summary>
    /// The suite: the rows of bench/native/pool_vs_onednn.c, same names and options. Its average rows pass no flags,
    /// so they divide by the real input taps only (<see cref="Pool2DOptions.CountIncludePad"/> false), the global one
    /// included.
    /// </summary>
    public static IEnumerable<PoolLayer> Suite()
    {
        yield return new("maxpool-2x2s2-64x224", new(1, 64, 224, 224), new(PoolKind.Max, 2));
        yield return new("maxpool-2x2s2-256x56", new(1, 256, 56, 56), new(PoolKind.Max, 2));
        yield return new("maxpool-3x3s2p1-64x112", new(1, 64, 112, 112), new(PoolKind.Max, 3) { Stride = 2, Padding = 1 });
        yield return new("avgpool-2x2s2-256x56", new(1, 256, 56, 56), new(PoolKind.Average, 2) { CountIncludePad = false });
        yield return new("avgpool-3x3s1p1-128x56", new(1, 128, 56, 56),
            new(PoolKind.Average, 3) { Stride = 1, Padding = 1, CountIncludePad = false });
        yield return new("globalavg-8x2048x7", new(8, 2048, 7, 7), Pool2DOptions.GlobalAverage with { CountIncludePad = false });
    }
}
