using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Nabla.Benchmarks.Micro;

/// <summary>
/// A summary column "GFLOP/s": the floating-point operations of one call, computed from the case's parameters by
/// <paramref name="flops"/>, over its mean time. Every method of a benchmark class using it must do the same work
/// (as ConvBenchmarks' convolution and its GEMM of the same shapes do).
/// </summary>
internal sealed class GflopsColumn(Func<BenchmarkCase, double> flops) : IColumn
{
    public string Id => "GFLOP/s";
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Floating-point operations per second (10^9), from the case's operation count and mean time";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? (flops(benchmarkCase) / mean.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "NA";
    }
}
