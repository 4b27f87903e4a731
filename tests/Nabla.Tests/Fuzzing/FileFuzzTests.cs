using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Nabla.Serialization;
using Nabla.Tests.Reliability;
using Nabla.Training;

namespace Nabla.Tests.Fuzzing;

/// <summary>Safetensors files, model files and checkpoints: every damaged file is refused cleanly or loads consistently.</summary>
[Trait("Category", "Fuzz")]
public class FileFuzzTests
{
    private static readonly string[] DTypes = ["F32", "F64", "F16", "BF16", "I64", "I32", "U8", "BOOL", "F8", "f32", "", "\\ud800"];

    private static readonly string[] Strings =
        ["a", "0.weight", "__metadata__", "é", "\\u00e9", "\\ud800", "\\udc00x", "\\ud83d\\ude00", "\\u0000", "\\\\", "\\\"", "\\x", "nabla.layers"];

    private static readonly Gen<string> Dim = Gen.Frequency(
        (8, Gen.Choose(0, 4).Select(i => i.ToString())),
        (1, Gen.Elements("-1", "2147483648", "99999999999999999999", "1.5", "1e3", "\"2\"", "null", "65536")));

    private static readonly Gen<string> Entry =
        from name in Gen.Elements(Strings)
        from dtype in Gen.Elements(DTypes)
        from shape in Dim.ListOf().Select(d => string.Join(",", d.Take(4)))
        from begin in Gen.Frequency((6, Gen.Choose(0, 64)), (1, Gen.Elements(-1, int.MaxValue)))
        from length in Gen.Choose(0, 32)
        select $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{shape}],\"data_offsets\":[{begin},{begin + length}]}}";

    private static readonly Gen<string> Metadata =
        from pairs in Gen.Elements(Strings).Two().ListOf()
        select $"\"__metadata__\":{{{string.Join(",", pairs.Take(4).Select(p => $"\"{p.Item1}\":\"{p.Item2}\""))}}}";

    /// <summary>A header of random entries, optionally with raw invalid bytes, a wrong length prefix and a random body.</summary>
    /// <summary>Well-formed files: consistent offsets and body, so that acceptance is exercised as well as refusal.</summary>
    private static readonly Gen<byte[]> ConsistentFiles =
        from shapes in Gen.Choose(0, 3).ArrayOf().ArrayOf()
        from dtype in Gen.Elements("F32", "F64", "I64", "U8", "BF16")
        from meta in Gen.Elements(Strings).Two().ListOf()
        select Consistent(shapes.Take(4).Select(s => s.Take(3).ToArray()).ToArray(), dtype, meta.Take(3).ToArray());

    private static byte[] Consistent(int[][] shapes, string dtype, (string, string)[] meta)
    {
        int size = dtype switch { "F64" or "I64" => 8, "F32" => 4, "BF16" => 2, _ => 1 };
        var entries = new List<string>();
        long offset = 0;
        for (int i = 0; i < shapes.Length; i++)
        {
            long bytes = shapes[i].Aggregate(1L, (a, d) => a * d) * size;
            entries.Add($"\"t{i}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shapes[i])}],\"data_offsets\":[{offset},{offset + bytes}]}}");
            offset += bytes;
        }
        var keys = meta.Where(m => m.Item1 != "__metadata__").DistinctBy(m => m.Item1).Select(m => $"\"{m.Item1}\":\"{m.Item2}\"");
        entries.Add($"\"__metadata__\":{{{string.Join(",", keys)}}}");
        return Build([.. entries], (int)offset, damage: 0, at: 0);
    }

    private static Gen<byte[]> SafetensorsFiles => Gen.Frequency((1, ConsistentFiles), (1, RandomFiles));

    private static readonly Gen<byte[]> RandomFiles =
        from entries in Gen.Frequency((4, Entry), (1, Metadata)).ListOf()
        from body in Gen.Choose(0, 64)
        from damage in Gen.Choose(0, 5)
        from at in Gen.Choose(0, 1000)
        select Build(entries.Take(5).ToArray(), body, damage, at);

    private static byte[] Build(string[] entries, int bodyLength, int damage, int at)
    {
        var header = Encoding.UTF8.GetBytes("{" + string.Join(",", entries) + "}");
        if (damage == 1 && header.Length > 2) header[1 + at % (header.Length - 2)] = 0xFF; // invalid UTF-8
        if (damage == 2 && header.Length > 2) header = header[..(at % header.Length)];  // truncated JSON
        var file = new byte[8 + header.Length + bodyLength];
        ulong prefix = damage switch { 3 => (ulong)at * 1_000_000_007UL, 4 => (ulong)header.Length + 1, _ => (ulong)header.Length };
        BinaryPrimitives.WriteUInt64LittleEndian(file, prefix);
        header.CopyTo(file, 8);
        for (int i = 0; i < bodyLength; i++) file[8 + header.Length + i] = (byte)(i * 37 + at);
        return file;
    }

    [Fact]
    public void Safetensors_files_are_refused_cleanly_or_round_trip()
    {
        var stats = Fuzz.Run("safetensors", SafetensorsFiles, 4000, seed: 21, bytes =>
        {
            var file = SafetensorsFile.Parse(bytes, "fuzz.safetensors");
            // An accepted file must describe itself consistently and survive a write and a read unchanged.
            var tensors = file.Names.Select(n => file.Tensors[n]).ToList();
            foreach (var t in tensors)
                if (t.Data.Length != t.Shape.Aggregate(1L, (a, d) => a * d) * t.DType.ElementSize()) return Outcome.WrongResult;
            var again = SafetensorsFile.Parse(SafetensorsFile.Serialize(tensors, file.Metadata), "again");
            bool same = again.Names.Order(StringComparer.Ordinal).SequenceEqual(file.Names.Order(StringComparer.Ordinal))
                && file.Names.All(n => again.Tensors[n].Data.SequenceEqual(file.Tensors[n].Data) && again.Tensors[n].Shape.SequenceEqual(file.Tensors[n].Shape))
                && again.Metadata.Count == file.Metadata.Count && file.Metadata.All(kv => again.Metadata[kv.Key] == kv.Value);
            return same ? Outcome.Valid : Outcome.WrongResult;
        }, bytes => Encoding.UTF8.GetString(bytes.AsSpan(8..)), allocationBudget: 16_000_000);
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly string[] MetaKeys =
        ["nabla.layers", "nabla.classes", "nabla.features", "nabla.loss", "nabla.activation", "nabla.dtype", "nabla.target_mean",
         "nabla.target_std", "standardizer.mean", "standardizer.std", "nabla.kind", "nabla.version"];

    private static readonly string[] MetaValues =
        ["2,3,1", "2,20000,20000,1", "2,99999999999,1", "2,3,2", "", "[]", "[\"0\",\"1\"]", "[\"0\",\"1\",\"2\"]", "[\"x1\",\"x2\"]", "[null]",
         "null", "{}", "[\"\\ud800\"]", "bce", "ce", "hinge", "mse", "relu", "tanh", "float32", "float64", "NaN", "1e400", "0", "-1",
         "0,0", "1,1", "1,0", "model", "checkpoint", "1", "2"];

    private static readonly Gen<(string Key, string? Value)[]> MetadataEdits =
        Gen.Elements(MetaKeys).SelectMany(k => Gen.Frequency((9, Gen.Elements(MetaValues).Select(v => (string?)v)), (1, Gen.Constant<string?>(null)))
            .Select(v => (k, v))).ListOf().Select(l => l.Take(3).ToArray());

    [Fact]
    public void Model_files_with_edited_metadata_or_weights_are_refused_cleanly_or_predict_finite_numbers()
    {
        var gen = from edits in MetadataEdits
                  from poison in Gen.Elements(0.0, 0.0, 0.0, double.NaN, double.PositiveInfinity, 1e300)
                  select (edits, poison);
        var dir = Directory.CreateTempSubdirectory("nabla-fuzz-").FullName;
        try
        {
            int n = 0;
            Fuzz.Run("model files", gen, 400, seed: 22, input =>
            {
                var bytes = Files.Edit(Files.Model, input.edits.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => (string?)g.Last().Value),
                    t => input.poison == 0 || t.Name != "0.bias" ? t
                        : SafeTensor.FromDoubles(t.Name, [.. t.Shape], [.. t.ToDoubleArray().Select((v, i) => i == 0 ? input.poison : v)], t.DType));
                var path = Path.Combine(dir, $"m{n++ % 4}.safetensors");
                File.WriteAllBytes(path, bytes);
                var model = ModelFile.Load(path);
                var p = model.Predictor.Predict([0.5, -0.25, 1, 2], 2);
                bool ok = p.Values.All(double.IsFinite) && (p.Probabilities ?? []).All(v => v >= 0 && v <= 1)
                    && (!model.IsClassifier || p.Values.All(v => v >= 0 && v < model.Classes.Count));
                return ok ? Outcome.Valid : Outcome.WrongResult;
            }, input => string.Join("; ", input.edits.Select(e => $"{e.Key}={e.Value ?? "(removed)"}")) + $"; poison {input.poison}", allocationBudget: 32_000_000);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static readonly string[] HistoryValues =
        ["[{\"epoch\":1,\"loss\":0.5},{\"epoch\":2,\"loss\":0.4}]", "[null,null]", "[{\"epoch\":1,\"loss\":0.5},null]", "[]", "null", "{}",
         "[{\"epoch\":\"\\ud800\",\"loss\":1}]", "[{\"\\ud800\":1}]", "[{\"epoch\":1e400,\"loss\":1},{\"epoch\":2,\"loss\":1}]", "[1,2]",
         "[{\"epoch\":1,\"loss\":\"NaN\"},{\"epoch\":2,\"loss\":\"Infinity\"}]", "[{}, {}]"];

    [Fact]
    public void Damaged_checkpoints_are_refused_cleanly_or_resume_at_a_consistent_epoch()
    {
        var keys = new[] { "nabla.history", "nabla.epoch", "nabla.optimizer_step", "nabla.rng", "nabla.kind" };
        var values = HistoryValues.Concat(["0", "1", "2", "3", "-1", "99999999999", "x", "", "checkpoint", "model"]).ToArray();
        var gen = Gen.Elements(keys).SelectMany(k => Gen.Elements(values).Select(v => (k, v))).ListOf().Select(l => l.Take(3).ToArray());
        var dir = Directory.CreateTempSubdirectory("nabla-fuzz-").FullName;
        try
        {
            Fuzz.Run("checkpoints", gen, 200, seed: 23, edits =>
            {
                var path = Path.Combine(dir, "m.ckpt");
                File.WriteAllBytes(path, Files.Edit(Files.Checkpoint, edits.GroupBy(e => e.k).ToDictionary(g => g.Key, g => (string?)g.Last().v)));
                var trainer = Files.NewTrainer();
                trainer.LoadCheckpoint(path);
                return trainer.History.Count == trainer.CompletedEpochs && trainer.History.All(h => h is not null) ? Outcome.Valid : Outcome.WrongResult;
            }, edits => string.Join("; ", edits.Select(e => $"{e.k}={e.v}")), allocationBudget: 64_000_000);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
