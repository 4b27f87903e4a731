using System.Text.Json;
using Nabla.Checking;
using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Examples;

namespace Nabla.Tests.Explain;

public class RendererTests
{
    private static (Explanation Explanation, GradCheckReport Check) Toy()
    {
        var formula = Formula.Parse(Notebook004.Formula);
        var e = Explanation.Of(formula.Evaluate(Notebook004.At));
        var check = GradCheck.Check(v => formula.Evaluate(v).Output.Data, Notebook004.At, e.Gradient);
        return (e, check);
    }

    [Fact]
    public void Json_parses_and_carries_the_notebook_numbers_at_full_precision()
    {
        var (e, check) = Toy();
        using var doc = JsonDocument.Parse(JsonRenderer.Render(e, check));
        var root = doc.RootElement;
        Assert.Equal("l", root.GetProperty("output").GetString());
        Assert.Equal(NotebookToyModel.LossByHand(), root.GetProperty("value").GetDouble());
        var forward = root.GetProperty("forward").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        foreach (var (name, printed) in NotebookToyModel.Forward)
            Assert.True(NotebookToyModel.PrintsAs(forward[name].GetProperty("value").GetDouble(), printed), name);
        Assert.Equal("beta1 + t2", forward["f1"].GetProperty("expression").GetString());
        var backward = root.GetProperty("backward").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        foreach (var (name, printed) in NotebookToyModel.Backward)
            Assert.True(NotebookToyModel.PrintsAs(backward[name].GetProperty("gradient").GetDouble(), printed), name);
        Assert.Equal("∂h1/∂f0 = cos(f0)", backward["f0"].GetProperty("local").GetString());
        var gradient = root.GetProperty("gradient");
        foreach (var (name, printed) in NotebookToyModel.Parameters)
            Assert.True(NotebookToyModel.PrintsAs(gradient.GetProperty(name).GetDouble(), printed), name);
        Assert.Equal(e.Gradient["omega0"], gradient.GetProperty("omega0").GetDouble()); // round-trips exactly
    }

    [Fact]
    public void Json_check_block_has_method_step_and_an_entry_per_variable()
    {
        var (e, check) = Toy();
        using var doc = JsonDocument.Parse(JsonRenderer.Render(e, check));
        var c = doc.RootElement.GetProperty("check");
        Assert.Equal("central", c.GetProperty("method").GetString());
        Assert.Equal(1e-6, c.GetProperty("step").GetDouble());
        Assert.True(c.GetProperty("passed").GetBoolean());
        var entries = c.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(10, entries.Count);
        foreach (var entry in entries)
        {
            double a = entry.GetProperty("analytic").GetDouble(), n = entry.GetProperty("numeric").GetDouble();
            Assert.Equal(Math.Abs(a - n), entry.GetProperty("absError").GetDouble());
            Assert.True(entry.GetProperty("passed").GetBoolean());
        }
    }

    [Fact]
    public void Json_without_a_check_has_no_check_block()
    {
        var (e, _) = Toy();
        using var doc = JsonDocument.Parse(JsonRenderer.Render(e));
        Assert.False(doc.RootElement.TryGetProperty("check", out _));
    }

    [Fact]
    public void Latex_is_one_balanced_align_block_with_greek_names_and_partial_fractions()
    {
        var (e, check) = Toy();
        string latex = LatexRenderer.Render(e, check);
        Assert.StartsWith("\\begin{align*}", latex);
        Assert.EndsWith("\\end{align*}", latex.TrimEnd());
        Assert.Equal(1, Count(latex, "\\begin{align*}"));
        Assert.Equal(1, Count(latex, "\\end{align*}"));
        AssertBalanced(latex);
        Assert.Equal(Count(latex, "\\left("), Count(latex, "\\right)"));
        foreach (var term in new[] { "\\frac{\\partial \\ell}{\\partial f_3}", "\\beta_0", "\\omega_3", "f_3 &=", "h_1 &= \\sin", "\\ell &=" })
            Assert.Contains(term, latex);
        Assert.Contains("\\frac{\\partial \\ell}{\\partial \\omega_0} &= \\frac{\\partial \\ell}{\\partial t_1} \\cdot x = 2.281 \\times 2.300 = 5.246", latex);
        Assert.DoesNotContain("beta0", latex);
        Assert.DoesNotContain("∂", latex);
    }

    [Theory]
    [InlineData("beta0", "\\beta_0")]
    [InlineData("omega3", "\\omega_3")]
    [InlineData("l", "\\ell")]
    [InlineData("f3", "f_3")]
    [InlineData("t12", "t_{12}")]
    [InlineData("x", "x")]
    [InlineData("x_2", "x_2")]
    [InlineData("loss", "\\mathrm{loss}")]
    [InlineData("β1", "\\beta_1")]
    [InlineData("Sigma", "\\Sigma")]
    public void Latex_names_become_symbols(string name, string expected) => Assert.Equal(expected, LatexText.Name(name));

    [Theory]
    [InlineData("2·t5^(2 - 1)", "2 \\cdot t_5^{2 - 1}")]
    [InlineData("-sin(f2)", "-\\sin\\left(f_2\\right)")]
    [InlineData("1/(2·sqrt(x))", "1/(2 \\cdot \\operatorname{sqrt}\\left(x\\right))")]
    [InlineData("x^y·ln(x)", "x^{y} \\cdot \\ln\\left(x\\right)")]
    [InlineData("1E-05", "1 \\times 10^{-5}")]
    public void Latex_math_converts_expression_text(string text, string expected) => Assert.Equal(expected, LatexText.Math(text));

    [Fact]
    public void Markdown_has_three_tables_with_a_consistent_column_count_and_a_summary()
    {
        var (e, check) = Toy();
        string md = MarkdownRenderer.Render(e, check);
        Assert.Contains("### Forward pass", md);
        Assert.Contains("### Backward pass", md);
        Assert.Contains("### Parameter gradients", md);
        Assert.Contains("| f0 | f0 = beta0 + t1 | 1.230 |", md);
        Assert.Contains("all 10 passed", md);
        var blocks = md.Split("\n\n").Select(b => b.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Where(lines => lines.Length > 0 && lines[0].StartsWith('|')).ToList();
        Assert.Equal(3, blocks.Count);
        foreach (var lines in blocks)
        {
            int columns = Cells(lines[0]);
            Assert.All(lines, line => Assert.Equal(columns, Cells(line)));
        }
    }

    [Fact]
    public void Markdown_shows_every_use_of_a_node_used_twice()
    {
        var e = Explanation.Of(Formula.Parse("y = x*x").Evaluate(new Dictionary<string, double> { ["x"] = 3 }));
        string md = MarkdownRenderer.Render(e);
        Assert.Contains("∂y/∂y · ∂y/∂x = 1.000 × 3.000<br>+ ∂y/∂y · ∂y/∂x = 1.000 × 3.000 | 6.000 |", md);
    }

    // Unescaped '|' separators in a Markdown table row.
    private static int Cells(string line) => line.Replace("\\|", "").Count(c => c == '|');

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    private static void AssertBalanced(string latex)
    {
        int depth = 0;
        for (int i = 0; i < latex.Length; i++)
        {
            if (latex[i] == '\\' && i + 1 < latex.Length && latex[i + 1] is '{' or '}' or '\\') { i++; continue; }
            if (latex[i] == '{') depth++;
            if (latex[i] == '}') depth--;
            Assert.True(depth >= 0, $"unbalanced '}}' at {i}");
        }
        Assert.Equal(0, depth);
    }
}
