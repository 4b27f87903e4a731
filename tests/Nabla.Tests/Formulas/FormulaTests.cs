using Nabla.Formulas;

namespace Nabla.Tests.Formulas;

public class FormulaTests
{
    private static double Eval(string text, params (string, double)[] at) =>
        Formula.Parse(text).Evaluate(at.ToDictionary(p => p.Item1, p => p.Item2)).Output.Data;

    [Theory]
    [InlineData("2", 2.0)]
    [InlineData("2.5", 2.5)]
    [InlineData("1e-3", 0.001)]
    [InlineData(".5", 0.5)]
    [InlineData("2.5E+2", 250.0)]
    [InlineData("2^3^2", 512.0)]
    [InlineData("2**3**2", 512.0)]
    [InlineData("-2^2", -4.0)]
    [InlineData("(-2)^2", 4.0)]
    [InlineData("2^-1", 0.5)]
    [InlineData("1 - 2 - 3", -4.0)]
    [InlineData("12 / 3 / 2", 2.0)]
    [InlineData("1 + 2 * 3", 7.0)]
    [InlineData("-3 * -2", 6.0)]
    [InlineData("pow(2, 10)", 1024.0)]
    [InlineData("maximum(2, 3) + minimum(2, 3)", 5.0)]
    [InlineData("a = 2; b = a * a; b + a", 6.0)]
    [InlineData("a = 2\nb = a * 3\nc = b - 1", 5.0)]
    public void Constant_formulas_evaluate_by_the_usual_precedence(string text, double expected) =>
        Assert.Equal(expected, Eval(text), 12);

    [Fact]
    public void Unary_minus_binds_looser_than_power()
    {
        Assert.Equal(-9.0, Eval("-x^2", ("x", 3)));
        Assert.Equal(-9.0, Eval("-x**2", ("x", -3)));
    }

    [Fact]
    public void Constants_pi_and_e_and_greek_names_work()
    {
        Assert.Equal(Math.PI, Eval("pi"), 15);
        Assert.Equal(Math.E, Eval("e"), 15);
        Assert.Equal(1.0 + 2.0 * 3.0, Eval("β0 + ω1*x", ("β0", 1), ("ω1", 2), ("x", 3)));
    }

    [Fact]
    public void Every_unary_op_in_the_table_is_callable_by_name()
    {
        foreach (var op in Nabla.Ops.OpTable.Unary)
            Assert.Equal(op.Apply(0.75), Eval($"{op.Name}(x)", ("x", 0.75)));
    }

    [Fact]
    public void Variables_are_listed_in_order_of_first_use_and_statement_names_are_not_variables()
    {
        var f = Formula.Parse("a = y * x; b = a + z; b * x");
        Assert.Equal(["y", "x", "z"], f.Variables);
        Assert.Null(f.OutputName);
        Assert.Equal("b", Formula.Parse("a = x; b = a").OutputName);
    }

    [Theory]
    [InlineData("sinn(x)", "unknown function 'sinn'", 1, 1)]
    [InlineData("x + * 2", "expected a number, a name or '(', found '*'", 1, 5)]
    [InlineData("(x + 2", "expected ')' to close the '(' at column 1, but the formula ends", 1, 7)]
    [InlineData("x + 2)", "unmatched ')'", 1, 6)]
    [InlineData("x $ 2", "unexpected character '$'", 1, 3)]
    [InlineData("a = 1\na = 2", "'a' is assigned twice", 2, 1)]
    [InlineData("b = a + 1; a = 2", "'a' is assigned after it is used", 1, 12)]
    [InlineData("sin(x, y)", "sin takes 1 argument, not 2", 1, 1)]
    [InlineData("pow(x)", "pow takes 2 arguments, not 1", 1, 1)]
    [InlineData("x + 1; y", "only the last statement may be a bare expression", 1, 1)]
    [InlineData("pi = 3", "'pi' is a built-in name", 1, 1)]
    [InlineData("2x", "a name cannot start with a digit", 1, 1)]
    [InlineData("1e+", "the exponent of this number has no digits", 1, 1)]
    [InlineData("x +", "the formula ends where a value was expected", 1, 4)]
    public void Errors_name_the_problem_the_line_and_the_column(string text, string problem, int line, int column)
    {
        var e = Assert.Throws<FormulaException>(() => Formula.Parse(text));
        Assert.Contains(problem, e.Message);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void Error_message_shows_the_line_with_a_caret_under_the_offending_text()
    {
        var e = Assert.Throws<FormulaException>(() => Formula.Parse("y = x * 2\nz = foo(y) + 1"));
        var lines = e.Message.Split('\n');
        Assert.Equal("unknown function 'foo' (known: " + string.Join(", ", Nabla.Ops.OpTable.Unary.Select(o => o.Name).Concat(["pow", "maximum", "minimum"])) + ") at line 2, column 5", lines[0]);
        Assert.Equal("  z = foo(y) + 1", lines[1]);
        Assert.Equal("      ^^^", lines[2]);
    }

    [Fact]
    public void Ten_thousand_nested_parentheses_give_the_right_answer()
    {
        const int depth = 10_000;
        string text = new string('(', depth) + "x + 1" + new string(')', depth) + " * 2";
        var graph = Formula.Parse(text).Evaluate(new Dictionary<string, double> { ["x"] = 2 });
        Assert.Equal(6.0, graph.Output.Data);
        graph.Output.Backward();
        Assert.Equal(2.0, graph.Variables["x"].Grad);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_a_clear_error_not_a_crash()
    {
        int depth = Parser.MaxDepth + 10;
        string text = new string('(', depth) + "x" + new string(')', depth);
        var e = Assert.Throws<FormulaException>(() => Formula.Parse(text));
        Assert.Contains("nests deeper than", e.Message);
    }

    [Fact]
    public void Missing_values_are_an_error_and_unused_ones_are_reported_but_ignored()
    {
        var f = Formula.Parse("a = x * y; a + 1");
        var missing = Assert.Throws<FormulaException>(() => f.Evaluate(new Dictionary<string, double> { ["x"] = 1 }));
        Assert.Contains("no value given for y", missing.Message);
        var values = new Dictionary<string, double> { ["x"] = 2, ["y"] = 3, ["z"] = 9, ["a"] = 5 };
        Assert.Equal(["'z'", "'a' (computed by the formula)"], f.Unused(values));
        Assert.Equal(7.0, f.Evaluate(values).Output.Data);
    }
}
