using Nabla.Data;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Training;

public sealed class TextModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly CharVocabulary Letters = CharVocabulary.Of("abcdef\n ");

    [Theory]
    [InlineData("embedding 6, lstm 5 layers=2, linear")]
    [InlineData("embedding 6, gru 5, linear 7, tanh, linear")]
    [InlineData("embedding 6, rnn 4 bias=false, layernorm, dropout 0.1, linear")]
    [InlineData("embedding 6, posembed, gptblock 2, gptblock 3 bias=false dropout=0.1, layernorm, linear tied")]
    public void Recurrent_text_models_map_ids_to_logits_at_every_position(string layers)
    {
        var model = TextModel<double>.Create(layers, Letters, 5, new RandomState(0));
        var logits = model.Forward(IndexTensor.FromArray([0, 1, 2, 3, 4, 5, 6, 7], 2, 4));
        Assert.Equal([2, 4, Letters.Size], logits.Shape);
        // Causal: the logits at position 0 depend on the first id alone (in evaluation mode: no dropout).
        model.Network.Eval();
        var a = model.Forward(IndexTensor.FromArray([0, 1, 2, 3, 4, 5, 6, 7], 2, 4)).ToArray();
        var b = model.Forward(IndexTensor.FromArray([0, 7, 7, 7, 4, 0, 0, 0], 2, 4)).ToArray();
        Assert.Equal(a.AsSpan(0, Letters.Size).ToArray(), b.AsSpan(0, Letters.Size).ToArray());
        Assert.NotEqual(a.AsSpan(Letters.Size, Letters.Size).ToArray(), b.AsSpan(Letters.Size, Letters.Size).ToArray());
    }

    [Fact]
    public void A_tied_head_uses_the_embedding_table_and_adds_only_its_bias()
    {
        var model = TextModel<double>.Create("embedding 4, linear tied bias=true", Letters, 3, new RandomState(1));
        var names = model.Network.NamedParameters().Select(p => p.Key).ToArray();
        Assert.Equal(["0.weight", "1.bias"], names);
        var embedding = (Embedding<double>)model.Network[0];
        // logits = E[id]·Eᵀ (the bias starts at 0), written out here.
        var logits = model.Forward(IndexTensor.FromArray([2], 1, 1)).ToArray();
        var e = embedding.Weight.ToArray();
        for (int v = 0; v < Letters.Size; v++)
        {
            double dot = 0;
            for (int c = 0; c < 4; c++) dot += e[2 * 4 + c] * e[v * 4 + c];
            Assert.Equal(dot, logits[v], 1e-12);
        }
    }

    [Fact]
    public void A_file_whose_description_claims_more_values_than_its_tensors_is_refused_before_building()
    {
        var model = TextModel<float>.Create("embedding 4, linear", Letters, 3, new RandomState(2));
        string path = _dir.File("m.safetensors");
        model.Save(path);
        var file = SafetensorsFile.Load(path);
        var metadata = file.Metadata.ToDictionary();
        metadata["nabla.architecture"] = "embedding 1000000, linear";
        SafetensorsFile.Save(path, file.Names.Select(n => file.Tensors[n]), metadata);
        var e = Assert.Throws<NablaException>(() => TextModel<float>.Load(path));
        Assert.Contains("would hold 8,000,000 values", e.Message);
        Assert.Contains("^", e.Message);
    }

    [Theory]
    [InlineData("[\"a\",\"a\",\"b\"]", "repeats a character or is not in code-point order")]
    [InlineData("[\"b\",\"a\"]", "repeats a character or is not in code-point order")]
    [InlineData("[\"ab\"]", "not a JSON list of single characters")]
    [InlineData("\"abc\"", "not a JSON list of single characters")]
    public void A_bad_vocabulary_in_the_file_is_refused(string vocabulary, string message)
    {
        var model = TextModel<float>.Create("embedding 4, linear", Letters, 3, new RandomState(2));
        string path = _dir.File("m.safetensors");
        model.Save(path);
        var file = SafetensorsFile.Load(path);
        var metadata = file.Metadata.ToDictionary();
        metadata["nabla.vocabulary"] = vocabulary;
        SafetensorsFile.Save(path, file.Names.Select(n => file.Tensors[n]), metadata);
        Assert.Contains(message, Assert.Throws<NablaException>(() => TextModel<float>.Load(path)).Message);
    }

    [Theory]
    [InlineData("embedding 6, lstm 5 layers=2 bias=false, gru 4 layers=2, rnn 3, linear tied=false")]
    [InlineData("embedding 6, posembed, gptblock 2, gptblock 3 bias=false, layernorm, linear tied")]
    public void Save_and_load_give_the_same_logits(string layers)
    {
        var model = TextModel<double>.Create(layers, Letters, 4, new RandomState(3));
        string path = _dir.File("m.safetensors");
        model.Save(path);
        var loaded = TextModel<double>.Load(path);
        model.Network.Eval();
        var ids = IndexTensor.FromArray([1, 0, 7, 3], 1, 4);
        Assert.Equal(model.Forward(ids).ToArray(), loaded.Forward(ids).ToArray());
        Assert.Equal(4, loaded.Context);
    }

    [Fact]
    public void Training_is_reproducible_by_seed_and_refuses_a_corpus_with_other_characters()
    {
        var corpus = CharCorpus.FromText(string.Concat(Enumerable.Repeat("abc def\nfed cba\n", 30)), 0.1);
        TextEpoch Run()
        {
            var rng = new RandomState(4);
            var model = TextModel<double>.Create("embedding 5, gru 6, linear", corpus.Vocabulary, 8, rng);
            var trainer = new TextTrainer<double>(model, corpus, new Nabla.Optim.Adam<double>(model.Network.Parameters(), 0.01), rng, 4, 6);
            trainer.RunEpoch();
            return trainer.RunEpoch();
        }
        var first = Run();
        Assert.Equal(first, Run());
        Assert.NotNull(first.ValidationLoss);

        var narrow = TextModel<double>.Create("embedding 5, linear", CharVocabulary.Of("abc"), 8, new RandomState(0));
        var e = Assert.Throws<NablaArgumentException>(() => new TextTrainer<double>(narrow, corpus, new Nabla.Optim.Adam<double>(narrow.Network.Parameters()), new RandomState(0), 4, 6));
        Assert.Equal("corpus", e.Parameter);
    }
}
