using Nabla.Cli.Commands;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Reports;

/// <summary>
/// A real training run for the report's browser tests and its screenshot: what <c>nabla train --dataset moons
/// --report</c> records (MLP 2-16-16-1, relu, binary cross-entropy, Adam 0.01, mini-batches of 32), through the
/// library's trainer and run recorder.
/// </summary>
internal static class DemoRun
{
    public static RunRecord Moons(int epochs = 100, int snapshots = 30)
    {
        var setup = new TrainSetup<double>(LabeledTable.FromDataset("moons", 200, 0.1, 0), new TrainSettings { Epochs = epochs });
        var trainer = setup.Trainer;
        var recorder = setup.Recorder(snapshots);
        recorder.Snapshot();
        while (!trainer.IsFinished)
        {
            trainer.RunEpoch();
            if (recorder.WantsSnapshot(trainer.CompletedEpochs)) recorder.Snapshot();
        }
        return recorder.ToRecord();
    }
}
