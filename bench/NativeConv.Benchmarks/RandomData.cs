namespace NativeConv.Benchmarks;

/// <summary>Benchmark inputs: uniform in [-0.5, 0.5), reproducible from the generator's seed.</summary>
public static class RandomData
{
    public static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }
        return values;
    }
}
