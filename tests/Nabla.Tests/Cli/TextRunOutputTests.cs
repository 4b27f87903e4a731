using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Data;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Cli;

/// <summary>nabla train --text with --checkpoint/--resume, --warmup, --record and --report.</summary>
public sealed partial class TextRunOutputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Corpus()
    {
        string path = _dir.File("corpus.txt");
        var words = new[] { "the", "cat", "sat", "on", "a", "mat", "and", "ran", "to", "dog" };
        File.WriteAllText(path, string.Join("\n", Enumerable.Range(0, 200).Select(i => string.Join(" ", Enumerable.Range(0, 6).Select(j => words[(i * 7 + j * 3) % words.Length])))) + "\n");
        return path;
    }

    // Dropout, a warm-up that lasts past the checkpoint, clipping and Adam's moments: all must resume exactly.
    private string[] Run(string corpus, int epochs) =>
        ["train", "--text", corpus, "--context", "8", "--layers", "embedding 16, posembed, gptblock 4 dropout=0.1, layernorm, linear tied",
         "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--steps-per-epoch", "20", "--batch-size", "4", "--checkpoint-every", "1",
         "--warmup", "50", "--clip-grad", "1", "--dtype", "float64"];

    [Fact]
    public void A_run_stopped_after_a_checkpoint_and_resumed_writes_the_same_model_file_byte_for_byte()
    {
        string corpus = Corpus();
        Assert.Equal(0, CliRunner.RunApart([.. Run(corpus, 6), "--save", _dir.File("whole.safetensors")]).Exit);
        // Three epochs (60 steps: the warm-up of 50 ends inside them), then three more from the checkpoint.
        string save = _dir.File("parts.safetensors");
        Assert.Equal(0, CliRunner.RunApart([.. Run(corpus, 3), "--save", save]).Exit);
        Assert.Equal("3", SafetensorsFile.Load(save + ".ckpt").Metadata["nabla.epoch"]);
        var (exit, output, error) = CliRunner.RunApart([.. Run(corpus, 6), "--save", save, "--resume"]);
        Assert.True(exit == 0, error);
        Assert.Contains("after epoch 3", output);
        Assert.DoesNotContain("epoch 3/6", output);
        Assert.Contains("epoch 4/6", output);
        Assert.Equal(File.ReadAllBytes(_dir.File("whole.safetensors")), File.ReadAllBytes(save));
    }

    [Fact]
    public void A_training_process_killed_after_a_checkpoint_and_resumed_ends_with_an_uninterrupted_runs_model_file()
    {
        string corpus = Corpus();
        string[] run = [.. Run(corpus, 40)];
        Assert.Equal(0, CliRunner.RunApart([.. run, "--save", _dir.File("whole.safetensors")]).Exit);
        string save = _dir.File("killed.safetensors");
        int epochAtKill = CliRunner.KillAtFirstCheckpoint(run, save);
        Assert.InRange(epochAtKill, 1, 39);
        var (exit, output, error) = CliRunner.RunApart([.. run, "--save", save, "--resume"]);
        Assert.True(exit == 0, error);
        Assert.Contains($"after epoch {epochAtKill}", output);
        Assert.Equal(File.ReadAllBytes(_dir.File("whole.safetensors")), File.ReadAllBytes(save));
    }

    [Fact]
    public void A_resume_with_other_settings_is_refused_naming_both()
    {
        string corpus = Corpus(), save = _dir.File("m.safetensors");
        Assert.Equal(0, CliRunner.Run([.. Run(corpus, 1), "--save", save]).Exit);
        byte[] before = File.ReadAllBytes(save);
        var (exit, _, error) = CliRunner.Run([.. Run(corpus, 2), "--save", save, "--resume", "--lr", "0.5"]);
        Assert.Equal(2, exit);
        Assert.Contains("other settings or text", error);
        Assert.Contains("adam lr 0.5", error);
        Assert.Equal(before, File.ReadAllBytes(save));
    }

    [Theory]
    [InlineData("--warmup", "0", "--warmup must be a whole number ≥ 1, got 0")]
    [InlineData("--checkpoint-every", "0", "--checkpoint-every must be a whole number ≥ 1, got 0")]
    public void A_bad_output_flag_is_one_line_and_writes_nothing(string flag, string value, string message)
    {
        string save = _dir.File("m.safetensors");
        var (exit, _, error) = CliRunner.Run("train", "--text", Corpus(), "--epochs", "1", "--steps-per-epoch", "2", "--save", save, flag, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(["corpus.txt"], _dir.Entries());
    }

    [Fact]
    public void Warm_up_sets_the_rate_of_step_s_to_lr_times_one_over_n_plus_the_linear_climb_then_lr()
    {
        const double lr = 0.01;
        const int n = 7, stepsPerEpoch = 3;
        var corpus = CharCorpus.FromText(string.Concat(Enumerable.Repeat("abcab cba\n", 30)), 0.1);
        var rng = new RandomState(1);
        var model = TextModel<double>.Create("embedding 4, linear", corpus.Vocabulary, 8, rng);
        var sgd = new Sgd<double>(model.Network.Parameters(), lr);
        var trainer = new TextTrainer<double>(model, corpus, sgd, rng, 2, stepsPerEpoch)
        {
            Scheduler = new LambdaLR(sgd, s => Nabla.Cli.Commands.TrainSetup<double>.WarmupFactor(s, n)),
        };
        // PyTorch's LinearLR(start_factor = 1/n, end_factor = 1, total_iters = n), stepped once per optimizer step.
        static double Expected(int step) => lr * (1.0 / n + (1 - 1.0 / n) * Math.Min(step, n) / n);
        Assert.Equal(Expected(0), sgd.LearningRate, 1e-15);
        for (int epoch = 1; epoch <= 4; epoch++)
        {
            trainer.RunEpoch();
            Assert.Equal(Expected(epoch * stepsPerEpoch), sgd.LearningRate, 1e-15);
        }
        Assert.Equal(lr, sgd.LearningRate, 1e-15);
    }

    [Fact]
    public void Warm_up_is_shown_in_the_first_line_and_a_warm_up_of_one_step_changes_nothing()
    {
        string corpus = Corpus();
        string[] run = ["train", "--text", corpus, "--context", "8", "--epochs", "1", "--steps-per-epoch", "5", "--batch-size", "4"];
        var (exit, output, error) = CliRunner.RunApart([.. run, "--warmup", "1", "--save", _dir.File("one.safetensors")]);
        Assert.True(exit == 0, error);
        Assert.Contains(" warm-up 1 steps,", output.Split('\n')[0]);
        Assert.Equal(0, CliRunner.RunApart([.. run, "--save", _dir.File("none.safetensors")]).Exit);
        Assert.Equal(0, CliRunner.RunApart([.. run, "--warmup", "4", "--save", _dir.File("four.safetensors")]).Exit);
        Assert.Equal(File.ReadAllBytes(_dir.File("none.safetensors")), File.ReadAllBytes(_dir.File("one.safetensors")));
        Assert.NotEqual(File.ReadAllBytes(_dir.File("none.safetensors")), File.ReadAllBytes(_dir.File("four.safetensors")));
    }

    [GeneratedRegex(@"epoch +(\d+)/\d+  loss ([0-9.]+)  ppl ([0-9.]+)  val loss ([0-9.]+)  val ppl ([0-9.]+)")]
    private static partial Regex EpochLine();

    [Fact]
    public void Record_and_report_hold_every_epochs_losses_and_perplexities_and_the_sample_generate_draws()
    {
        string model = _dir.File("lm.safetensors"), record = _dir.File("out/run.json"), report = _dir.File("out/run.html");
        var (exit, output, error) = CliRunner.Run("train", "--text", Corpus(), "--context", "8", "--epochs", "3", "--steps-per-epoch", "10",
            "--batch-size", "4", "--seed", "4", "--save", model, "--record", record, "--report", report);
        Assert.True(exit == 0, error);
        var printed = EpochLine().Matches(output).Select(m => m.Groups.Values.Skip(1).Select(g => double.Parse(g.Value, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(3, printed.Count);

        using var json = JsonDocument.Parse(File.ReadAllText(record));
        var epochs = json.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(3, epochs.Count);
        for (int i = 0; i < 3; i++)
        {
            double loss = epochs[i].GetProperty("loss").GetDouble(), val = epochs[i].GetProperty("validationLoss").GetDouble();
            Assert.Equal(i + 1, epochs[i].GetProperty("epoch").GetInt32());
            Assert.Equal(printed[i][1], loss, 0.00005 + 1e-12);
            Assert.Equal(printed[i][3], val, 0.00005 + 1e-12);
            Assert.Equal(Math.Exp(loss), epochs[i].GetProperty("perplexity").GetDouble(), 1e-12 * Math.Exp(loss));
            Assert.Equal(Math.Exp(val), epochs[i].GetProperty("validationPerplexity").GetDouble(), 1e-12 * Math.Exp(val));
        }
        string sample = json.RootElement.GetProperty("sample").GetProperty("text").GetString()!;
        var generated = CliRunner.Run("generate", "--model", model, "--tokens", "300", "--seed", "4");
        Assert.Equal(generated.Out[..^Environment.NewLine.Length], sample);
        Assert.Equal(300, sample.EnumerateRunes().Count());

        string html = File.ReadAllText(report);
        Assert.Equal(2, Regex.Count(html, "<svg"));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(sample), html);
        foreach (var e in printed)
            Assert.Contains($"<td>{e[1].ToString("F4", CultureInfo.InvariantCulture)}</td><td>{e[2].ToString("F2", CultureInfo.InvariantCulture)}</td>", html);
    }
}
