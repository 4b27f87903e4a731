using System.Diagnostics;
using System.Globalization;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Training;
using Nabla.Training.Callbacks;
using Nabla.Data;

namespace Nabla.Benchmarks.Workloads;

/// <summary>
/// W9, the trainer's own cost on a tiny problem, the counterpart of bench/peers/torch_trainer.py: what <c>nabla train</c>
/// does by default on a 150-row, 4-feature, 3-class CSV (the table written by <see cref="WriteCsv"/>, the same recipe
/// as the peer's): 20 % held out, standardised features, MLP 4-16-16-3 (ReLU), cross-entropy, Adam lr 0.01, batch 32,
/// 100 epochs with a shuffle, a validation pass and the divergence guard after each. Times <see cref="Trainer{T}.Fit"/>
/// only (the CSV is loaded before the clock starts), and prints the time per epoch and the bytes one epoch allocates.
/// </summary>
internal static class TrainerWorkload
{
    const int Rows = 150, Epochs = 100;

    public static int Run(string[] args, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        string csv = Path.Combine(Path.GetTempPath(), $"nabla-trainer-{Environment.ProcessId}.csv");
        try
        {
            WriteCsv(csv);
            var data = LabeledTable.FromCsv(csv, "species", null, null, dropMissing: false);
            var rng = new RandomState(0);
            var set = TrainingSet.Prepare<float>(data, 0.2, rng);
            var network = Mlp.Create<float>([4, 16, 16, 3], "relu", rng);
            var optimizer = new Adam<float>(network.Parameters(), 0.01);
            var trainer = new Trainer<float>(network, optimizer, new CrossEntropyLoss<float>(), set,
                new TrainerOptions { Epochs = Epochs, BatchSize = 32 }, null, rng);
            trainer.Callbacks.Add(new DivergenceGuard<float>());

            long t0 = Stopwatch.GetTimestamp();
            trainer.RunEpoch();
            double first = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            long bytes0 = GC.GetAllocatedBytesForCurrentThread();
            trainer.RunEpoch();
            long epochBytes = GC.GetAllocatedBytesForCurrentThread() - bytes0;
            trainer.Fit();
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;

            var last = trainer.History[^1];
            output.WriteLine(string.Create(inv,
                $"{Epochs} epochs of {set.TrainingRows} training and {set.ValidationRows} validation rows: {seconds:F3} s, first epoch {first * 1e3:F1} ms, then {(seconds - first) / (Epochs - 1) * 1e3:F3} ms per epoch; one epoch allocates {epochBytes} bytes"));
            output.WriteLine(string.Create(inv,
                $"RESULT name=nabla_trainer seconds={seconds:F4} ms_per_epoch={(seconds - first) / (Epochs - 1) * 1e3:F3} loss={last.Loss:G6} validation_loss={last.ValidationLoss:G6} validation_accuracy={last.ValidationAccuracy:F4} epoch_alloc_bytes={epochBytes}"));
            return 0;
        }
        finally
        {
            File.Delete(csv);
        }
    }

    /// <summary>
    /// The peer's table (torch_trainer.make_rows): row i has four features from sines and cosines of i and a class
    /// from the sign pattern of two of them, so both sides read identical bytes without sharing a generator.
    /// </summary>
    static void WriteCsv(string path)
    {
        using var w = new StreamWriter(path);
        w.WriteLine("f0,f1,f2,f3,species");
        for (int i = 0; i < Rows; i++)
        {
            double a = Math.Sin(0.37 * i) * 2 + 5, b = Math.Cos(0.53 * i) + 3, c = Math.Sin(0.11 * i + 1) * 3 + 4, d = Math.Cos(0.29 * i) * 0.5 + 1;
            string species = (a - 5) + (c - 4) / 3 > 0.3 ? "setosa" : (b - 3) > 0 ? "versicolor" : "virginica";
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a:F4},{b:F4},{c:F4},{d:F4},{species}"));
        }
    }
}
