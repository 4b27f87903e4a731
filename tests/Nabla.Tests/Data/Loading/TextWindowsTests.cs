using System.Text;
using System.Text.Json;
using Nabla.Data;
using Nabla.Rng;
using Nabla.Tests.Training;

namespace Nabla.Tests.Data.Loading;

/// <summary>Character-level corpora: the vocabulary against Python's <c>sorted(set(text))</c>, windows, the held-out tail and refusals.</summary>
public sealed class TextWindowsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-text-windows-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ASCII, accents, a newline, a character above U+FFFF (😀, two UTF-16 units) and one between the surrogates and
    // U+FFFF (Ａ, U+FF21): ordering by UTF-16 units instead of code points would put 😀 before Ａ.
    private const string Mixed = "Hello, wörld!\nÀ bientôt 😀 Ａ\tzebra 😀 ßpam";

    [Fact]
    public void The_vocabulary_and_ids_are_those_of_pythons_sorted_set()
    {
        if (!Python.Has("json"))
            Assert.Skip("/usr/bin/python3 is not installed, so the vocabulary was not compared with Python's sorted(set(text)).");
        var path = Path.Combine(_dir, "mixed.txt");
        File.WriteAllText(path, Mixed, new UTF8Encoding(false));
        var expected = JsonSerializer.Deserialize<JsonElement>(Python.Run("-c", """
            import json, sys
            text = open(sys.argv[1], encoding="utf-8").read()
            chars = sorted(set(text))
            stoi = {c: i for i, c in enumerate(chars)}
            print(json.dumps({"chars": chars, "ids": [stoi[c] for c in text]}))
            """, path));

        var corpus = CharCorpus.Load(path);
        var chars = expected.GetProperty("chars").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(chars, Enumerable.Range(0, corpus.Vocabulary.Size).Select(i => corpus.Vocabulary[i]));
        Assert.Equal(expected.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()), corpus.Ids.ToArray());
    }

    [Fact]
    public void Ids_round_trip_and_unknown_characters_are_named()
    {
        var vocabulary = CharVocabulary.Of(Mixed);
        Assert.Equal(Mixed, vocabulary.Decode(vocabulary.Encode(Mixed)));
        Assert.Equal(["a", "b", "c"], Enumerable.Range(0, 3).Select(i => CharVocabulary.Of("cabbage"[..3])[i]));

        var small = CharVocabulary.Of("abc");
        Assert.Equal([2, 0, 1], small.Encode("cab"));
        var unknown = Assert.Throws<NablaException>(() => small.Encode("abdc")).Message;
        Assert.Contains("'d' (U+0064) at character 2", unknown);
        Assert.Contains("U+000A", Assert.Throws<NablaException>(() => small.Encode("a\n")).Message);
        var outside = Assert.Throws<NablaArgumentException>(() => small.Decode([0, 3]));
        Assert.Contains("idsToDecode[1] is 3, outside [0, 3)", outside.Message);
        Assert.Equal("idsToDecode", outside.Parameter);
        Assert.Equal("id", Assert.Throws<NablaArgumentException>(() => small[-1]).Parameter);
        Assert.Contains("lone UTF-16 surrogate", Assert.Throws<NablaException>(() => CharVocabulary.Of("a\uD800b")).Message);
    }

    [Fact]
    public void Targets_are_the_inputs_shifted_by_one()
    {
        const string text = "the quick brown fox jumps over the lazy dog";
        var corpus = CharCorpus.FromText(text);
        var windows = corpus.Training(context: 6);
        Assert.Equal(text.Length - 6, windows.Count);
        var ids = corpus.Ids.ToArray();
        int start = 0;
        foreach (var batch in new DataLoader<float>(windows, 5))
        {
            Assert.Equal([batch.Rows, 6], batch.InputIndices.Shape);
            Assert.Equal([batch.Rows, 6], batch.TargetIndices.Shape);
            for (int b = 0; b < batch.Rows; b++, start++)
                for (int t = 0; t < 6; t++)
                {
                    Assert.Equal(ids[start + t], batch.InputIndices[b, t]);
                    Assert.Equal(ids[start + t + 1], batch.TargetIndices[b, t]);
                }
        }
        Assert.Equal(windows.Count, start);
        Assert.Equal(text[..6], corpus.Vocabulary.Decode(new DataLoader<double>(windows, 1).First().InputIndices.AsReadOnlySpan()));
    }

    [Fact]
    public void The_held_out_tail_is_never_sampled_for_training()
    {
        // 90 characters from {a, b, c} then 10 from {X, Y, Z}: with 10% held out, training sees no X, Y or Z.
        var text = string.Concat(Enumerable.Range(0, 90).Select(i => "abc"[i * i % 3])) + "XYZXYZXYZX";
        var corpus = CharCorpus.FromText(text, validationFraction: 0.1);
        Assert.Equal(90, corpus.TrainingLength); // nanoGPT: int(0.9 * 100)
        Assert.Equal(10, corpus.ValidationLength);
        var heldOut = corpus.Vocabulary.Encode("XYZ");
        var training = corpus.Training(context: 8);
        Assert.Equal(82, training.Count);
        var loader = new DataLoader<float>(training, 7, shuffle: true, random: new RandomState(3));
        int seen = 0;
        for (int epoch = 0; epoch < 3; epoch++)
            foreach (var batch in loader)
            {
                seen += batch.Rows;
                Assert.DoesNotContain(batch.InputIndices.ToArray(), heldOut.Contains);
                Assert.DoesNotContain(batch.TargetIndices.ToArray(), heldOut.Contains);
            }
        Assert.Equal(3 * 82, seen);

        var validation = corpus.Validation(context: 4);
        Assert.Equal(6, validation.Count);
        var all = new DataLoader<double>(validation, 6).Single();
        Assert.All(all.InputIndices.ToArray().Concat(all.TargetIndices.ToArray()), id => Assert.Contains(id, heldOut));
    }

    [Fact]
    public void Empty_binary_and_too_short_texts_are_refused_naming_the_file()
    {
        string Write(string name, byte[] bytes)
        {
            var path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }
        var empty = Write("empty.txt", []);
        Assert.Equal($"{empty}: the file is empty; a character corpus needs text", Assert.Throws<NablaException>(() => CharCorpus.Load(empty)).Message);
        var bom = Write("bom.txt", [0xEF, 0xBB, 0xBF]);
        Assert.Contains($"{bom}: the file is empty", Assert.Throws<NablaException>(() => CharCorpus.Load(bom)).Message);
        var nul = Write("nul.bin", [(byte)'a', (byte)'b', 0, (byte)'c']);
        Assert.Equal($"{nul}: byte 2 is NUL (0x00): a binary file, not UTF-8 text", Assert.Throws<NablaException>(() => CharCorpus.Load(nul)).Message);
        var latin1 = Write("latin1.txt", [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'!']);
        Assert.Equal($"{latin1}: byte 3 (0xE9) starts an invalid UTF-8 sequence: a binary file, not UTF-8 text",
            Assert.Throws<NablaException>(() => CharCorpus.Load(latin1)).Message);
        var missing = Path.Combine(_dir, "missing.txt");
        Assert.Equal($"{missing}: file not found", Assert.Throws<NablaException>(() => CharCorpus.Load(missing)).Message);

        var shortText = Write("short.txt", "hello"u8.ToArray());
        var corpus = CharCorpus.Load(shortText);
        Assert.Equal($"{shortText} (training part): context 5 needs at least 6 characters (a window and the id after it), but there are 5",
            Assert.Throws<NablaException>(() => corpus.Training(5)).Message);
        Assert.Equal(1, corpus.Training(4).Count);
        Assert.Equal("context", Assert.Throws<NablaArgumentException>(() => corpus.Training(0)).Parameter);
        Assert.Contains($"{shortText}: there is no validation part", Assert.Throws<NablaException>(() => corpus.Validation(2)).Message);
        Assert.Equal("validationFraction", Assert.Throws<NablaArgumentException>(() => CharCorpus.Load(shortText, 1.0)).Parameter);
        Assert.Equal("validationFraction", Assert.Throws<NablaArgumentException>(() => CharCorpus.FromText("abc", double.NaN)).Parameter);
        Assert.Equal("<text>: the text is empty; a character corpus needs at least two characters",
            Assert.Throws<NablaException>(() => CharCorpus.FromText("")).Message);
    }
}
