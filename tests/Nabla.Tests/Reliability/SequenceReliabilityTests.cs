using Nabla.Functional;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Reliability;

/// <summary>
/// The reproducers of what the fuzz campaigns over the sequence-model features found (tests/Nabla.Tests/Fuzzing:
/// LanguageFuzzTests, TensorApiFuzzTests): each input once gave an escape, an out-of-memory or a silently wrong number.
/// </summary>
public sealed class SequenceReliabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Corpus()
    {
        var path = _dir.File("corpus.txt");
        File.WriteAllText(path, "the quick brown fox jumps over the lazy dog\n");
        return path;
    }

    private string TrainText(string layers)
    {
        var path = _dir.File("lm.safetensors");
        var (exit, _, error) = CliRunner.Run("train", "--text", Corpus(), "--layers", layers, "--context", "8", "--epochs", "1", "--steps-per-epoch", "1",
            "--batch-size", "2", "--dtype", "float32", "--save", path);
        Assert.True(exit == 0, error);
        return path;
    }

    private string Edited(string source, string name, Func<SafeTensor, SafeTensor> edit)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Files.Edit(File.ReadAllBytes(source), new Dictionary<string, string?>(), edit));
        return path;
    }

    private static SafeTensor Set(SafeTensor t, string name, Func<int, double> value) =>
        t.Name != name ? t : SafeTensor.FromFloats(t.Name, [.. t.Shape], [.. Enumerable.Range(0, (int)t.ElementCount).Select(i => (float)value(i))]);

    private static void CleanRefusal((int Exit, string Out, string Err) run, string mentions)
    {
        Assert.Equal(2, run.Exit);
        Assert.DoesNotContain("internal error", run.Err);
        Assert.Contains(mentions, run.Err);
        Assert.DoesNotContain("NaN", run.Out);
    }

    [Fact]
    public void A_text_model_with_a_NaN_weight_is_refused_naming_the_tensor_by_generate_and_evaluate()
    {
        var model = Edited(TrainText("embedding 4, lstm 6, linear"), "nan.safetensors", t => Set(t, "2.bias", i => i == 3 ? double.NaN : 0.1));
        CleanRefusal(CliRunner.Run("generate", "--model", model, "--tokens", "5"), "tensor \"2.bias\" holds NaN at element 3");
        CleanRefusal(CliRunner.Run("evaluate", "--model", model, "--data", Corpus()), "tensor \"2.bias\" holds NaN at element 3");
    }

    [Fact]
    public void A_float32_text_model_whose_logits_overflow_is_refused_at_load_naming_the_layer()
    {
        // Embedding rows of 3e38 through a relu into a linear of ones: each logit is 4 × 3e38, past float32's 3.4e38.
        var source = TrainText("embedding 4, relu, linear");
        var model = Edited(source, "huge.safetensors", t => Set(Set(t, "0.weight", _ => 3e38), "2.weight", _ => 1));
        var error = Assert.Throws<NablaException>(() => TextModel<float>.Load(model));
        Assert.Contains("layer 2", error.Message);
        Assert.Contains("cannot give finite predictions", error.Message);
        CleanRefusal(CliRunner.Run("generate", "--model", model, "--tokens", "5"), "layer 2");
    }

    [Fact]
    public void A_long_context_is_refused_at_the_layer_whose_window_computes_too_much()
    {
        // One head over 65 536 positions scores 65 536² ≈ 4.3e9 pairs per window, past the 16 777 216 values a sample may compute.
        var error = Assert.Throws<NablaException>(() => Architecture.BuildText<float>("embedding 8, gptblock 1, linear", 10, 65_536, new RandomState(0)));
        Assert.Contains("gptblock", error.Message);
        Assert.Contains($"{Limits.MaxSampleValues:N0}", error.Message);
        Assert.Contains("^", error.Message);
        // A context of 1 024 scores 1 048 576 pairs: built.
        Assert.NotNull(Architecture.BuildText<float>("embedding 8, gptblock 1, linear", 10, 1024, new RandomState(0)));
    }

    [Fact]
    public void The_train_command_refuses_a_text_batch_that_would_compute_too_much_before_training()
    {
        var save = _dir.File("big.safetensors");
        var run = CliRunner.Run("train", "--text", Corpus(), "--context", "8", "--batch-size", "1000000", "--epochs", "1", "--save", save);
        CleanRefusal(run, "batch of 1,000,000 windows");
        Assert.False(File.Exists(save));
    }

    [Fact]
    public void Draw_refuses_a_positive_infinite_logit_which_leaves_no_distribution()
    {
        var error = Assert.Throws<NablaArgumentException>(() => Sampling.Draw([0.5, double.PositiveInfinity, 1], 0.8, null, new RandomState(0)));
        Assert.Contains("logit 1", error.Message);
        // −∞ stays a masked token: the draw is among the others.
        Assert.Equal(0, Sampling.Draw([2, double.NegativeInfinity], 0.8, null, new RandomState(0)));
    }

    [Fact]
    public void Draw_at_a_tiny_temperature_picks_the_largest_logit_even_when_logit_over_temperature_overflows()
    {
        // 1e10 / 1e-300 overflows; the softmax of z / T is still 1 at the largest logit and e^(−5e9 / 1e-300) = 0 elsewhere.
        Assert.Equal(0, Sampling.Draw([1e10, 5e9], 1e-300, null, new RandomState(0)));
        Assert.Equal(1, Sampling.Draw([5e9, 1e10, double.NegativeInfinity], 1e-300, null, new RandomState(0)));
        Assert.Throws<NablaArgumentException>(() => Sampling.Draw([double.NegativeInfinity, double.NegativeInfinity], 1, null, new RandomState(0)));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(2, 0)]
    public void Recurrent_layers_refuse_an_empty_batch_or_no_input_features(int batch, int features)
    {
        var x = Tensor<double>.Zeros(batch, 4, features);
        var error = Assert.Throws<NablaArgumentException>(() => Tensor<double>.LstmLayer(x, Tensor<double>.Zeros(8, features), Tensor<double>.Zeros(8, 2), null, null, batchFirst: true));
        Assert.Contains(batch == 0 ? "no sequences" : "no input features", error.Message);
        Assert.Throws<NablaArgumentException>(() => Tensor<double>.GruLayer(x, Tensor<double>.Zeros(6, features), Tensor<double>.Zeros(6, 2), null, null, batchFirst: true));
        Assert.Throws<NablaArgumentException>(() => Tensor<double>.RnnLayer(x, Tensor<double>.Zeros(2, features), Tensor<double>.Zeros(2, 2), null, null, batchFirst: true));
    }

    [Fact]
    public void Attention_over_no_keys_with_a_mask_gives_zeros_as_without_one()
    {
        // Each query sees no key, so its output is 0 (the documented rule for a row with nothing visible).
        var q = Tensor<double>.Ones(2, 3, 4);
        var k = Tensor<double>.Zeros(2, 0, 4);
        var v = Tensor<double>.Zeros(2, 0, 5);
        var y = Tensor<double>.ScaledDotProductAttention(q, k, v, mask: Tensor<double>.Zeros(3, 0));
        Assert.Equal(new[] { 2, 3, 5 }, y.Shape);
        Assert.All(y.ToArray(), value => Assert.Equal(0.0, value));
    }

    [Fact]
    public void Chunk_of_an_empty_dimension_refuses_more_empty_pieces_than_the_limit_instead_of_exhausting_memory()
    {
        var x = Tensor<double>.Zeros(3, 0, 1);
        var error = Assert.Throws<NablaArgumentException>(() => x.Chunk(int.MaxValue, 1));
        Assert.Contains("2,147,483,647", error.Message);
        Assert.Equal(1000, x.Chunk(1000, 1).Length);
    }

    [Fact]
    public void Hessian_and_Jacobian_refuse_a_result_past_the_tensor_element_limit_instead_of_overflowing()
    {
        // 46 341² = 2 147 488 281 elements, just past Array.MaxLength (2 147 483 591).
        var x = Tensor<double>.Zeros(46_341);
        var hessian = Assert.Throws<NablaException>(() => TensorFunctional.Hessian(t => (t * t).Sum(), x));
        Assert.Contains("2,147,488,281", hessian.Message);
        var jacobian = Assert.Throws<NablaException>(() => TensorFunctional.Jacobian(t => t * 2.0, x));
        Assert.Contains("2,147,488,281", jacobian.Message);
    }
}
