using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Nabla.Reports;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary>One <c>nabla train</c> run in precision <typeparamref name="T"/>: the epoch loop with its progress display, then the outputs.</summary>
internal static class TrainRun<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Run(TrainingData data, TrainSettings settings, TrainOutputs outputs, TextWriter stdout)
    {
        var console = Terminal.For(stdout);
        // Refuse an output nobody can write before spending the training time, not after.
        foreach (var (option, path) in new[] { ("--save", outputs.Save), ("--checkpoint", outputs.Checkpoint), ("--plot", outputs.Plot), ("--record", outputs.Record), ("--report", outputs.Report) })
        {
            if (path is null) continue;
            string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(directory)) throw new CliException($"{option}: the directory '{directory}' does not exist");
            if (Directory.Exists(path)) throw new CliException($"{option}: '{path}' is a directory");
        }
        using var claim = Nabla.IO.AtomicFile.Claim(outputs.Save, outputs.Checkpoint, outputs.Plot, outputs.Record, outputs.Report); // writable, and no other run writes them
        var trainer = new Trainer<T>(data, settings);
        int resumedAt = 0;
        if (outputs.Resume)
        {
            if (!File.Exists(outputs.Checkpoint)) throw new CliException($"--resume: there is no checkpoint at {outputs.Checkpoint}");
            trainer.LoadCheckpoint(outputs.Checkpoint!);
            resumedAt = trainer.CompletedEpochs;
        }
        var recorder = outputs.Record is null && outputs.Report is null ? null : new RunRecorder<T>(trainer, outputs.Snapshots);

        console.MarkupLine($"[bold]Training[/] {Markup.Escape(Describe(trainer))}");
        console.MarkupLine($"on {Markup.Escape(data.Description)}: {trainer.Split.Train.Length} training rows, {trainer.Split.Validation.Length} validation rows");
        if (resumedAt > 0) console.MarkupLine($"resumed from {Markup.Escape(outputs.Checkpoint!)} after epoch {resumedAt}");

        var clock = Stopwatch.StartNew();
        if (console.Profile.Capabilities.Interactive)
        {
            console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("epoch", maxValue: settings.Epochs);
                    task.Value = trainer.CompletedEpochs;
                    Loop(trainer, outputs, recorder, m => { task.Value = m.Epoch; task.Description = Markup.Escape(Line(m, settings.Epochs)); });
                });
        }
        else
        {
            int every = Math.Max(1, settings.Epochs / 10);
            Loop(trainer, outputs, recorder, m =>
            {
                if (m.Epoch % every == 0 || m.Epoch == settings.Epochs) console.WriteLine(Line(m, settings.Epochs));
            });
        }
        clock.Stop();

        var written = new List<string>();
        if (outputs.Save is { } save) { ModelFile.Save(save, trainer); written.Add($"model      {save}"); }
        if (outputs.Checkpoint is { } checkpoint)
        {
            // The final state, unless the last epoch already wrote it (a resumed run that had nothing left to do too).
            if (trainer.CompletedEpochs % outputs.CheckpointEvery != 0 || !File.Exists(checkpoint)) trainer.SaveCheckpoint(checkpoint);
            written.Add($"checkpoint {checkpoint}");
        }
        if (outputs.Plot is { } plot) { LossChart(trainer).Save(plot); written.Add($"loss plot  {plot}"); }
        if (recorder is not null)
        {
            var run = recorder.ToRecord();
            if (outputs.Record is { } record) { run.Save(record); written.Add($"run record {record}"); }
            if (outputs.Report is { } report) { TrainingReport.Write(run, report); written.Add($"report     {report}"); }
        }
        console.Write(Summary(trainer, clock.Elapsed, resumedAt));
        foreach (var line in written) console.WriteLine("wrote " + line);
        return 0;
    }

    private static void Loop(Trainer<T> trainer, TrainOutputs outputs, RunRecorder<T>? recorder, Action<EpochMetrics> progress)
    {
        if (recorder is not null && recorder.WantsSnapshot(trainer.CompletedEpochs)) recorder.Snapshot();
        while (!trainer.IsFinished)
        {
            var metrics = trainer.RunEpoch();
            if (!double.IsFinite(metrics.Loss))
                throw new CliException($"the training loss became {metrics.Loss.ToString(CultureInfo.InvariantCulture)} at epoch {metrics.Epoch}; try a smaller --lr (now {trainer.Settings.LearningRate.ToString(CultureInfo.InvariantCulture)})", 3);
            if (recorder is not null && recorder.WantsSnapshot(metrics.Epoch)) recorder.Snapshot();
            if (outputs.Checkpoint is { } checkpoint && metrics.Epoch % outputs.CheckpointEvery == 0) trainer.SaveCheckpoint(checkpoint);
            progress(metrics);
        }
    }

    private static string Describe(Trainer<T> t) =>
        $"an MLP {string.Join("-", t.LayerSizes)} ({t.Settings.Activation}), loss {t.LossName}, {t.Settings.Optimizer} lr {F(t.Settings.LearningRate)}" +
        $"{(t.Settings.Schedule == "constant" ? "" : $" ({t.Settings.Schedule})")}, batch {t.Settings.BatchSize}, {t.Settings.Epochs} epochs, {t.Settings.DType}, seed {t.Settings.Seed}";

    private static string Line(EpochMetrics m, int epochs)
    {
        string width = new(' ', epochs.ToString(CultureInfo.InvariantCulture).Length - m.Epoch.ToString(CultureInfo.InvariantCulture).Length);
        var parts = new List<string> { $"epoch {width}{m.Epoch}/{epochs}", $"loss {m.Loss:F4}" };
        if (m.ValidationLoss is { } vl) parts.Add($"val loss {vl:F4}");
        if (m.Accuracy is { } a) parts.Add($"acc {a:P1}");
        if (m.ValidationAccuracy is { } va) parts.Add($"val acc {va:P1}");
        return string.Join("  ", parts);
    }

    private static Table Summary(Trainer<T> t, TimeSpan elapsed, int resumedAt)
    {
        var last = t.History[^1];
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("training").RightAligned());
        bool validation = last.ValidationLoss is not null;
        if (validation) table.AddColumn(new TableColumn("validation").RightAligned());
        string Cell(double? v, bool percent) => v is null ? "" : percent ? v.Value.ToString("P1", CultureInfo.InvariantCulture) : v.Value.ToString("F4", CultureInfo.InvariantCulture);
        void Row(string name, string train, string val)
        {
            if (validation) table.AddRow(name, train, val);
            else table.AddRow(name, train);
        }
        Row($"loss ({t.LossName})", Cell(last.Loss, false), Cell(last.ValidationLoss, false));
        if (last.Accuracy is not null) Row("accuracy", Cell(last.Accuracy, true), Cell(last.ValidationAccuracy, true));
        Row("rows", t.Split.Train.Length.ToString(CultureInfo.InvariantCulture), t.Split.Validation.Length.ToString(CultureInfo.InvariantCulture));
        string trained = resumedAt > 0 ? $"epochs {resumedAt + 1}–{t.CompletedEpochs} in" : $"{t.CompletedEpochs} epochs in";
        return table.Caption($"{trained} {elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
    }

    private static LineChart LossChart(Trainer<T> t)
    {
        var chart = new LineChart { Title = $"Loss ({t.LossName}) per epoch", XLabel = "epoch", YLabel = "loss" };
        double[] epochs = t.History.Select(m => (double)m.Epoch).ToArray();
        chart.Add("training", epochs, t.History.Select(m => m.Loss).ToArray());
        if (t.History.All(m => m.ValidationLoss is not null)) chart.Add("validation", epochs, t.History.Select(m => m.ValidationLoss!.Value).ToArray());
        return chart;
    }

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
}
