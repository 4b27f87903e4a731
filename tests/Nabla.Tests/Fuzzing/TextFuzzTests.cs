using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Nabla.Data;
using Nabla.Records;
using Nabla.Reports;
using Nabla.Tests.Reports;

namespace Nabla.Tests.Fuzzing;

/// <summary>Run records and CSV files: damaged text is refused cleanly, accepted text reads back consistently.</summary>
[Trait("Category", "Fuzz")]
public class TextFuzzTests
{
    private static readonly string Run = SyntheticRuns.Classifier(snapshots: 2, epochs: 3).ToJson();

    private static readonly string[] Replacements =
        ["null", "0", "-1", "1e400", "2147483648", "\"\"", "\"\\ud800\"", "\"\\udc00\"", "[]", "{}", "[null]", "[[null]]", "\"NaN\"", "true",
         "[1,2,3]", "\"regression\"", "\"classification\"", "3"];

    /// <summary>The synthetic run with a few of its values replaced, removed, or its bytes damaged.</summary>
    private static readonly Gen<(int[] Picks, string[] With, int Damage)> RunEdits =
        from picks in Gen.Frequency((1, Gen.Constant(Array.Empty<int>())), (3, Gen.Choose(0, 10_000).ArrayOf()))
        from with in Gen.Elements(Replacements).ArrayOf()
        from damage in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, Run.Length - 1))) // a damaged byte in one input of four
        select (picks.Take(3).ToArray(), with, damage);

    private static byte[] Apply((int[] Picks, string[] With, int Damage) edit)
    {
        var root = JsonNode.Parse(Run)!;
        for (int k = 0; k < edit.Picks.Length; k++)
        {
            var nodes = All(root).ToList();
            var node = nodes[edit.Picks[k] % nodes.Count];
            if (node.Parent is null) continue;
            // A placeholder now, the raw replacement text later: JsonNode cannot hold a lone surrogate.
            JsonNode? value = k < edit.With.Length ? JsonValue.Create($"@@{k}@@") : null;
            if (node.Parent is JsonObject o) o[node.GetPropertyName()] = value;
            else if (node.Parent is JsonArray a) a[node.GetElementIndex()] = value;
        }
        var text = root.ToJsonString();
        for (int k = 0; k < Math.Min(edit.Picks.Length, edit.With.Length); k++) text = text.Replace($"\"@@{k}@@\"", edit.With[k]);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (edit.Damage >= 0 && edit.Damage < bytes.Length) bytes[edit.Damage] = (byte)(edit.Damage % 2 == 0 ? 0xFF : '"');
        return bytes;
    }

    private static IEnumerable<JsonNode> All(JsonNode node)
    {
        var stack = new Stack<JsonNode>([node]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            if (n is JsonObject o) foreach (var (_, v) in o) { if (v is not null) stack.Push(v); }
            if (n is JsonArray a) foreach (var v in a) { if (v is not null) stack.Push(v); }
        }
    }

    [Fact]
    public void Run_records_are_refused_cleanly_or_save_and_load_back_identically()
    {
        var dir = Directory.CreateTempSubdirectory("nabla-fuzz-").FullName;
        try
        {
            var path = Path.Combine(dir, "run.json");
            var stats = Fuzz.Run("run records", RunEdits, 1500, seed: 31, edit =>
            {
                File.WriteAllBytes(path, Apply(edit));
                var run = RunRecord.Load(path);
                run.Save(path);
                return RunRecord.Load(path).ToJson() == run.ToJson() ? Outcome.Valid : Outcome.WrongResult;
            }, edit => $"picks {string.Join(",", edit.Picks)} with {string.Join(" ", edit.With.Take(3))}, byte {edit.Damage}", allocationBudget: 32_000_000);
            Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static readonly string[] Cells =
        ["1", "-2.5", "0", "1e200", "-1e200", "1e309", "NaN", "inf", "", " ", "abc", "\"3\"", "\"4\n5\"", "\"unterminated", "a\"b", "1,5",
         "\u00a0", "\uFEFF1", "0x10", "1_000", "cat", "dog", "\"\"\"\"", "1e-320"];

    private static readonly Gen<string> CsvText =
        from columns in Gen.Choose(1, 4)
        from rows in Gen.Elements(Cells).ArrayOf().ArrayOf()
        from separator in Gen.Elements("\n", "\r\n", "\r")
        select "a,b,c,d".Substring(0, columns * 2 - 1) + separator
            + string.Concat(rows.Take(8).Select(r => string.Join(",", r.Take(columns + (r.Length % 3 == 0 ? 1 : 0))) + separator));

    [Fact]
    public void Csv_text_is_refused_cleanly_or_loads_finite_values_that_standardise_to_finite_z_scores()
    {
        var stats = Fuzz.Run("csv", CsvText, 3000, seed: 32, text =>
        {
            var table = CsvLoader.LoadTable(new StringReader(text), new CsvOptions(), "fuzz.csv");
            if (table.Values.Length != table.Rows * table.Columns || !table.Values.All(double.IsFinite)) return Outcome.WrongResult;
            var z = Standardizer.Fit(table).Transform(table);
            return z.Values.All(double.IsFinite) ? Outcome.Valid : Outcome.WrongResult;
        }, text => text, allocationBudget: 16_000_000);
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }
}
