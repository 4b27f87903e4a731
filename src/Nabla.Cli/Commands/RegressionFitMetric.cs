using Nabla.Records;
using System.Numerics;
using Nabla.Training;
using Nabla.Reports;
using Nabla.Tensors;
using Nabla.Training.Metrics;

namespace Nabla.Cli.Commands;

/// <summary>
/// Keeps every step-th (actual, predicted) pair of a regression's rows in the target's units, step chosen from the
/// row count so that at most <see cref="RegressionFit.MaxRows"/> are kept: the points of the report's plot of the fit.
/// </summary>
internal sealed class RegressionFitMetric<T>(TargetScale scale, int rows) : IMetric<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _step = Math.Max(1, (rows + RegressionFit.MaxRows - 1) / RegressionFit.MaxRows);
    private readonly List<double> _actual = [], _predicted = [];
    private long _seen;

    public void Reset()
    {
        _actual.Clear();
        _predicted.Clear();
        _seen = 0;
    }

    public void Add(Tensor<T> output, Batch<T> batch)
    {
        var predicted = output.ToArray();
        var actual = batch.Targets.ToArray();
        for (int r = 0; r < actual.Length && r < predicted.Length; r++, _seen++)
        {
            if (_seen % _step != 0 || _actual.Count == RegressionFit.MaxRows) continue;
            _actual.Add(scale.ToTarget(double.CreateChecked(actual[r])));
            _predicted.Add(scale.ToTarget(double.CreateChecked(predicted[r])));
        }
    }

    public RegressionFit? ToFit() => _actual.Count == 0 ? null : new RegressionFit { Actual = [.. _actual], Predicted = [.. _predicted] };
}
