using System.Runtime.InteropServices;

namespace NativeConv.Tests;

/// <summary>
/// The largest tensors a span can address. 1 × 1 × 46341 × 46341 (just over 2^31 elements) must be refused with a
/// message naming the sizes, by every entry point, before any buffer is touched; 1 × 1 × 46340 × 46340 (just under)
/// must compute correctly. The input lives in zeroed native memory, which the OS maps lazily, so only the elements
/// the test writes cost memory. The dense case writes all 2^31 output elements (8.6 GB) and skips itself when the
/// machine has too little memory available.
/// </summary>
public sealed unsafe class LargeTensorTests
{
    private const int TooLarge = 46341; // 46341^2 = 2147488281 > int.MaxValue
    private const int Largest = 46340; // 46340^2 = 2147395600 <= int.MaxValue
    private const long LargestCount = (long)Largest * Largest;

    [Fact]
    public void One_element_past_the_int_range_is_refused_by_every_entry_point()
    {
        var shape = new TensorShape(1, 1, TooLarge, TooLarge);
        var conv = new Conv2DOptions(1, 1);
        var pool = new Pool2DOptions(PoolKind.Max, 1);
        Action[] calls =
        [
            () => Conv2DGeometry.Create(shape, conv),
            () => Convolution.Conv2D(shape, conv, [], [1f], [], []),
            () => new Conv2DPlan(shape, conv, [1f]).Dispose(),
            () => Pool2DGeometry.Create(shape, pool),
            () => Pooling.Pool2D(shape, pool, [], []),
            () => new Pool2DPlan(shape, pool).Dispose(),
        ];
        foreach (Action call in calls)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("inputShape", e.ParamName);
            Assert.Contains($"1 x 1 x {TooLarge} x {TooLarge}", e.Message, StringComparison.Ordinal);
            Assert.Contains("overflows", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_largest_addressable_input_is_read_at_the_right_far_offsets()
    {
        var shape = new TensorShape(1, 1, Largest, Largest);
        float* input = (float*)NativeMemory.AllocZeroed((nuint)LargestCount, sizeof(float));
        try
        {
            // The four corners; the last is element 2147395599, whose byte offset needs 34 bits.
            input[0] = 1f;
            input[Largest - 1] = 2f;
            input[(long)(Largest - 1) * Largest] = 3f;
            input[LargestCount - 1] = 4f;
            var x = new ReadOnlySpan<float>(input, (int)LargestCount);

            var conv = new Conv2DOptions(1, 1) { Stride = Largest - 1 };
            float[] y = new float[4];
            Convolution.Conv2D(shape, conv, x, [2f], [0.5f], y, 1);
            Assert.Equal([2.5f, 4.5f, 6.5f, 8.5f], y);

            float[] pooled = new float[4];
            Pooling.Pool2D(shape, new Pool2DOptions(PoolKind.Max, 1) { Stride = Largest - 1 }, x, pooled, 1);
            Assert.Equal([1f, 2f, 3f, 4f], pooled);

            float[] mean = new float[1];
            Pooling.Pool2D(shape, Pool2DOptions.GlobalAverage, x, mean, 2);
            Assert.Equal(10.0 / LargestCount, mean[0], 1e-3 * 10.0 / LargestCount);
        }
        finally
        {
            NativeMemory.Free(input);
        }
    }

    [Fact]
    public void The_largest_addressable_output_is_written_completely()
    {
        const long bytes = LargestCount * sizeof(float);
        long available = AvailableBytes();
        long needed = bytes + (6L << 30);
        if (available < needed)
        {
            Assert.Skip($"needs {needed >> 20} MiB of available memory, {available >> 20} MiB available");
        }

        var shape = new TensorShape(1, 1, Largest, Largest);
        float* input = (float*)NativeMemory.AllocZeroed((nuint)LargestCount, sizeof(float));
        float* output = (float*)NativeMemory.Alloc((nuint)LargestCount, sizeof(float));
        try
        {
            input[LargestCount - 1] = 4f;
            input[LargestCount / 2] = -1f;
            var y = new Span<float>(output, (int)LargestCount);
            Convolution.Conv2D(shape, new Conv2DOptions(1, 1), new ReadOnlySpan<float>(input, (int)LargestCount), [2f], [0.5f], y, 2);
            long wrong = 0;
            for (int i = 0; i < y.Length; i++)
            {
                if (y[i] != (2f * input[i]) + 0.5f)
                {
                    wrong++;
                }
            }

            Assert.Equal(0, wrong);
            Assert.Equal(8.5f, y[^1]);
            Assert.Equal(-1.5f, y[(int)(LargestCount / 2)]);
        }
        finally
        {
            NativeMemory.Free(input);
            NativeMemory.Free(output);
        }
    }

    /// <summary>MemAvailable from /proc/meminfo on Linux; elsewhere what the GC believes it may use.</summary>
    private static long AvailableBytes()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/meminfo"))
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
