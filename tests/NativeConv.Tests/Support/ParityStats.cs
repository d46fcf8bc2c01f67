using System.Collections.Concurrent;

namespace NativeConv.Tests.Support;

/// <summary>Worst error and kernel names seen by one parity run; updated from CsCheck's sampling threads.</summary>
internal sealed class ParityStats
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, int> _kernels = new();
    private long _cases;

    public double WorstRelativeError { get; private set; }

    public string WorstCase { get; private set; } = "none";

    public long Cases => Interlocked.Read(ref _cases);

    public void AddKernel(string name) => _kernels.AddOrUpdate(name, 1, (_, count) => count + 1);

    public void AddCase(double relativeError, Func<string> describe)
    {
        Interlocked.Increment(ref _cases);
        lock (_gate)
        {
            if (relativeError > WorstRelativeError)
            {
                WorstRelativeError = relativeError;
                WorstCase = describe();
            }
        }
    }

    public void Report(string title)
    {
        ITestOutputHelper? output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{title}: {Cases} cases, worst relative error {WorstRelativeError:E3}");
        output?.WriteLine($"  worst case: {WorstCase}");
        output?.WriteLine($"  kernels: {string.Join(", ", _kernels.Select(k => $"{k.Key} x{k.Value}").Order(StringComparer.Ordinal))}");
    }
}
