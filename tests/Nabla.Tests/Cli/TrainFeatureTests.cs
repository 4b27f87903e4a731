using System.Diagnostics;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Serialization;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla train</c>'s task choice, early stopping, divergence and Ctrl-C.</summary>
public sealed class TrainFeatureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-cli-train-features-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_0_1_target_trains_a_classifier_and_the_header_says_why()
    {
        File.WriteAllText(P("d.csv"), "a,b,label\n" + string.Join("\n", Enumerable.Range(0, 60).Select(i => $"{i % 7},{i % 3},{(i % 7 > 3 ? 1 : 0)}")) + "\n");
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", P("d.csv"), "--target", "label", "--epochs", "3");
        Assert.True(exit == 0, stderr);
        Assert.Contains("loss bce", stdout);
        Assert.Contains("task: classification into 2 classes, because 'label' holds 2 distinct whole numbers (0, 1)", stdout);

        (exit, stdout, stderr) = CliRunner.Run("train", "--data", P("d.csv"), "--target", "label", "--epochs", "3", "--task", "regress");
        Assert.True(exit == 0, stderr);
        Assert.Contains("loss mse", stdout);
        Assert.Contains("task: regression, because --task regress", stdout);
    }

    [Fact]
    public void A_classification_loss_on_a_continuous_target_is_a_one_line_error_that_says_what_to_do()
    {
        File.WriteAllText(P("d.csv"), "a,price\n" + string.Join("\n", Enumerable.Range(0, 50).Select(i => $"{i},{i * 1.37 + 0.01}")) + "\n");
        var (exit, _, stderr) = CliRunner.Run("train", "--data", P("d.csv"), "--target", "price", "--loss", "ce");
        Assert.Equal(2, exit);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("--loss ce needs class labels", stderr);
        Assert.Contains("--task classify", stderr);
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_the_run_record_names_it()
    {
        // Few noisy rows and a wide network: the validation loss turns up long before 400 epochs.
        var random = new Random(2);
        File.WriteAllText(P("d.csv"), "x,y\n" + string.Join("\n", Enumerable.Range(0, 60).Select(i =>
            FormattableString.Invariant($"{i / 60.0:R},{i / 60.0 + random.NextDouble():R}"))) + "\n");
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", P("d.csv"), "--target", "y", "--epochs", "400", "--hidden", "64,64",
            "--lr", "0.03", "--early-stopping", "4", "--validation", "0.5", "--save", P("m.safetensors"), "--record", P("run.json"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("stopped early after epoch", stdout);
        var run = RunRecord.Load(P("run.json"));
        var losses = run.Epochs.Select(e => e.ValidationLoss!.Value).ToList();
        int best = losses.IndexOf(losses.Min()) + 1;
        Assert.Equal(best, run.BestEpoch);
        Assert.Equal(best + 4, run.Epochs.Count);
        Assert.Contains($"weights of epoch {best}", stdout);
        Assert.NotNull(run.Final.Regression);
        Assert.Equal("validation", run.Final.ScoredOn);
    }

    [Fact]
    public void A_diverging_run_stops_with_one_line_and_exit_3()
    {
        var (exit, stdout, stderr) = CliRunner.Run("train", "--dataset", "sine", "--lr", "1e9", "--epochs", "50", "--optimizer", "sgd");
        Assert.Equal(3, exit);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("training diverged", stderr);
        Assert.Contains("--lr", stderr);
        Assert.DoesNotContain("epoch 50/50", stdout);
    }

    [Fact]
    public async Task Ctrl_C_finishes_the_batch_writes_a_checkpoint_exits_130_and_the_resumed_run_equals_an_uninterrupted_one()
    {
        if (!File.Exists("/bin/kill") && !File.Exists("/usr/bin/kill")) Assert.Skip("no kill command to send SIGINT with");
        // Interrupted inside an epoch and inside the warm-up, with clipping on: the per-step scheduler resumes mid-epoch.
        string[] run = ["train", "--dataset", "moons", "--samples", "20000", "--epochs", "12", "--checkpoint-every", "1", "--validation", "0.1",
            "--clip-grad", "0.5", "--warmup", "2000"];
        Assert.Equal(0, CliRunner.Run([.. run, "--save", P("whole.safetensors")]).Exit);

        string save = P("stopped.safetensors"), checkpoint = save + ".ckpt";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nabla.dll"));
        foreach (var a in run.Append("--save").Append(save)) start.ArgumentList.Add(a);
        int exit;
        string stderr;
        using (var process = Process.Start(start)!)
        {
            var errors = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            while (!File.Exists(checkpoint) && !process.HasExited) Thread.Sleep(10);
            Thread.Sleep(50);   // into the next epoch
            Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            exit = process.ExitCode;
            stderr = await errors;
        }
        Assert.True(exit == 130, $"exit {exit}: {stderr}");
        Assert.Contains("interrupted after", stderr);
        Assert.Contains($"wrote checkpoint {checkpoint}", stderr);
        Assert.Contains("--resume", stderr);
        Assert.False(File.Exists(save), "an interrupted run must not write its final model");
        var metadata = SafetensorsFile.Load(checkpoint).Metadata;
        Assert.InRange(int.Parse(metadata["nabla.epoch"]), 1, 11);

        var (resumedExit, stdout, resumeErr) = CliRunner.Run([.. run, "--save", save, "--resume"]);
        Assert.True(resumedExit == 0, resumeErr);
        Assert.Contains("resumed from", stdout);
        var whole = SafetensorsFile.Load(P("whole.safetensors"));
        var resumed = SafetensorsFile.Load(save);
        foreach (var name in whole.Names)
            Assert.True(whole.Tensors[name].Data.SequenceEqual(resumed.Tensors[name].Data), $"tensor {name} differs after the resume");
    }
}
