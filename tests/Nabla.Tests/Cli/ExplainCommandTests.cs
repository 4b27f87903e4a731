using System.Text.Json;
using Nabla.Cli;
using Nabla.Tests.Explain;

namespace Nabla.Tests.Cli;

public class ExplainCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Explain_without_a_formula_prints_the_toy_model_with_every_notebook_number_in_its_row()
    {
        var (exit, text, err) = Run("explain");
        Assert.True(exit == 0, err);
        var sections = Sections(text);
        foreach (var (name, printed) in NotebookToyModel.Forward)
            Assert.Equal(Format(printed), Row(sections["Forward pass"], name)[^1]);
        foreach (var (name, printed) in NotebookToyModel.Backward)
            Assert.Equal(Format(printed), Row(sections["Backward pass"], name)[^1]);
        foreach (var (name, printed) in NotebookToyModel.Parameters)
        {
            var row = Row(sections["Parameter gradients"], name);
            Assert.Equal(Format(printed), row[3]); // value
            Assert.Equal(Format(printed), row[4]); // numeric, by central differences
            Assert.Equal("pass", row[7]);
        }
        Assert.Contains("h1 = sin(f0)", text);
        Assert.Contains("∂h1/∂f0 = cos(f0)", text);
        Assert.Contains("∂l/∂t1 · x = 2.281 × 2.300", Row(sections["Parameter gradients"], "omega0")[2]);
        Assert.Contains("all 10 passed", text);
    }

    [Fact]
    public void A_variable_used_twice_shows_each_use_and_their_sum()
    {
        // y = x·x at 3: ∂y/∂x = x + x = 6, one term per use.
        var (exit, text, err) = Run("explain", "y = x*x", "--at", "x=3");
        Assert.True(exit == 0, err);
        var rows = Sections(text)["Parameter gradients"].Where(l => l.StartsWith('│')).Skip(1).Select(l => l.Split('│').Select(c => c.Trim()).ToArray()).ToList();
        Assert.Equal(2, rows.Count); // one table line per use of x
        Assert.Equal("∂y/∂y · x = 1.000 × 3.000", rows[0][3]);
        Assert.Equal("+ ∂y/∂y · x = 1.000 × 3.000", rows[1][3]);
        Assert.Equal("6.000", rows[0][4]);
    }

    [Fact]
    public void Explain_json_parses_and_reproduces_the_notebook()
    {
        var (exit, json, err) = Run("explain", "--format", "json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var forward = root.GetProperty("forward").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetDouble());
        var backward = root.GetProperty("backward").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("gradient").GetDouble());
        var gradient = root.GetProperty("gradient");
        foreach (var (name, printed) in NotebookToyModel.Forward) Assert.True(NotebookToyModel.PrintsAs(forward[name], printed), name);
        foreach (var (name, printed) in NotebookToyModel.Backward) Assert.True(NotebookToyModel.PrintsAs(backward[name], printed), name);
        foreach (var (name, printed) in NotebookToyModel.Parameters) Assert.True(NotebookToyModel.PrintsAs(gradient.GetProperty(name).GetDouble(), printed), name);
        Assert.Equal(NotebookToyModel.LossByHand(), root.GetProperty("value").GetDouble());
    }

    [Fact]
    public void Check_forward_and_central_report_their_method_and_tolerances()
    {
        var (_, central, _) = Run("explain", "x^3", "--at", "x=1", "--format", "json");
        var (_, forward, _) = Run("explain", "x^3", "--at", "x=1", "--format", "json", "--check", "forward");
        using var c = JsonDocument.Parse(central);
        using var f = JsonDocument.Parse(forward);
        var cc = c.RootElement.GetProperty("check");
        var fc = f.RootElement.GetProperty("check");
        Assert.Equal(("central", 1e-5, 1e-3), (cc.GetProperty("method").GetString(), cc.GetProperty("atol").GetDouble(), cc.GetProperty("rtol").GetDouble()));
        Assert.Equal(("forward", 1e-8, 1e-5), (fc.GetProperty("method").GetString(), fc.GetProperty("atol").GetDouble(), fc.GetProperty("rtol").GetDouble()));
    }

    [Fact]
    public void Check_forward_fails_where_central_passes_and_exits_1()
    {
        // exp(100x) at 0: forward differences are off by about h·f''/2 = 5e-3, past rtol 1e-5 of 100.
        var (centralExit, _, _) = Run("explain", "exp(100*x)", "--at", "x=0");
        var (forwardExit, text, err) = Run("explain", "exp(100*x)", "--at", "x=0", "--check", "forward");
        Assert.Equal(0, centralExit);
        Assert.Equal(1, forwardExit);
        Assert.Contains("1 of 1 failed", text);
        Assert.StartsWith("Gradient check failed: mismatch with respect to x (forward differences, step 1E-06)", err);
    }

    [Fact]
    public void Step_overrides_the_finite_difference_step()
    {
        // x³ at 1, central, h = 1e-3: ((1.001)³ − (0.999)³)/0.002 = 3 + h² = 3.000001.
        var (exit, json, err) = Run("explain", "x^3", "--at", "x=1", "--format", "json", "--step", "1e-3");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(json);
        var check = doc.RootElement.GetProperty("check");
        Assert.Equal(1e-3, check.GetProperty("step").GetDouble());
        Assert.Equal(3.000001, check.GetProperty("entries")[0].GetProperty("numeric").GetDouble(), 9);
    }

    [Fact]
    public void Markdown_and_latex_formats_are_printed()
    {
        var (mdExit, md, _) = Run("explain", "--format", "markdown");
        var (texExit, tex, _) = Run("explain", "--format", "latex");
        Assert.Equal((0, 0), (mdExit, texExit));
        Assert.Contains("| h1 | h1 = sin(f0) | 0.942 |", md);
        Assert.Contains("\\frac{\\partial \\ell}{\\partial f_3} &=", tex);
    }

    [Fact]
    public void A_bad_formula_exits_2_with_a_caret()
    {
        var (exit, _, err) = Run("explain", "x +* 2", "--at", "x=1");
        Assert.Equal(2, exit);
        Assert.Contains("column 4", err);
        Assert.Contains("^", err);
    }

    [Fact]
    public void A_non_finite_value_exits_3_and_says_where()
    {
        var (exit, _, err) = Run("explain", "log(x)", "--at", "x=-1");
        Assert.Equal(3, exit);
        Assert.Contains("log of -1 at column 1 is NaN", err);
    }

    [Theory]
    [InlineData("--step", "0")]
    [InlineData("--step", "abc")]
    [InlineData("--format", "pdf")]
    [InlineData("--check", "backward")]
    [InlineData("--wrt", "gamma")]
    [InlineData("--at", "z=1")]
    public void Bad_options_exit_2(string option, string value)
    {
        var (exit, _, err) = Run("explain", option, value);
        Assert.Equal(2, exit);
        Assert.StartsWith("error:", err);
    }

    [Fact]
    public void At_changes_the_toy_models_values()
    {
        // With omega0 = 0, f0 = beta0 = 1 whatever x is, so ∂l/∂x = 0.
        var (exit, json, err) = Run("explain", "--at", "omega0=0", "--format", "json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(0.0, doc.RootElement.GetProperty("gradient").GetProperty("x").GetDouble());
        Assert.Equal(1.0, doc.RootElement.GetProperty("forward").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "f0").GetProperty("value").GetDouble());
    }

    private static string Format(double v) => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    // The text output split at its section headings.
    private static Dictionary<string, string[]> Sections(string text)
    {
        var result = new Dictionary<string, string[]>();
        string? current = null;
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var heading = new[] { "Forward pass", "Backward pass", "Parameter gradients" }.FirstOrDefault(h => line.StartsWith(h, StringComparison.Ordinal));
            if (heading is not null)
            {
                if (current is not null) result[current] = lines.ToArray();
                current = heading;
                lines.Clear();
                continue;
            }
            lines.Add(line);
        }
        if (current is not null) result[current] = lines.ToArray();
        return result;
    }

    // The trimmed cells of the table row whose first cell is name.
    private static string[] Row(string[] lines, string name) =>
        lines.Select(l => l.Split('│').Select(c => c.Trim()).ToArray())
            .Single(cells => cells.Length > 2 && cells[1] == name)[1..^1];
}
