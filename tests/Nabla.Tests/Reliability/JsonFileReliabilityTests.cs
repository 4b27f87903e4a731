using System.Text;
using System.Text.Json.Nodes;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Serialization;
using Nabla.Tests.IO;
using Nabla.Tests.Reports;
using Nabla.Tests.Serialization;
using Nabla.Training;

namespace Nabla.Tests.Reliability;

/// <summary>Issue 11, items 3 and 5: invalid UTF-8, lone surrogate escapes and null entries in JSON headers.</summary>
public class JsonFileReliabilityTests
{
    private static readonly byte[] Tensor = SafetensorsBytes.F32(1f);

    private static byte[] Header(string nameBytesOrEscape) =>
        Encoding.UTF8.GetBytes($"{{\"__metadata__\":{{\"note\":\"{nameBytesOrEscape}\"}},\"w\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}}}");

    [Fact]
    public void A_lone_surrogate_escape_in_safetensors_metadata_names_the_file_and_field()
    {
        var file = SafetensorsBytes.File(Header("\\ud800"), Tensor);
        var e = Assert.Throws<NablaException>(() => SafetensorsFile.Parse(file, "bad.safetensors"));
        Assert.StartsWith("bad.safetensors: the safetensors header:", e.Message);
        Assert.Contains("$.__metadata__.note", e.Message);
        Assert.Contains("lone surrogate", e.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_safetensors_tensor_name_names_the_file()
    {
        var header = Encoding.UTF8.GetBytes("{\"w\u0001\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        header[Array.IndexOf(header, (byte)1)] = 0xFF; // a byte that never appears in UTF-8
        var e = Assert.Throws<NablaException>(() => SafetensorsFile.Parse(SafetensorsBytes.File(header, Tensor), "bad.safetensors"));
        Assert.StartsWith("bad.safetensors:", e.Message);
        Assert.Contains("not valid UTF-8", e.Message);
    }

    [Fact]
    public void The_same_header_with_a_valid_escape_loads_so_the_refusals_are_about_the_strings()
    {
        var file = SafetensorsFile.Parse(SafetensorsBytes.File(Header("\\u00e9\\ud83d\\ude00"), Tensor), "ok");
        Assert.Equal("é😀", file.Metadata["note"]);
    }

    [Fact]
    public void A_run_record_with_invalid_utf8_or_a_lone_surrogate_is_refused_with_the_path()
    {
        using var dir = new TempDirectory();
        var json = SyntheticRuns.Classifier().ToJson();
        var path = dir.File("run.json");
        var bytes = Encoding.UTF8.GetBytes(json.Replace("\"data\":\"", "\"data\":\"\u0001"));
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xC0;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<NablaException>(() => RunRecord.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("$.settings.data", e.Message);

        File.WriteAllText(path, json.Replace("\"data\":\"", "\"data\":\"\\udc00"));
        e = Assert.Throws<NablaException>(() => RunRecord.Load(path));
        Assert.Contains("$.settings.data", e.Message);
        Assert.Contains("lone surrogate", e.Message);
    }

    [Theory]
    [InlineData("epochs", 2, "epochs[2]: is null")]
    [InlineData("snapshots", 1, "snapshots[1]: is null")]
    public void A_null_entry_in_a_run_record_list_is_named(string list, int index, string expected)
    {
        var json = JsonNode.Parse(SyntheticRuns.Classifier().ToJson())!;
        json[list]![index] = null;
        var e = Assert.Throws<NablaException>(() => RunRecord.Parse(json.ToJsonString(), "run.json"));
        Assert.Equal($"run.json: {expected}", e.Message);
    }

    [Fact]
    public void A_null_entry_in_a_checkpoint_history_is_refused_on_resume()
    {
        using var dir = new TempDirectory();
        var history = JsonNode.Parse(SafetensorsFile.Parse(Files.Checkpoint, "c").Metadata["nabla.history"])!;
        history[1] = null;
        var path = dir.File("m.ckpt");
        File.WriteAllBytes(path, Files.Edit(Files.Checkpoint, new Dictionary<string, string?> { ["nabla.history"] = history.ToJsonString() }));
        var trainer = Files.NewTrainer();
        var e = Assert.Throws<NablaException>(() => trainer.LoadCheckpoint(path));
        Assert.Equal($"{path}: the metrics history entry for epoch 2 is null", e.Message);
        // The untouched checkpoint resumes, so the refusal is the null's doing.
        File.WriteAllBytes(path, Files.Checkpoint);
        trainer.LoadCheckpoint(path);
        Assert.Equal(2, trainer.CompletedEpochs);
    }
}
