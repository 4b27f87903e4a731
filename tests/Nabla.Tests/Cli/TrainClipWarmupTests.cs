using Nabla.Cli.Commands;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla train --clip-grad</c> and <c>--warmup</c>: what they do to the run, and the values they refuse.</summary>
public sealed class TrainClipWarmupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-cli-clip-warmup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    // The run's first line as printed, which the console wraps at its width: everything before the data line.
    private static string FirstLine(string stdout) => stdout[..stdout.IndexOf("\non ", StringComparison.Ordinal)].Replace("\n", "");

    [Theory]
    [InlineData("--clip-grad", "0", "--clip-grad must be a number > 0, got 0")]
    [InlineData("--clip-grad", "-1", "--clip-grad must be a number > 0, got -1")]
    [InlineData("--clip-grad", "NaN", "--clip-grad must be a number > 0, got NaN")]
    [InlineData("--clip-grad", "Infinity", "--clip-grad must be a number > 0, got Infinity")]
    [InlineData("--clip-grad", "lots", "--clip-grad must be a number > 0, got lots")]
    [InlineData("--warmup", "0", "--warmup must be a whole number ≥ 1, got 0")]
    [InlineData("--warmup", "-3", "--warmup must be a whole number ≥ 1, got -3")]
    [InlineData("--warmup", "2.5", "--warmup must be a whole number ≥ 1, got 2.5")]
    [InlineData("--warmup", "NaN", "--warmup must be a whole number ≥ 1, got NaN")]
    public void A_bad_value_is_a_one_line_error_and_exit_2(string option, string value, string message)
    {
        var (exit, stdout, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "1", option, value);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void The_settings_refuse_what_the_flags_refuse()
    {
        Assert.Contains("--clip-grad must be a number > 0, got NaN", Assert.Throws<NablaException>(() => new TrainSettings { ClipGrad = double.NaN }).Message);
        Assert.Contains("--clip-grad must be a number > 0, got -2", Assert.Throws<NablaException>(() => new TrainSettings { ClipGrad = -2 }).Message);
        Assert.Contains("--warmup must be a whole number ≥ 1, got 0", Assert.Throws<NablaException>(() => new TrainSettings { Warmup = 0 }).Message);
    }

    [Fact]
    public void Training_with_clip_grad_equals_a_library_loop_that_clips_bit_for_bit_and_the_first_line_says_so()
    {
        const uint seed = 3;
        const int epochs = 4, batch = 16;
        const double lr = 0.05, maxNorm = 0.05;
        string save = P("clipped.safetensors");
        var (exit, stdout, stderr) = CliRunner.Run("train", "--dataset", "moons", "--samples", "300", "--epochs", "4", "--batch-size", "16",
            "--lr", "0.05", "--seed", "3", "--clip-grad", "0.05", "--save", save);
        Assert.True(exit == 0, stderr);
        Assert.Contains(", clip-grad 0.05,", FirstLine(stdout));

        // The loop by hand: the generator draws the split, the weights, then each epoch's shuffle, as the CLI's does.
        var data = LabeledTable.FromDataset("moons", 300, LabeledTable.DefaultNoise("moons"), seed);
        var rng = new RandomState(seed);
        var set = TrainingSet.Prepare<double>(data, 0.2, rng);
        var net = Mlp.Create<double>([2, 16, 16, 1], "relu", rng);
        var opt = new Adam<double>(net.Parameters(), lr);
        var loss = new BinaryCrossEntropyLoss<double>();
        int clipped = 0, rows = set.TrainingRows;
        for (int e = 0; e < epochs; e++)
        {
            int[] order = rng.Permutation(rows);
            for (int start = 0; start < rows; start += batch)
            {
                var b = set.TrainingBatch(order.AsSpan(start, Math.Min(batch, rows - start)));
                opt.ZeroGrad();
                loss.Compute(net.Forward(b.Inputs), b).Backward();
                if (GradClip.ClipGradNorm(opt.Parameters, maxNorm) > maxNorm) clipped++;
                opt.Step();
            }
        }
        Assert.True(clipped > 0, "no step had a gradient norm above --clip-grad, so the test would not see clipping");
        var file = SafetensorsFile.Load(save);
        foreach (var t in StateDicts.ToSafeTensors(net.StateDict()))
            Assert.True(file.Tensors[t.Name].Data.SequenceEqual(t.Data), $"tensor {t.Name} differs from the library loop's");

        var (_, unclipped, _) = CliRunner.Run("train", "--dataset", "moons", "--samples", "300", "--epochs", "4", "--batch-size", "16",
            "--lr", "0.05", "--seed", "3", "--save", P("unclipped.safetensors"));
        var plain = SafetensorsFile.Load(P("unclipped.safetensors"));
        Assert.Contains(plain.Names, n => !plain.Tensors[n].Data.SequenceEqual(file.Tensors[n].Data));
        Assert.DoesNotContain("clip-grad", FirstLine(unclipped));
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("step")]
    [InlineData("cosine")]
    public void Warmup_sets_each_steps_rate_to_the_linear_factor_times_the_epoch_schedule(string schedule)
    {
        const int warmup = 7, epochs = 6, batchSize = 16;
        const double lr = 0.02;
        var data = LabeledTable.FromDataset("moons", 200, 0.1, 0);
        var settings = new TrainSettings { Warmup = warmup, Schedule = TrainChoices.ParseSchedule(schedule), Epochs = epochs, BatchSize = batchSize, LearningRate = lr };
        var setup = new TrainSetup<double>(data, settings);
        int batches = (setup.Trainer.Data.TrainingRows + batchSize - 1) / batchSize;   // 160 rows: 10 per epoch
        // lr(s) = schedule(epoch of s) · (1/N + (1 − 1/N)·min(s, N)/N), the schedules as README states them.
        double Expected(int s)
        {
            int e = s / batches;
            double epochRate = schedule switch
            {
                "step" => lr * Math.Pow(0.1, e / Math.Max(1, epochs / 3)),
                "cosine" => lr * (1 + Math.Cos(Math.PI * e / epochs)) / 2,
                _ => lr,
            };
            return epochRate * (1.0 / warmup + (1 - 1.0 / warmup) * Math.Min(s, warmup) / warmup);
        }
        var trainer = setup.Trainer;
        Assert.Equal(Expected(0), trainer.Optimizer.LearningRate, 1e-15);
        // The trainer steps the scheduler after every optimizer step: after epoch k the rate is step k·batches's.
        for (int k = 1; k <= epochs; k++)
        {
            trainer.RunEpoch();
            Assert.Equal(k * batches, ((LambdaLR)trainer.Scheduler!).LastEpoch);
            double want = Expected(k * batches);
            Assert.True(Math.Abs(trainer.Optimizer.LearningRate - want) <= 1e-15 * want, $"{schedule}, after epoch {k}: {trainer.Optimizer.LearningRate:R}, expected {want:R}");
        }
        // Every step's rate, by stepping a scheduler built the same way.
        var again = new TrainSetup<double>(data, settings);
        var scheduler = (LRScheduler)again.Trainer.Scheduler!;
        for (int s = 0; s < epochs * batches; s++)
        {
            double want = Expected(s), got = again.Trainer.Optimizer.LearningRate;
            Assert.True(Math.Abs(got - want) <= 1e-15 * want, $"{schedule}, step {s}: {got:R}, expected {want:R}");
            scheduler.Step();
        }
    }

    [Fact]
    public void The_first_line_and_the_run_record_name_the_warm_up_and_the_clipping()
    {
        var (exit, stdout, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "2", "--warmup", "5", "--schedule", "cosine",
            "--clip-grad", "2.5", "--record", P("run.json"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("(cosine), warm-up 5 steps, clip-grad 2.5, batch 32", FirstLine(stdout));
        using var record = System.Text.Json.JsonDocument.Parse(File.ReadAllText(P("run.json")));
        var settings = record.RootElement.GetProperty("settings");
        Assert.Equal(5, settings.GetProperty("warmup").GetInt32());
        Assert.Equal(2.5, settings.GetProperty("clipGrad").GetDouble());

        Assert.Equal(0, CliRunner.Run("train", "--dataset", "moons", "--epochs", "2", "--record", P("plain.json")).Exit);
        using var plain = System.Text.Json.JsonDocument.Parse(File.ReadAllText(P("plain.json")));
        Assert.False(plain.RootElement.GetProperty("settings").TryGetProperty("warmup", out _));
        Assert.False(plain.RootElement.GetProperty("settings").TryGetProperty("clipGrad", out _));
    }
}
