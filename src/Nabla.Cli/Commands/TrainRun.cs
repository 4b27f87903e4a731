using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Training;
using Nabla.Training.Callbacks;
using Spectre.Console;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>
/// One <c>nabla train</c> run in precision <typeparamref name="T"/>: the objects from the settings, the callbacks
/// (divergence guard, early stopping and keep-best, checkpoints, snapshots, progress), the epoch loop with its
/// progress display and Ctrl-C handling, then the outputs and the summary.
/// </summary>
internal static class TrainRun<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code of a run whose loss diverged.</summary>
    public const int Diverged = 3;

    public static int Run(LabeledTable data, TrainSettings settings, TrainOutputs outputs, TextWriter stdout, TextWriter stderr, DistributedTrain? distributed = null)
    {
        var console = Terminal.For(stdout);
        string? resumeFrom = outputs.Checkpoint;
        // In a distributed run rank 0 alone writes files (the others train the same weights).
        if (distributed is { Comm.Rank: > 0 }) outputs = outputs with { Save = null, Checkpoint = null, Plot = null, Record = null, Report = null };
        // Refuse an output nobody can write before spending the training time, not after; make the folders it names.
        foreach (var (option, path) in new[] { ("--save", outputs.Save), ("--checkpoint", outputs.Checkpoint), ("--plot", outputs.Plot), ("--record", outputs.Record), ("--report", outputs.Report) })
        {
            if (path is null) continue;
            OutputPaths.Prepare(option, path);
        }
        using var claim = Claim(outputs); // writable, and no other run writes them
        var setup = new TrainSetup<T>(data, settings);
        var trainer = setup.Trainer;
        var recorder = outputs.Record is null && outputs.Report is null ? null
            : setup.Recorder(outputs.Snapshots);

        trainer.Callbacks.Add(new DivergenceGuard<T>());
        KeepBest<T>? best = null;
        if (settings.EarlyStopping is { } patience)
        {
            if (trainer.Data.ValidationRows == 0) throw new CliException("--early-stopping watches the validation loss, but --validation 0 leaves no validation rows");
            trainer.Callbacks.Add(new EarlyStopping<T>(patience));
            trainer.Callbacks.Add(best = new KeepBest<T>());
        }
        if (recorder is not null) trainer.Callbacks.Add(new EpochEnd<T>((t, m) => { if (recorder.WantsSnapshot(m.Epoch)) recorder.Snapshot(); }));
        if (outputs.Checkpoint is { } every) trainer.Callbacks.Add(new PeriodicCheckpoint<T>(every, outputs.CheckpointEvery));

        int resumedAt = 0;
        if (distributed is not null)
        {
            distributed.Agree();
            DistributedTrain.Together(() =>
            {
                if (outputs.Resume) trainer.LoadCheckpoint(distributed.Comm, resumeFrom!);
                trainer.StartDataParallel(distributed.Comm);
            });
            resumedAt = trainer.CompletedEpochs;
            distributed.Checkpoint = resumeFrom;
        }
        else if (outputs.Resume)
        {
            if (!File.Exists(outputs.Checkpoint)) throw new CliException($"--resume: there is no checkpoint at {outputs.Checkpoint}");
            trainer.LoadCheckpoint(outputs.Checkpoint!);
            resumedAt = trainer.CompletedEpochs;
        }

        console.MarkupLine($"[bold]Training[/] {Markup.Escape(Describe(setup))}");
        console.MarkupLine($"on {Markup.Escape(data.Description)}: {Plural.Of(trainer.Data.TrainingRows, "training row")}, {Plural.Of(trainer.Data.ValidationRows, "validation row")}");
        console.MarkupLine(Markup.Escape(TaskLine(data, settings)));
        if (distributed is not null) console.MarkupLine($"data-parallel over {Plural.Of(distributed.Comm.Size, "MPI rank")} (about {Plural.Of(settings.BatchSize / distributed.Comm.Size, "row")} each per batch)");
        if (outputs.Resume)
            console.MarkupLine(Markup.Escape($"resumed from {resumeFrom} after epoch {resumedAt}" +
                (trainer.IsMidEpoch ? $" and batch {trainer.BatchesDoneInEpoch} of epoch {resumedAt + 1}" : "")));

        var clock = Stopwatch.StartNew();
        bool finished = Train(trainer, recorder, console, settings.Epochs);
        clock.Stop();
        string? timing = trainer.StopDataParallel();
        if (!finished) return Interrupt(trainer, outputs, stderr);

        var written = new List<string>();
        if (outputs.Checkpoint is { } checkpoint)
        {
            // The final state, unless the last epoch already wrote it (a resumed run that had nothing left to do too).
            if (trainer.CompletedEpochs % outputs.CheckpointEvery != 0 || trainer.StopReason is not null || !File.Exists(checkpoint)) trainer.SaveCheckpoint(checkpoint);
            written.Add($"checkpoint {checkpoint}");
        }
        int? bestEpoch = best is not null && best.RestoreBest(trainer) ? best.BestEpoch : null;
        var summary = TrainSummary<T>.Measure(setup);
        if (outputs.Save is { } save) { ModelFile.Save(save, setup.Model); written.Add($"model      {save}{(bestEpoch is { } b ? $" (the weights of epoch {b}, the best validation loss)" : "")}"); }
        if (outputs.Plot is { } plot) { TrainSummary<T>.LossChart(trainer).Save(plot); written.Add($"loss plot  {plot}"); }
        if (recorder is not null)
        {
            var run = recorder.ToRecord(summary.Final, bestEpoch);
            if (outputs.Record is { } record) { run.Save(record); written.Add($"run record {record}"); }
            if (outputs.Report is { } report) { TrainingReport.Write(run, report); written.Add($"report     {report}"); }
        }
        if (trainer.StopReason is { } reason) console.WriteLine(reason);
        summary.Write(console, clock.Elapsed, resumedAt, bestEpoch);
        if (timing is not null) foreach (var line in ("rank 0 " + timing).Split('\n')) console.WriteLine(line);
        foreach (var line in written) console.WriteLine("wrote " + line);
        return 0;
    }

    // The epoch loop under a Ctrl-C handler: the first SIGINT lets the batch in progress finish and stops; a second one
    // (the handler is gone by then) ends the process as usual. True when the run finished.
    private static bool Train(Trainer<T> trainer, RunRecorder<T>? recorder, IAnsiConsole console, int epochs)
    {
        using var interrupt = new CancellationTokenSource();
        PosixSignalRegistration? registration = null;
        registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
            registration?.Dispose();
        });
        try
        {
            if (recorder is not null && recorder.WantsSnapshot(trainer.CompletedEpochs)) recorder.Snapshot();
            if (console.Profile.Capabilities.Interactive)
            {
                bool finished = false;
                console.Progress().AutoClear(false).HideCompleted(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("epoch", maxValue: epochs);
                        task.Value = trainer.CompletedEpochs;
                        var progress = new EpochEnd<T>((_, m) => { task.Value = m.Epoch; task.Description = Markup.Escape(Line(m, epochs)); });
                        finished = FitWith(trainer, progress, interrupt.Token);
                    });
                return finished;
            }
            int every = Math.Max(1, epochs / 10);
            return FitWith(trainer, new EpochEnd<T>((_, m) =>
            {
                if (m.Epoch % every == 0 || m.Epoch == epochs) console.WriteLine(Line(m, epochs));
            }), interrupt.Token);
        }
        catch (TrainingDivergedException e)
        {
            throw new CliException($"{e.Message} (try a smaller --lr)", Diverged);
        }
        finally
        {
            registration?.Dispose();
        }
    }

    private static bool FitWith(Trainer<T> trainer, ITrainingCallback<T> progress, CancellationToken cancel)
    {
        trainer.Callbacks.Add(progress);
        try { return trainer.Fit(cancel); }
        finally { trainer.Callbacks.Remove(progress); }
    }

    private static int Interrupt(Trainer<T> trainer, TrainOutputs outputs, TextWriter stderr)
    {
        string checkpoint = outputs.Checkpoint ?? "nabla-interrupted.ckpt";
        trainer.SaveCheckpoint(checkpoint);
        string place = trainer.IsMidEpoch ? $"after batch {trainer.BatchesDoneInEpoch} of epoch {trainer.CompletedEpochs + 1}" : $"after epoch {trainer.CompletedEpochs}";
        string resume = outputs.ResumeCommand + (outputs.Checkpoint is null ? $" --checkpoint {checkpoint}" : "") + " --resume";
        stderr.WriteLine($"interrupted {place}; wrote checkpoint {checkpoint}; continue with: {resume}");
        return Interrupted;
    }

    // Claims the outputs together; a failure names the option of the path that failed.
    private static IDisposable Claim(TrainOutputs o)
    {
        try { return OutputClaim.Of(o.Save, o.Checkpoint, o.Plot, o.Record, o.Report); }
        catch (NablaException e)
        {
            var option = new[] { ("--save", o.Save), ("--checkpoint", o.Checkpoint), ("--plot", o.Plot), ("--record", o.Record), ("--report", o.Report) }
                .FirstOrDefault(p => p.Item2 is not null && e.Message.StartsWith(p.Item2, StringComparison.Ordinal)).Item1;
            throw option is null ? e : new CliException($"{option}: {e.Message}");
        }
    }

    private static string Describe(TrainSetup<T> setup)
    {
        var s = setup.Settings;
        string network = s.Layers is null ? $"an MLP {string.Join("-", setup.Model.LayerSizes)} ({s.Activation.Name()})"
            : $"\"{s.Layers}\" ({setup.ParameterCount:N0} parameters)";
        return $"{network}, loss {setup.Model.Loss.Name}, {s.Optimizer.Name()} lr {F(s.LearningRate)}" +
            $"{(s.Schedule == ScheduleChoice.Constant ? "" : $" ({s.Schedule.Name()})")}" +
            (s.Warmup is { } w ? $", warm-up {Plural.Of(w, "step")}" : "") + (s.ClipGrad is { } c ? $", clip-grad {F(c)}" : "") +
            $", batch {s.BatchSize}, {Plural.Of(s.Epochs, "epoch")}, {s.DType.Name()}, seed {s.Seed}" +
            (s.EarlyStopping is { } p ? $", early stopping after {Plural.Of(p, "epoch")} without improvement" : "");
    }

    private static string TaskLine(LabeledTable data, TrainSettings settings)
    {
        string task = data.Task == TaskKind.Classification ? $"classification into {Plural.Of(data.Classes.Count, "class")}" : "regression";
        string why = settings.Task is null ? data.TaskReason : $"--task {(settings.Task == TaskKind.Classification ? "classify" : "regress")}";
        return $"task: {task}, because {why}";
    }

    internal static string Line(EpochMetrics m, int epochs)
    {
        string width = new(' ', epochs.ToString(CultureInfo.InvariantCulture).Length - m.Epoch.ToString(CultureInfo.InvariantCulture).Length);
        var parts = new List<string> { $"epoch {width}{m.Epoch}/{epochs}", $"loss {m.Loss:F4}" };
        if (m.ValidationLoss is { } vl) parts.Add($"val loss {vl:F4}");
        if (m.Accuracy is { } a) parts.Add($"acc {a:P1}");
        if (m.ValidationAccuracy is { } va) parts.Add($"val acc {va:P1}");
        return string.Join("  ", parts);
    }

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
}
