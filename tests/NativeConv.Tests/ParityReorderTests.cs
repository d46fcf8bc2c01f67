using CsCheck;
using NativeConv.Tests.Support;

namespace NativeConv.Tests;

/// <summary>
/// Native activation reorders against the plain loops of <see cref="Layouts"/>, per ISA: every pair of NCHW, NHWC
/// and NCHW16c on random shapes, and the shapes that take the transposes' special paths (fewer channels than a
/// vector, gathered on x86; one channel or one pixel, copied). Moves are exact, so the floats must be equal.
/// </summary>
[Collection(IsaCollection.Name)]
public sealed class ParityReorderTests
{
    private const int RandomCases = 200;

    private static readonly TensorLayout[] AllLayouts = [TensorLayout.Nchw, TensorLayout.Nhwc, TensorLayout.Nchw16c];

    /// <summary>Channels below, at and past a vector of either width; planes narrower and wider than one.</summary>
    private static readonly Gen<TensorShape> Shapes =
        from batch in Gen.Int[0, 2]
        from channels in Gen.Frequency((3, Gen.Int[1, 17]), (1, Gen.Int[18, 40]))
        from height in Gen.Int[1, 12]
        from width in Gen.Int[1, 20]
        select new TensorShape(batch, channels, height, width);

    /// <summary>
    /// 3 channels over planes of 1, 15 and 2,500 pixels (split between two threads, the last vector moved
    /// back), 13 channels (narrow for AVX-512, tiled for AVX2), 7 (narrow for both), one channel, one pixel and
    /// two pixels.
    /// </summary>
    private static readonly TensorShape[] EdgeShapes =
    [
        new(1, 3, 1, 1), new(2, 3, 3, 5), new(1, 3, 50, 50), new(1, 13, 21, 23),
        new(2, 1, 9, 7), new(3, 20, 1, 1), new(2, 5, 1, 2), new(1, 7, 8, 8),
    ];

    [Theory]
    [MemberData(nameof(IsaCap.All), MemberType = typeof(IsaCap))]
    public void Native_matches_the_plain_loops(Isa isa)
    {
        Assert.SkipUnless(IsaCap.IsSupported(isa), $"this CPU cannot run {isa}");
        int cases = 0;
        using (new IsaCap(isa))
        {
            foreach (TensorShape shape in EdgeShapes)
            {
                CheckEveryPair(shape, seed: cases++);
            }

            Shapes.Sample(shape => CheckEveryPair(shape, seed: Interlocked.Increment(ref cases)), iter: RandomCases);
        }

        Assert.True(cases >= RandomCases + EdgeShapes.Length, $"only {cases} cases ran");
    }

    private static void CheckEveryPair(TensorShape shape, int seed)
    {
        var random = new Random(seed);
        var nchw = new float[shape.ElementCount];
        for (int i = 0; i < nchw.Length; i++)
        {
            nchw[i] = (float)((random.NextDouble() * 2) - 1);
        }

        foreach (TensorLayout from in AllLayouts)
        {
            float[] source = Layouts.FromNchw(nchw, shape, from);
            foreach (TensorLayout to in AllLayouts)
            {
                var actual = new float[Layouts.Length(shape, to)];
                Array.Fill(actual, float.NaN);
                Reorder.Activations(shape, from, to, source, actual, maxThreads: 2);
                float[] expected = Layouts.FromNchw(nchw, shape, to);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{shape} {from} -> {to} differs from the plain loops");
            }
        }
    }
}
