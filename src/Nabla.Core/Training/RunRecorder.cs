using System.Numerics;
using Nabla.Nn;
using Nabla.Reports;

namespace Nabla.Training;

/// <summary>
/// Records a training run for the HTML report: the settings, every epoch's metrics, and at chosen epochs
/// a snapshot of the weights (with the last mini-batch's gradients) and, for data with two features,
/// the model's output over a grid covering the data. At most <c>maxSnapshots</c> snapshots are kept,
/// spread evenly from the initial weights (epoch 0) to the last epoch, so the file stays small.
/// </summary>
public sealed class RunRecorder<T>(Trainer<T> trainer, int maxSnapshots = 30) where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int GridSize = 40, MaxPoints = 600;
    private readonly List<RunSnapshot> _snapshots = [];

    /// <summary>Whether <paramref name="epoch"/> is one of the evenly spread snapshot epochs (0 and the last always are).</summary>
    public bool WantsSnapshot(int epoch)
    {
        int total = trainer.Settings.Epochs, slots = Math.Max(2, maxSnapshots);
        if (epoch == 0 || epoch == total || total < slots) return true;
        // The epoch is a snapshot epoch when it is the first to reach the next evenly spaced mark.
        return (long)epoch * (slots - 1) / total != (long)(epoch - 1) * (slots - 1) / total;
    }

    /// <summary>Takes a snapshot of the model as it is now, labelled with the completed epoch.</summary>
    public void Snapshot()
    {
        int epoch = trainer.CompletedEpochs;
        if (_snapshots.Count > 0 && _snapshots[^1].Epoch == epoch) return;
        var layers = trainer.Model.OfType<Linear<T>>().Select(l => new LayerSnapshot
        {
            Weight = Rows(l.Weight.ToArray(), l.OutFeatures, l.InFeatures),
            Bias = l.Bias is { } b ? Array.ConvertAll(b.ToArray(), double.CreateChecked) : new double[l.OutFeatures],
            WeightGrad = l.Weight.Grad is { } g && epoch > 0 ? Rows(g.ToArray(), l.OutFeatures, l.InFeatures) : null,
            BiasGrad = l.Bias?.Grad is { } bg && epoch > 0 ? Array.ConvertAll(bg.ToArray(), double.CreateChecked) : null,
        }).ToList();
        _snapshots.Add(new RunSnapshot { Epoch = epoch, Layers = layers, Grid = Grid() });
    }

    /// <summary>The run so far as a report record.</summary>
    public RunRecord ToRecord()
    {
        var data = trainer.Data;
        var last = trainer.History.Count > 0 ? trainer.History[^1] : null;
        return new RunRecord
        {
            Settings = new RunSettings
            {
                Data = data.Description,
                Inputs = data.Features.ColumnNames,
                Outputs = trainer.LossName == "ce" ? data.Classes.Select(c => $"p({c})").ToList()
                    : trainer.IsClassifier ? [$"p({data.Classes[1]})"] : [data.TargetName],
                Layers = trainer.LayerSizes,
                Activation = trainer.Settings.Activation,
                Loss = trainer.LossName,
                Optimizer = trainer.Settings.Optimizer,
                LearningRate = trainer.Settings.LearningRate,
                Epochs = trainer.Settings.Epochs,
                BatchSize = trainer.Settings.BatchSize,
                Seed = trainer.Settings.Seed,
                Validation = trainer.Settings.Validation,
            },
            Task = trainer.IsClassifier ? RunTask.Classification : RunTask.Regression,
            Classes = trainer.IsClassifier ? data.Classes.Count : null,
            Epochs = trainer.History,
            Snapshots = _snapshots,
            Points = Points(),
            Final = new FinalMetrics
            {
                Loss = last?.Loss ?? double.NaN,
                ValidationLoss = last?.ValidationLoss,
                Accuracy = last?.Accuracy,
                ValidationAccuracy = last?.ValidationAccuracy,
            },
        };
    }

    private static double[][] Rows(T[] values, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns).Select(c => double.CreateChecked(values[r * columns + c])).ToArray()).ToArray();

    // The data's bounding box with a 10 % margin, in the features' own units.
    private (double XMin, double XMax, double YMin, double YMax) Bounds()
    {
        var f = trainer.Data.Features;
        double[] xs = f.Column(0), ys = f.Column(1);
        double padX = Math.Max(1e-9, 0.1 * (xs.Max() - xs.Min())), padY = Math.Max(1e-9, 0.1 * (ys.Max() - ys.Min()));
        return (xs.Min() - padX, xs.Max() + padX, ys.Min() - padY, ys.Max() + padY);
    }

    private GridValues? Grid()
    {
        if (trainer.Data.Features.Columns != 2) return null;
        var (x0, x1, y0, y1) = Bounds();
        var points = new double[GridSize * GridSize * 2];
        for (int r = 0; r < GridSize; r++)
        for (int c = 0; c < GridSize; c++)
        {
            points[2 * (r * GridSize + c)] = x0 + c * (x1 - x0) / (GridSize - 1);
            points[2 * (r * GridSize + c) + 1] = y0 + r * (y1 - y0) / (GridSize - 1);
        }
        var predictions = trainer.Predictor.Predict(points, GridSize * GridSize);
        double[] values = predictions.Probabilities is { } p && predictions.Classes == 2
            ? Enumerable.Range(0, GridSize * GridSize).Select(i => p[2 * i + 1]).ToArray()
            : predictions.Values;
        // Three or more classes: every class's probability too, rounded (it is drawn, not computed with), for smooth boundaries.
        var probabilities = predictions.Probabilities is { } q && predictions.Classes > 2 ? Array.ConvertAll(q, v => Math.Round(v, 4)) : null;
        return new GridValues { XMin = x0, XMax = x1, YMin = y0, YMax = y1, Nx = GridSize, Ny = GridSize, Values = values, Probabilities = probabilities };
    }

    private DataPoints? Points()
    {
        var data = trainer.Data;
        if (data.Features.Columns != 2) return null;
        int step = Math.Max(1, (data.Rows + MaxPoints - 1) / MaxPoints);
        var rows = Enumerable.Range(0, data.Rows).Where(r => r % step == 0).ToList();
        return new DataPoints
        {
            X = rows.Select(r => (IReadOnlyList<double>)[data.Features[r, 0], data.Features[r, 1]]).ToList(),
            Y = rows.Select(r => data.Targets[r]).ToList(),
        };
    }
}
