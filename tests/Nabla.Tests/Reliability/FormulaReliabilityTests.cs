using System.Text.Json;
using Nabla.Formulas;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;

namespace Nabla.Tests.Reliability;

/// <summary>Issue 11, items 1 and 8: huge formulas, the power rule at 0⁰, and carets under stray line breaks.</summary>
public class FormulaReliabilityTests
{
    [Fact]
    public void A_twelve_megabyte_response_file_formula_is_refused_with_the_limit_not_a_stack_overflow()
    {
        using var dir = new TempDirectory();
        var rsp = dir.File("f.rsp");
        File.WriteAllText(rsp, "x" + string.Concat(Enumerable.Repeat("+x", 4_000_000)) + "\n");
        var (exit, stdout, stderr) = CliRunner.Run("grad", "@" + rsp, "--at", "x=1");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("8,000,001 characters", stderr);
        Assert.Contains($"limit is {FormulaLimits.MaxLength:N0}", stderr);
        Assert.DoesNotContain("internal error", stderr);
    }

    [Fact]
    public void A_sum_just_under_the_length_limit_builds_without_recursion_and_differentiates_exactly()
    {
        int terms = (FormulaLimits.MaxLength + 1) / 2; // "x" + "+x" × (terms − 1) has 2·terms − 1 characters
        string text = "x" + string.Concat(Enumerable.Repeat("+x", terms - 1));
        Assert.True(text.Length <= FormulaLimits.MaxLength);
        // Run on a thread with a small stack: the graph builder must not need one frame per term.
        double value = 0, grad = 0;
        var thread = new Thread(() =>
        {
            var graph = Formula.Parse(text).Evaluate(new Dictionary<string, double> { ["x"] = 1 });
            graph.Output.Backward();
            (value, grad) = (graph.Output.Data, graph.Variables["x"].Grad);
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(terms, value);
        Assert.Equal(terms, grad);
    }

    [Fact]
    public void Ten_megabytes_of_separators_are_refused_before_they_are_tokenised()
    {
        var e = Assert.Throws<FormulaException>(() => Formula.Parse(new string(';', 10_000_000)));
        Assert.Contains("10,000,000 characters", e.Message);
    }

    [Fact]
    public void More_statements_than_the_limit_is_a_clear_error_at_the_first_one_too_many()
    {
        var text = string.Concat(Enumerable.Range(0, FormulaLimits.MaxStatements + 1).Select(i => $"a{i}=1;"));
        Assert.True(text.Length <= FormulaLimits.MaxLength);
        var e = Assert.Throws<FormulaException>(() => Formula.Parse(text));
        Assert.Contains($"more than {FormulaLimits.MaxStatements:N0} statements", e.Message);
        Assert.Equal(text.IndexOf($"a{FormulaLimits.MaxStatements}=", StringComparison.Ordinal) + 1, e.Column);
    }

    [Fact]
    public void Relu_of_a_negative_number_to_the_power_zero_has_gradient_zero_as_in_pytorch()
    {
        // d/dx relu(x)^0 = 0 everywhere: relu(x)^0 is the constant 1 (PyTorch: torch.relu(x)**0 → grad 0).
        var (exit, stdout, stderr) = CliRunner.Run("grad", "relu(x)^0", "--at", "x=-1", "--json");
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(1.0, doc.RootElement.GetProperty("value").GetDouble());
        Assert.Equal(0.0, doc.RootElement.GetProperty("gradient").GetProperty("x").GetDouble());
    }

    [Fact]
    public void Power_rule_at_zero_base_and_zero_exponent_is_zero_for_both_inputs()
    {
        Assert.Equal(0.0, Nabla.Ops.Pow.DerivativeA(0.0, 0.0, 1.0));
        Assert.Equal(0.0, Nabla.Ops.Pow.DerivativeB(0.0, 0.0, 1.0));
        // Elsewhere the rule is unchanged: d/da a^3 at 2 is 3·2² and d/db 2^b at b = 3 is 8·ln 2.
        Assert.Equal(12.0, Nabla.Ops.Pow.DerivativeA(2.0, 3.0, 8.0));
        Assert.Equal(8 * Math.Log(2), Nabla.Ops.Pow.DerivativeB(2.0, 3.0, 8.0));
    }

    [Theory]
    [InlineData("x +\r $")]
    [InlineData("x +\u2028 $")]
    [InlineData("x\u2029+\u0085 $")]
    public void A_stray_line_break_character_does_not_move_the_caret(string text)
    {
        var e = Assert.Throws<FormulaException>(() => Formula.Parse(text));
        var lines = e.Message.Split('\n');
        Assert.Equal(3, lines.Length);
        int dollar = lines[1].IndexOf('$');
        Assert.True(dollar > 0, lines[1]);
        Assert.Equal(dollar, lines[2].IndexOf('^'));
        Assert.DoesNotContain(lines[1], c => char.IsControl(c) || c is '\u2028' or '\u2029');
    }
}
