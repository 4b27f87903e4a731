using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.Tensors;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Cli;

/// <summary>nabla train --text, nabla generate and nabla evaluate on a character-level language model.</summary>
public sealed partial class TextModelCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // A small text with a clear structure: a model that learns anything beats the uniform guess quickly.
    private string Corpus()
    {
        string path = _dir.File("corpus.txt");
        var words = new[] { "the", "cat", "sat", "on", "a", "mat", "and", "ran", "to", "dog" };
        var lines = Enumerable.Range(0, 200).Select(i => string.Join(" ", Enumerable.Range(0, 6).Select(j => words[(i * 7 + j * 3) % words.Length])));
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private string Train(string corpus, params string[] extra)
    {
        string model = _dir.File("model.safetensors");
        var (exit, output, error) = CliRunner.Run(["train", "--text", corpus, "--context", "16", "--epochs", "3", "--steps-per-epoch", "15",
            "--batch-size", "8", "--save", model, .. extra]);
        Assert.True(exit == 0, error + output);
        return model;
    }

    [GeneratedRegex(@"epoch +\d+/\d+  loss ([0-9.]+)  ppl ([0-9.]+)  val loss ([0-9.]+)  val ppl ([0-9.]+)")]
    private static partial Regex EpochLine();

    [Fact]
    public void Training_on_a_tiny_text_lowers_the_loss_and_prints_perplexity_as_e_to_the_loss()
    {
        var (exit, output, error) = CliRunner.Run("train", "--text", Corpus(), "--context", "16", "--epochs", "4", "--steps-per-epoch", "20", "--batch-size", "8");
        Assert.True(exit == 0, error);
        var epochs = EpochLine().Matches(output).Select(m => m.Groups.Values.Skip(1).Select(g => double.Parse(g.Value, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(4, epochs.Count);
        Assert.True(epochs[^1][0] < epochs[0][0] - 0.3, output);
        Assert.True(epochs[^1][2] < Math.Log(11), output); // below the uniform guess over the 11 characters (10 letters, space, newline … at most)
        foreach (var e in epochs)
        {
            Assert.Equal(Math.Exp(e[0]), e[1], 0.01 * e[1]);
            Assert.Equal(Math.Exp(e[2]), e[3], 0.01 * e[3]);
        }
    }

    [Fact]
    public void Generate_is_reproducible_by_seed_and_differs_across_seeds()
    {
        string model = Train(Corpus());
        string Sample(string seed) => CliRunner.Run("generate", "--model", model, "--prompt", "the ", "--tokens", "80", "--temperature", "1.5", "--seed", seed).Out;
        string first = Sample("1");
        Assert.StartsWith("the ", first);
        Assert.Equal("the ".Length + 80 + Environment.NewLine.Length, first.Length);
        Assert.Equal(first, Sample("1"));
        Assert.NotEqual(first, Sample("2"));
    }

    [Fact]
    public void Top_k_1_equals_temperature_0_and_greedy_generation_equals_an_argmax_loop_over_the_library_model()
    {
        string model = Train(Corpus());
        string greedy = CliRunner.Run("generate", "--model", model, "--prompt", "cat", "--tokens", "40", "--temperature", "0").Out;
        string topOne = CliRunner.Run("generate", "--model", model, "--prompt", "cat", "--tokens", "40", "--top-k", "1", "--seed", "5").Out;
        Assert.Equal(greedy, topOne);

        // The same loop written here: crop to the context, run the model, take the first index of the largest logit.
        var lm = TextModel<float>.Load(model);
        var ids = lm.Vocabulary.Encode("cat").ToList();
        using (NoGrad.Scope())
            for (int n = 0; n < 40; n++)
            {
                var window = ids.Skip(Math.Max(0, ids.Count - lm.Context)).ToArray();
                var logits = lm.Forward(IndexTensor.FromArray(window, 1, window.Length)).ToArray();
                var last = logits.AsSpan((window.Length - 1) * lm.Vocabulary.Size, lm.Vocabulary.Size);
                int best = 0;
                for (int i = 1; i < last.Length; i++) if (last[i] > last[best]) best = i;
                ids.Add(best);
            }
        Assert.Equal(lm.Vocabulary.Decode(ids.ToArray()) + Environment.NewLine, greedy);
    }

    [Fact]
    public void Evaluate_reports_the_mean_cross_entropy_over_non_overlapping_windows()
    {
        string corpus = Corpus();
        string model = Train(corpus);
        var (exit, output, error) = CliRunner.Run("evaluate", "--model", model, "--data", corpus, "--json");
        Assert.True(exit == 0, error);
        double loss = double.Parse(Regex.Match(output, "\"loss\": ([0-9.eE+-]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        double perplexity = double.Parse(Regex.Match(output, "\"perplexity\": ([0-9.eE+-]+)").Groups[1].Value, CultureInfo.InvariantCulture);

        // Independently: −log softmax in double for each window of 16 (the last shorter), every character but the first once.
        var lm = TextModel<float>.Load(model);
        var ids = lm.Vocabulary.Encode(File.ReadAllText(corpus));
        double total = 0;
        int count = 0, v = lm.Vocabulary.Size;
        using (NoGrad.Scope())
            for (int start = 0; start < ids.Length - 1; start += lm.Context)
            {
                int length = Math.Min(lm.Context, ids.Length - 1 - start);
                var z = lm.Forward(IndexTensor.FromArray(ids.AsSpan(start, length).ToArray(), 1, length)).ToArray();
                for (int t = 0; t < length; t++)
                {
                    var row = z.AsSpan(t * v, v).ToArray().Select(x => (double)x).ToArray();
                    double max = row.Max(), lse = max + Math.Log(row.Sum(x => Math.Exp(x - max)));
                    total += lse - row[ids[start + t + 1]];
                    count++;
                }
            }
        Assert.Contains($"\"characters\": {count}", output);
        Assert.Equal(total / count, loss, 1e-5);
        Assert.Equal(Math.Exp(loss), perplexity, 1e-9 * perplexity);
    }

    [Fact]
    public void The_model_file_alone_rebuilds_the_model_and_resume_continues_it()
    {
        string corpus = Corpus();
        string model = Train(corpus, "--layers", "embedding 12, tanh, linear tied");
        var lm = TextModel<double>.Load(model);
        Assert.Equal(16, lm.Context);
        Assert.Equal("embedding 12, tanh, linear tied", lm.Architecture);
        Assert.Equal(new string(File.ReadAllText(corpus).Distinct().Order().ToArray()), lm.Vocabulary.Decode(Enumerable.Range(0, lm.Vocabulary.Size).ToArray()));
        var (exit, output, error) = CliRunner.Run("train", "--text", corpus, "--epochs", "1", "--steps-per-epoch", "5", "--save", model, "--resume");
        Assert.True(exit == 0, error);
        Assert.Contains("embedding 12, tanh, linear tied", output);
        Assert.Contains("context 16", output);
    }

    [Theory]
    [InlineData("embedding 16, conv 3 3, linear", "conv", "conv is a layer for images")]
    [InlineData("linear 16, linear", "linear 16", "a text model starts with \"embedding DIM\"")]
    [InlineData("embedding 16, relu", "relu", "ends with 16 features per position")]
    [InlineData("embedding 16, linear 8, linear tied", "linear tied", "a tied linear needs inputs as wide as the embedding (16)")]
    [InlineData("embedding 16, posembed, gptblock 3, linear", "3", "gptblock's 3 heads do not divide the width 16")]
    [InlineData("embedding 16, lstm 100000, linear", "lstm", "values, more than the 16,776,992 that are left of the limit")]
    public void A_layers_description_that_does_not_fit_text_is_one_line_with_a_caret_and_writes_nothing(string layers, string at, string message)
    {
        // The caret sits under the layer's name: the first word of `at`, found where `at` starts.
        string caret = new string(' ', layers.IndexOf(at, StringComparison.Ordinal)) + new string('^', at.Split(' ')[0].Length);
        string model = _dir.File("refused.safetensors");
        var (exit, _, error) = CliRunner.Run("train", "--text", Corpus(), "--layers", layers, "--save", model);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Contains("\n  " + layers + "\n  " + caret + "\n", error.Replace("\r", ""));
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void An_empty_or_binary_text_is_refused_and_nothing_is_written()
    {
        string model = _dir.File("refused.safetensors");
        string empty = _dir.File("empty.txt"), binary = _dir.File("binary.bin");
        File.WriteAllText(empty, "");
        File.WriteAllBytes(binary, [0x41, 0x42, 0x00, 0x43]);
        var (exit, _, error) = CliRunner.Run("train", "--text", empty, "--save", model);
        Assert.Equal(2, exit);
        Assert.Contains("empty", error);
        (exit, _, error) = CliRunner.Run("train", "--text", binary, "--save", model);
        Assert.Equal(2, exit);
        Assert.Contains("byte 2 is NUL", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void A_prompt_character_outside_the_vocabulary_is_named_with_its_position()
    {
        string model = Train(Corpus());
        var (exit, output, error) = CliRunner.Run("generate", "--model", model, "--prompt", "the Zoo");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("character 4, 'Z' (U+005A), is not in the model's vocabulary", error);
    }

    [Fact]
    public void A_context_other_than_the_models_is_refused()
    {
        string corpus = Corpus();
        string model = Train(corpus);
        var (exit, _, error) = CliRunner.Run("train", "--text", corpus, "--context", "32", "--save", model, "--resume");
        Assert.Equal(2, exit);
        Assert.Contains("--context 32 differs from the model's 16", error);
        var lm = TextModel<float>.Load(model);
        var e = Assert.Throws<NablaArgumentException>(() => lm.Forward(IndexTensor.Zeros(1, 17)));
        Assert.Contains("a window of 17 tokens is longer than the model's context of 16", e.Message);
    }

    [Fact]
    public void A_context_longer_than_the_training_text_is_refused_before_anything_is_written()
    {
        string model = _dir.File("refused.safetensors");
        string tiny = _dir.File("tiny.txt");
        File.WriteAllText(tiny, "abcdefghij");
        var (exit, _, error) = CliRunner.Run("train", "--text", tiny, "--context", "64", "--save", model);
        Assert.Equal(2, exit);
        Assert.Contains("context 64 needs at least 65 characters", error);
        Assert.False(File.Exists(model));
    }

    [Theory]
    [InlineData("--plot", "loss.svg")]
    [InlineData("--schedule", "cosine")]
    [InlineData("--target", "y")]
    public void A_flag_for_tables_is_refused_in_a_text_run(string flag, string value)
    {
        var (exit, output, error) = CliRunner.Run("train", "--text", Corpus(), flag, value);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal($"error: {flag} is not for a --text run (a character-level language model); drop it", error.Trim());
    }

    [Fact]
    public void Resume_on_a_text_with_other_characters_is_refused()
    {
        string model = Train(Corpus());
        string other = _dir.File("other.txt");
        File.WriteAllText(other, string.Concat(Enumerable.Repeat("the cat sat on a mat\n", 20)));
        var (exit, _, error) = CliRunner.Run("train", "--text", other, "--save", model, "--resume");
        Assert.Equal(2, exit);
        Assert.Contains("distinct characters, the model's vocabulary", error);
    }
}
