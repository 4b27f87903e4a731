using Nabla.Reports;

namespace Nabla.Tests.Reports;

/// <summary>
/// A real (if tiny) training run for the report's screenshot: an MLP 2-16-16-1 (relu, sigmoid output, binary
/// cross-entropy, Adam 0.01, mini-batches of 32) on two noisy moons, written with plain arrays so the report tests
/// depend on nothing but the schema. Snapshots: the initial weights (epoch 0), epoch 1, then every <c>every</c> epochs.
/// </summary>
internal static class DemoRun
{
    public static RunRecord Moons(int epochs = 100, int every = 4)
    {
        var rng = new Random(0);
        var (x, y) = MakeMoons(200, 0.1, rng);
        var order = Enumerable.Range(0, x.Length).OrderBy(_ => rng.Next()).ToArray();
        int[] train = order[..160], valid = order[160..];
        int[] sizes = [2, 16, 16, 1];
        var net = new Mlp(sizes, rng);
        var rows = new List<EpochMetrics>();
        var snapshots = new List<RunSnapshot> { Snapshot(net, 0, gradients: false) };
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var shuffled = train.OrderBy(_ => rng.Next()).ToArray();
            for (int start = 0; start < shuffled.Length; start += 32)
                net.Step(shuffled[start..Math.Min(start + 32, shuffled.Length)].Select(i => (x[i], y[i])).ToArray(), 0.01);
            var (loss, accuracy) = net.Evaluate(train.Select(i => (x[i], y[i])));
            var (vLoss, vAccuracy) = net.Evaluate(valid.Select(i => (x[i], y[i])));
            rows.Add(new EpochMetrics { Epoch = epoch, Loss = loss, ValidationLoss = vLoss, Accuracy = accuracy, ValidationAccuracy = vAccuracy });
            if (epoch == 1 || epoch % every == 0) snapshots.Add(Snapshot(net, epoch, gradients: true));
        }
        return new RunRecord
        {
            Settings = SyntheticRuns.Settings(sizes, "moons (200 samples, noise 0.1)", "bce", epochs),
            Task = RunTask.Classification,
            Classes = 2,
            Epochs = rows,
            Snapshots = snapshots,
            Points = new DataPoints { X = x, Y = y },
            Final = new FinalMetrics { Loss = rows[^1].Loss, ValidationLoss = rows[^1].ValidationLoss, Accuracy = rows[^1].Accuracy, ValidationAccuracy = rows[^1].ValidationAccuracy },
        };
    }

    private static RunSnapshot Snapshot(Mlp net, int epoch, bool gradients) => new()
    {
        Epoch = epoch,
        Layers = Enumerable.Range(0, net.W.Length).Select(l => new LayerSnapshot
        {
            Weight = net.W[l].Select(r => (IReadOnlyList<double>)r.ToArray()).ToArray(),
            Bias = net.B[l].ToArray(),
            WeightGrad = gradients ? net.GW[l].Select(r => (IReadOnlyList<double>)r.ToArray()).ToArray() : null,
            BiasGrad = gradients ? net.GB[l].ToArray() : null,
        }).ToArray(),
        Grid = GridOf(net),
    };

    private static GridValues GridOf(Mlp net)
    {
        const int n = 40;
        const double xMin = -1.6, xMax = 2.6, yMin = -1.1, yMax = 1.6;
        var values = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                values[r * n + c] = net.Predict([xMin + c * (xMax - xMin) / (n - 1), yMin + r * (yMax - yMin) / (n - 1)]);
        return new GridValues { XMin = xMin, XMax = xMax, YMin = yMin, YMax = yMax, Nx = n, Ny = n, Values = values };
    }

    private static (IReadOnlyList<double>[] X, double[] Y) MakeMoons(int n, double noise, Random rng)
    {
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var x = new IReadOnlyList<double>[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            int half = i < n / 2 ? 0 : 1;
            double t = Math.PI * (i % (n / 2)) / (n / 2 - 1);
            x[i] = half == 0 ? [Math.Cos(t) + noise * Gauss(), Math.Sin(t) + noise * Gauss()] : [1 - Math.Cos(t) + noise * Gauss(), 0.5 - Math.Sin(t) + noise * Gauss()];
            y[i] = half;
        }
        return (x, y);
    }
}
