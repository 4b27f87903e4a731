using System.Text.Json.Nodes;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Tests.IO;

namespace Nabla.Tests.Reports;

public class RunRecordTests
{
    [Fact]
    public void Save_then_Load_gives_back_the_same_record_bit_for_bit()
    {
        using var dir = new TempDirectory();
        var run = SyntheticRuns.Classifier();
        run.Save(dir.File("run.json"));
        var back = RunRecord.Load(dir.File("run.json"));
        Assert.Equal(run.ToJson(), back.ToJson());
        Assert.Equal(SyntheticRuns.Weight(2, 1, 0, 2), back.Snapshots[2].Layers[1].Weight[0][2]);
        Assert.Equal(["settings", "task", "classes", "epochs", "snapshots", "points", "final"],
            JsonNode.Parse(File.ReadAllText(dir.File("run.json")))!.AsObject().Select(p => p.Key).Where(k => k is not "format" and not "version"));
    }

    [Fact]
    public void The_file_uses_the_documented_names_and_values()
    {
        var json = JsonNode.Parse(SyntheticRuns.Classifier().ToJson())!;
        Assert.Equal("nabla-run", (string?)json["format"]);
        Assert.Equal(1, (int?)json["version"]);
        Assert.Equal("classification", (string?)json["task"]);
        Assert.Equal(0.01, (double?)json["settings"]!["learningRate"]);
        Assert.NotNull(json["snapshots"]![0]!["layers"]![0]!["weightGrad"]);
        Assert.Equal(300, json["snapshots"]![0]!["grid"]!["values"]!.AsArray().Count);
        Assert.Null(JsonNode.Parse(SyntheticRuns.Regression().ToJson())!["epochs"]![0]!["validationLoss"]);
    }

    [Fact]
    public void Non_finite_losses_are_written_as_strings_and_read_back()
    {
        var run = SyntheticRuns.Regression() with { Final = new FinalMetrics { Loss = double.NaN } };
        Assert.Contains("\"loss\":\"NaN\"", run.ToJson());
        Assert.True(double.IsNaN(RunRecord.Parse(run.ToJson()).Final.Loss));
    }

    [Fact]
    public void Load_names_the_file_when_it_does_not_exist()
    {
        var e = Assert.Throws<NablaException>(() => RunRecord.Load("/no/such/dir/run.json"));
        Assert.StartsWith("/no/such/dir/run.json: no such run file", e.Message);
    }

    [Theory]
    [InlineData("{\"format\": \"nabla-run\", ", "run.json: not valid JSON")]
    [InlineData("[1, 2]", "run.json: not a Nabla run file: the top level is an array")]
    [InlineData("{\"format\": \"safetensors\", \"version\": 1}", "run.json: not a Nabla run file: \"format\" is \"safetensors\"")]
    [InlineData("{\"version\": 1}", "run.json: not a Nabla run file: \"format\" is missing")]
    [InlineData("{\"format\": \"nabla-run\", \"version\": 2}", "run.json: unsupported run file version 2; this Nabla reads version 1")]
    [InlineData("{\"format\": \"nabla-run\", \"version\": 1}", "run.json: not a valid run file: ")]
    public void Malformed_files_are_reported_with_the_file_name_and_the_problem(string text, string expected)
    {
        var e = Assert.Throws<NablaException>(() => RunRecord.Parse(text, "run.json"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void A_missing_required_property_is_named()
    {
        var json = JsonNode.Parse(SyntheticRuns.Classifier().ToJson())!.AsObject();
        json.Remove("settings");
        var e = Assert.Throws<NablaException>(() => RunRecord.Parse(json.ToJsonString(), "run.json"));
        Assert.Contains("settings", e.Message);
    }

    [Fact]
    public void An_unknown_task_is_reported_with_its_place()
    {
        var json = JsonNode.Parse(SyntheticRuns.Classifier().ToJson())!;
        json["task"] = "clustering";
        var e = Assert.Throws<NablaException>(() => RunRecord.Parse(json.ToJsonString(), "run.json"));
        Assert.Contains("$.task", e.Message);
    }

    public static TheoryData<string, Func<JsonNode, JsonNode>, string> Inconsistencies => new()
    {
        { "weight rows", j => Set(j, ["snapshots", 1, "layers", 0], l => l["weight"]!.AsArray().RemoveAt(0)),
            "run.json: snapshots[1].layers[0].weight: has 2 row(s), expected 3 (one per output neuron; shape is [out][in] = [3][2])" },
        { "weight columns", j => Set(j, ["snapshots", 0, "layers", 1, "weight", 0], r => r.AsArray().Add(1.0)),
            "run.json: snapshots[0].layers[1].weight[0]: has 4 value(s), expected 3" },
        { "transposed weights", j => Set(j, ["snapshots", 0, "layers", 1], l => l["weight"] = JsonNode.Parse("[[1],[2],[3]]")),
            "run.json: snapshots[0].layers[1].weight: has 3 row(s), expected 1" },
        { "bias length", j => Set(j, ["snapshots", 2, "layers", 0], l => l["bias"] = JsonNode.Parse("[1, 2]")),
            "run.json: snapshots[2].layers[0].bias: has 2 value(s), expected 3" },
        { "gradient shape", j => Set(j, ["snapshots", 0, "layers", 0], l => l["weightGrad"] = JsonNode.Parse("[[1, 2]]")),
            "run.json: snapshots[0].layers[0].weightGrad: has 1 row(s), expected 3" },
        { "layer count", j => Set(j, ["snapshots", 0, "layers"], l => l.AsArray().RemoveAt(1)),
            "run.json: snapshots[0].layers: has 1 weight layer(s), but settings.layers [2, 3, 1] needs 2" },
        { "grid values", j => Set(j, ["snapshots", 3, "grid", "values"], v => v.AsArray().RemoveAt(0)),
            "run.json: snapshots[3].grid.values: has 299 value(s), expected nx·ny = 20·15 = 300" },
        { "grid bounds", j => Set(j, ["snapshots", 0, "grid"], g => g["xMax"] = -3.0),
            "run.json: snapshots[0].grid: xMin -2 and xMax -3 must be finite with xMin < xMax" },
        { "snapshot order", j => Set(j, ["snapshots", 1], s => s["epoch"] = 1),
            "run.json: snapshots[1].epoch: is 1, not after the previous snapshot's 2" },
        { "epoch order", j => Set(j, ["epochs", 4], e => e["epoch"] = 2),
            "run.json: epochs[4].epoch: is 2, not after the previous entry's 4" },
        { "input names", j => Set(j, ["settings", "inputs"], i => i.AsArray().RemoveAt(1)),
            "run.json: settings.inputs: names 1 input(s), but settings.layers[0] is 2" },
        { "classes", j => Set(j, [], r => r["classes"] = null),
            "run.json: classes: is null, a classification needs at least 2 classes" },
        { "labels", j => Set(j, ["points", "y"], y => y[3] = 2.0),
            "run.json: points.y[3]: is 2, expected a class label 0 … 1" },
        { "point pairs", j => Set(j, ["points", "x", 5], p => p.AsArray().Add(0.0)),
            "run.json: points.x[5]: has 3 value(s), expected 2" },
        { "no snapshots", j => Set(j, [], r => r["snapshots"] = new JsonArray()),
            "run.json: snapshots: is empty, expected at least one snapshot of the parameters" },
    };

    [Theory]
    [MemberData(nameof(Inconsistencies))]
    public void Inconsistent_contents_are_reported_with_their_place(string what, Func<JsonNode, JsonNode> edit, string expected)
    {
        var json = edit(JsonNode.Parse(SyntheticRuns.Classifier().ToJson())!);
        var e = Assert.Throws<NablaException>(() => RunRecord.Parse(json.ToJsonString(), "run.json"));
        Assert.True(e.Message.StartsWith(expected, StringComparison.Ordinal), $"{what}: got \"{e.Message}\", expected it to start with \"{expected}\"");
    }

    [Fact]
    public void A_grid_on_a_run_without_two_inputs_is_refused()
    {
        var run = SyntheticRuns.Regression();
        var bad = run with { Snapshots = [run.Snapshots[0] with { Grid = SyntheticRuns.Grid(3, 3, (x, y) => x) }] };
        var e = Assert.Throws<NablaException>(() => RunRecord.Parse(bad.ToJson(), "run.json"));
        Assert.StartsWith("run.json: snapshots[0].grid: is given, but a grid needs exactly 2 inputs", e.Message);
    }

    [Fact]
    public void Save_refuses_an_inconsistent_record_and_leaves_no_file()
    {
        using var dir = new TempDirectory();
        var run = SyntheticRuns.Regression() with { Classes = 3 };
        var e = Assert.Throws<NablaException>(() => run.Save(dir.File("run.json")));
        Assert.Contains("classes: is 3, expected null for a regression", e.Message);
        Assert.Empty(dir.Entries());
    }

    private static JsonNode Set(JsonNode root, object[] path, Action<JsonNode> edit)
    {
        var node = root;
        foreach (var step in path) node = step is int i ? node[i]! : node[(string)step]!;
        edit(node);
        return root;
    }
}
