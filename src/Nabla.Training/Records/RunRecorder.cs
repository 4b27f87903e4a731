using System.Numerics;
using Nabla.Nn;
using Nabla.Training;

namespace Nabla.Records;

/// <summary>
/// Records a training run for the HTML report: the settings, every epoch's metrics, and at chosen epochs a snapshot
/// of every <see cref="Linear{T}"/> layer of the model, wherever it sits in the module tree (with the last
/// mini-batch's gradients) and, for a tabular model with two features, the model's output over a grid covering the
/// data. At most <c>maxSnapshots</c> snapshots are kept, spread evenly from the initial weights (epoch 0) to the
/// last epoch, so the file stays small.
/// </summary>
/// <param name="trainer">The run to record.</param>
/// <param name="settings">How the run was set up, as the report shows it.</param>
/// <param name="tabular">The tabular model, for the data points and the output grid; null for none.</param>
/// <param name="maxSnapshots">The most snapshots to keep (at least 2 are).</param>
public sealed class RunRecorder<T>(Trainer<T> trainer, RunSettings settings, TabularModel<T>? tabular = null, int maxSnapshots = 30)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int GridSize = 40, MaxPoints = 600;
    private readonly List<RunSnapshot> _snapshots = [];
    private readonly List<Linear<T>> _layers = [.. LinearLayers(trainer.Model)];
    private readonly List<(string Name, Conv2d<T> Layer)> _convolutions = [.. Convolutions(trainer.Model, "")];

    /// <summary>Whether <paramref name="epoch"/> is one of the evenly spread snapshot epochs (0 and the last always are).</summary>
    public bool WantsSnapshot(int epoch)
    {
        int total = trainer.Options.Epochs, slots = Math.Max(2, maxSnapshots);
        if (epoch == 0 || epoch == total || total < slots) return true;
        // The epoch is a snapshot epoch when it is the first to reach the next evenly spaced mark.
        return (long)epoch * (slots - 1) / total != (long)(epoch - 1) * (slots - 1) / total;
    }

    /// <summary>Takes a snapshot of the model as it is now, labelled with the completed epoch.</summary>
    public void Snapshot()
    {
        int epoch = trainer.CompletedEpochs;
        if (_snapshots.Count > 0 && _snapshots[^1].Epoch == epoch) return;
        var layers = _layers.Select(l => new LayerSnapshot
        {
            Weight = Rows(l.Weight.ToArray(), l.OutFeatures, l.InFeatures),
            Bias = l.Bias is { } b ? Array.ConvertAll(b.ToArray(), double.CreateChecked) : new double[l.OutFeatures],
            WeightGrad = l.Weight.Grad is { } g && epoch > 0 ? Rows(g.ToArray(), l.OutFeatures, l.InFeatures) : null,
            BiasGrad = l.Bias?.Grad is { } bg && epoch > 0 ? Array.ConvertAll(bg.ToArray(), double.CreateChecked) : null,
        }).ToList();
        var filters = _convolutions.Count == 0 ? null : _convolutions.Select(c => new FilterSnapshot
        {
            Name = c.Name,
            Shape = [.. c.Layer.Weight.Shape],
            Weight = Array.ConvertAll(c.Layer.Weight.ToArray(), double.CreateChecked),
        }).ToList();
        _snapshots.Add(new RunSnapshot { Epoch = epoch, Layers = layers, Grid = Grid(), Filters = filters });
    }

    /// <summary>
    /// The run so far as a report record; <paramref name="final"/> adds scores to the last epoch's metrics, and
    /// <paramref name="bestEpoch"/> names the epoch whose weights the model keeps (null: the last).
    /// </summary>
    public RunRecord ToRecord(FinalMetrics? final = null, int? bestEpoch = null)
    {
        var last = trainer.History.Count > 0 ? trainer.History[^1] : null;
        var metrics = (final ?? new FinalMetrics { Loss = double.NaN }) with
        {
            Loss = last?.Loss ?? double.NaN,
            ValidationLoss = last?.ValidationLoss,
            Accuracy = last?.Accuracy,
            ValidationAccuracy = last?.ValidationAccuracy,
        };
        return new RunRecord
        {
            Settings = settings,
            Task = trainer.Loss.IsClassifier ? RunTask.Classification : RunTask.Regression,
            Classes = trainer.Loss.IsClassifier ? tabular?.Data.Classes.Count ?? Math.Max(2, settings.Layers[^1]) : null,
            Epochs = trainer.History,
            Snapshots = _snapshots,
            Points = Points(),
            Final = metrics,
            BestEpoch = bestEpoch,
            StopReason = trainer.StopReason,
        };
    }

    /// <summary>Every <see cref="Linear{T}"/> in <paramref name="module"/>'s tree, depth first in child order.</summary>
    public static IEnumerable<Linear<T>> LinearLayers(Module<T> module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is Linear<T> linear) yield return linear;
        foreach (var (_, child) in module.Children())
            foreach (var layer in LinearLayers(child)) yield return layer;
    }

    // Every Conv2d in the module tree with its state-dict name, depth first in child order.
    private static IEnumerable<(string, Conv2d<T>)> Convolutions(Module<T> module, string name)
    {
        if (module is Conv2d<T> conv) yield return (name, conv);
        foreach (var (childName, child) in module.Children())
            foreach (var layer in Convolutions(child, name.Length == 0 ? childName : $"{name}.{childName}")) yield return layer;
    }

    private static double[][] Rows(T[] values, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns).Select(c => double.CreateChecked(values[r * columns + c])).ToArray()).ToArray();

    // The data's bounding box with a 10 % margin, in the features' own units.
    private static (double XMin, double XMax, double YMin, double YMax) Bounds(Nabla.Data.LabeledTable data)
    {
        double[] xs = data.Features.Column(0), ys = data.Features.Column(1);
        double padX = Math.Max(1e-9, 0.1 * (xs.Max() - xs.Min())), padY = Math.Max(1e-9, 0.1 * (ys.Max() - ys.Min()));
        return (xs.Min() - padX, xs.Max() + padX, ys.Min() - padY, ys.Max() + padY);
    }

    private GridValues? Grid()
    {
        if (tabular is null || tabular.Data.Features.Columns != 2 || settings.Layers[0] != 2) return null;
        var (x0, x1, y0, y1) = Bounds(tabular.Data);
        var points = new double[GridSize * GridSize * 2];
        for (int r = 0; r < GridSize; r++)
        for (int c = 0; c < GridSize; c++)
        {
            points[2 * (r * GridSize + c)] = x0 + c * (x1 - x0) / (GridSize - 1);
            points[2 * (r * GridSize + c) + 1] = y0 + r * (y1 - y0) / (GridSize - 1);
        }
        var predictions = tabular.Predictor.Predict(points, GridSize * GridSize);
        double[] values = predictions.Probabilities is { } p && predictions.Classes == 2
            ? Enumerable.Range(0, GridSize * GridSize).Select(i => p[2 * i + 1]).ToArray()
            : predictions.Values;
        // Three or more classes: every class's probability too, rounded (it is drawn, not computed with), for smooth boundaries.
        var probabilities = predictions.Probabilities is { } q && predictions.Classes > 2 ? Array.ConvertAll(q, v => Math.Round(v, 4)) : null;
        return new GridValues { XMin = x0, XMax = x1, YMin = y0, YMax = y1, Nx = GridSize, Ny = GridSize, Values = values, Probabilities = probabilities };
    }

    private DataPoints? Points()
    {
        if (tabular is null || tabular.Data.Features.Columns != 2 || settings.Layers[0] != 2) return null;
        var data = tabular.Data;
        int step = Math.Max(1, (data.Rows + MaxPoints - 1) / MaxPoints);
        var rows = Enumerable.Range(0, data.Rows).Where(r => r % step == 0).ToList();
        return new DataPoints
        {
            X = rows.Select(r => (IReadOnlyList<double>)[data.Features[r, 0], data.Features[r, 1]]).ToList(),
            Y = rows.Select(r => data.Targets[r]).ToList(),
        };
    }
}
