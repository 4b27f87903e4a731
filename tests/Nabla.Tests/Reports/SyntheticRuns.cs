using Nabla.Records;
using Nabla.Reports;
using Nabla.Training;

namespace Nabla.Tests.Reports;

/// <summary>Small runs with known numbers, built in code, for the report tests.</summary>
internal static class SyntheticRuns
{
    /// <summary>The weight of snapshot k, layer l, output o, input i: distinct, of both signs, with many digits.</summary>
    public static double Weight(int k, int l, int o, int i) => Math.Sin(1.0 + 0.7 * k + 3.1 * l + 1.3 * o + 0.41 * i) * (1 + 0.3 * k);

    public static double Bias(int k, int l, int o) => Math.Cos(0.9 * k + 2.3 * l + 0.77 * o) / 3;

    /// <summary>
    /// A binary classifier over two inputs: layers <paramref name="layers"/> (default [2, 3, 1]), epochs 1 … <paramref name="epochs"/>
    /// with validation and accuracy, <paramref name="snapshots"/> snapshots spread over them with gradients and a 20 × 15 grid,
    /// and 40 points in two clusters.
    /// </summary>
    public static RunRecord Classifier(int snapshots = 5, int epochs = 10, int[]? layers = null)
    {
        layers ??= [2, 3, 1];
        var snapshotEpochs = Enumerable.Range(1, snapshots).Select(k => (int)Math.Round((double)k * epochs / snapshots)).ToArray();
        return new RunRecord
        {
            Settings = Settings(layers, "two clusters </script> & <b>", "bce", epochs),
            Task = RunTask.Classification,
            Classes = 2,
            Epochs = Enumerable.Range(1, epochs).Select(e => new EpochMetrics
            {
                Epoch = e, Loss = 0.7 / e + 0.05, ValidationLoss = 0.75 / e + 0.06,
                Accuracy = 1 - 0.5 / e, ValidationAccuracy = 1 - 0.55 / e,
            }).ToArray(),
            Snapshots = snapshotEpochs.Select((epoch, k) => new RunSnapshot
            {
                Epoch = epoch,
                Layers = Layers(layers, k, gradients: true),
                Grid = Grid(20, 15, (x, y) => 1 / (1 + Math.Exp(-(1 + k) * (x + 0.5 * y)))),
            }).ToArray(),
            Points = new DataPoints
            {
                X = Enumerable.Range(0, 40).Select(n => (IReadOnlyList<double>)[(n % 2 == 0 ? -1 : 1) + 0.3 * Math.Sin(n), 0.4 * Math.Cos(1.7 * n)]).ToArray(),
                Y = Enumerable.Range(0, 40).Select(n => (double)(n % 2)).ToArray(),
            },
            Final = new FinalMetrics { Loss = 0.7 / epochs + 0.05, ValidationLoss = 0.75 / epochs + 0.06, Accuracy = 1 - 0.5 / epochs, ValidationAccuracy = 1 - 0.55 / epochs },
        };
    }

    /// <summary>A regression with one input, no validation set, no grid, no points, no gradients.</summary>
    public static RunRecord Regression(int snapshots = 3, int epochs = 6)
    {
        int[] layers = [1, 4, 1];
        return new RunRecord
        {
            Settings = Settings(layers, "sine (50 samples)", "mse", epochs) with { Inputs = ["x"], Outputs = ["y"], Validation = 0 },
            Task = RunTask.Regression,
            Epochs = Enumerable.Range(1, epochs).Select(e => new EpochMetrics { Epoch = e, Loss = 1.0 / e }).ToArray(),
            Snapshots = Enumerable.Range(0, snapshots).Select(k => new RunSnapshot
            {
                Epoch = (k + 1) * epochs / snapshots,
                Layers = Layers(layers, k, gradients: false),
            }).ToArray(),
            Final = new FinalMetrics { Loss = 1.0 / epochs },
        };
    }

    /// <summary>The classifier's shapes as a regression over the plane: grid and targets are real values.</summary>
    public static RunRecord PlaneRegression()
    {
        var run = Classifier();
        return run with
        {
            Task = RunTask.Regression, Classes = null,
            Epochs = run.Epochs.Select(e => e with { Accuracy = null, ValidationAccuracy = null }).ToArray(),
            Points = run.Points! with { Y = run.Points!.X.Select(p => 3 * p[0] - p[1]).ToArray() },
            Final = run.Final with { Accuracy = null, ValidationAccuracy = null },
        };
    }

    /// <summary>The classifier with three classes: grid values are predicted class indices.</summary>
    public static RunRecord ThreeClasses()
    {
        var run = Classifier();
        return run with
        {
            Classes = 3,
            Snapshots = run.Snapshots.Select((s, k) => s with { Grid = Grid(20, 15, (x, y) => x < -0.5 + 0.1 * k ? 0 : y > 0 ? 1 : 2) }).ToArray(),
            Points = run.Points! with { Y = run.Points!.Y.Select((y, i) => (double)(i % 3)).ToArray() },
        };
    }

    /// <summary>A run of one epoch with one snapshot: nothing to play.</summary>
    public static RunRecord OneEpoch() => Classifier(snapshots: 1, epochs: 1);

    public static RunSettings Settings(int[] layers, string data, string loss, int epochs) => new()
    {
        Data = data,
        Inputs = Enumerable.Range(1, layers[0]).Select(i => $"x{i}").ToArray(),
        Outputs = layers[^1] == 1 ? ["p(1)"] : Enumerable.Range(0, layers[^1]).Select(i => $"p({i})").ToArray(),
        Layers = layers, Activation = "relu", Loss = loss, Optimizer = "adam", LearningRate = 0.01,
        Epochs = epochs, BatchSize = 32, Seed = 0, Validation = 0.2,
    };

    public static LayerSnapshot[] Layers(int[] layers, int k, bool gradients) =>
        Enumerable.Range(0, layers.Length - 1).Select(l => new LayerSnapshot
        {
            Weight = Matrix(layers[l + 1], layers[l], (o, i) => Weight(k, l, o, i)),
            Bias = Enumerable.Range(0, layers[l + 1]).Select(o => Bias(k, l, o)).ToArray(),
            WeightGrad = gradients ? Matrix(layers[l + 1], layers[l], (o, i) => Weight(k, l, o, i) / 100) : null,
            BiasGrad = gradients ? Enumerable.Range(0, layers[l + 1]).Select(o => Bias(k, l, o) / 100).ToArray() : null,
        }).ToArray();

    public static IReadOnlyList<double>[] Matrix(int rows, int columns, Func<int, int, double> value) =>
        Enumerable.Range(0, rows).Select(o => (IReadOnlyList<double>)Enumerable.Range(0, columns).Select(i => value(o, i)).ToArray()).ToArray();

    public static GridValues Grid(int nx, int ny, Func<double, double, double> f)
    {
        const double xMin = -2, xMax = 2, yMin = -1.5, yMax = 1.5;
        var values = new double[nx * ny];
        for (int r = 0; r < ny; r++)
            for (int c = 0; c < nx; c++)
                values[r * nx + c] = f(xMin + c * (xMax - xMin) / (nx - 1), yMin + r * (yMax - yMin) / (ny - 1));
        return new GridValues { XMin = xMin, XMax = xMax, YMin = yMin, YMax = yMax, Nx = nx, Ny = ny, Values = values };
    }
}
