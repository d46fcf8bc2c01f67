using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NativeConv.Benchmarks;

/// <summary>
/// GFLOP/s = flops of one invocation / mean time. The flop count depends on the [Params] of the case,
/// so the column builds a benchmark instance with those parameters applied and asks it.
/// </summary>
public sealed class GFlopsColumn : IColumn
{
    public string Id => nameof(GFlopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Billions of floating-point operations per second (2 per multiply-add), from the median time";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } statistics ||
            Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IFlopCount counter)
        {
            return "-";
        }
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(counter, parameter.Value);
            benchmarkCase.Descriptor.Type.GetField(parameter.Name)?.SetValue(counter, parameter.Value);
        }
        return (counter.Flops / statistics.Median).ToString("F2");
    }
}
