namespace NativeConv.Tests.Support;

/// <summary>
/// Hand-picked poolings that the random generator's narrow inputs rarely reach, in every layout, so they are
/// covered on every run.
/// </summary>
internal static class PoolEdgeCases
{
    public static IEnumerable<PoolCase> All() => Requests().SelectMany(r => InEveryLayout(r.Input, r.Options));

    private static IEnumerable<(TensorShape Input, Pool2DOptions Options)> Requests()
    {
        foreach (PoolKind kind in Enum.GetValues<PoolKind>())
        {
            // 2x2 windows over NCHW rows of 27 and 37 outputs: whole AVX-512 and AVX2 vectors and a part, which the
            // steady rows move back to end at the row's last output.
            yield return (new TensorShape(1, 3, 9, 54), new Pool2DOptions(kind, 2) { CountIncludePad = false });
            yield return (new TensorShape(2, 2, 7, 38), new Pool2DOptions(kind, 2) { Stride = 1 });
            // The same with a padded right column, where the part vector stays in place.
            yield return (new TensorShape(1, 3, 9, 53), new Pool2DOptions(kind, 2) { Padding = Padding.Of(0, 0, 0, 1) });
            // Stride 2 along the rows and 1 down them, whose steady rows share a row through the ring in the pairs'
            // lane order (the part vector stays in place), and the transpose of that.
            yield return (new TensorShape(1, 2, 6, 35), new Pool2DOptions(kind, 2) { StrideHeight = 1, StrideWidth = 2 });
            yield return (new TensorShape(1, 2, 7, 38), new Pool2DOptions(kind, 2) { StrideHeight = 2, StrideWidth = 1 });
        }
    }

    private static IEnumerable<PoolCase> InEveryLayout(TensorShape input, Pool2DOptions options)
    {
        int salt = 0;
        foreach (TensorLayout layout in Enum.GetValues<TensorLayout>())
        {
            salt++;
            Pool2DOptions variant = options with { Layout = layout };
            var geometry = Pool2DGeometry.Create(input, variant);
            float[] values = TestData.Pattern(geometry.InputLength, salt);
            if (options.Kind == PoolKind.Max)
            {
                // NaNs a few windows apart, whose maximum must be the NaN on every path.
                for (int i = salt; i < values.Length; i += 97)
                {
                    values[i] = float.NaN;
                }
            }

            yield return new PoolCase(input, variant, geometry.OutputShape, values, MaxThreads: 1 + salt % 2);
        }
    }
}
