using FsCheck;
using FsCheck.Fluent;
using Nabla.Formulas;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Fuzzing;

/// <summary>Formulas: token soup must parse or fail cleanly; well-formed formulas must compute what C#'s Math computes.</summary>
[Trait("Category", "Fuzz")]
public class FormulaFuzzTests
{
    private static readonly string[] Tokens =
    [
        "x", "y", "z", "1", "0", "2.5", "1e309", "1e-400", ".5", "3e", "1.2.3", "+", "-", "*", "/", "^", "**", "−", "·", "×",
        "(", ")", "(", ")", ",", "=", ";", "\n", "\r", "\r\n", "\u2028", " ", "\t", "#c", "sin(", "cos(", "tan(", "exp(", "log(",
        "sqrt(", "tanh(", "sigmoid(", "relu(", "abs(", "pow(", "maximum(", "minimum(", "foo(", "pi", "e", "β0", "_a", "a1",
        "$", "\"", "'", "\\", "@", "\0", "\uD800", "😀", "x =", "y =", "sin", "2x",
    ];

    /// <summary>Random token sequences: mostly nonsense, sometimes a formula.</summary>
    private static readonly Gen<string> Soup =
        Gen.Elements(Tokens).ListOf().Select(tokens => string.Concat(tokens));

    /// <summary>A fully parenthesised formula in x and y, with its value computed by Math alongside.</summary>
    private static Gen<(string Text, Func<double, double, double> Value)> Expression(int size)
    {
        var leaf = Gen.OneOf(
            Gen.Constant<(string, Func<double, double, double>)>(("x", (x, y) => x)),
            Gen.Constant<(string, Func<double, double, double>)>(("y", (x, y) => y)),
            Gen.Choose(0, 40).Select(i => ($"{i / 4.0:R}", (Func<double, double, double>)((x, y) => i / 4.0))));
        if (size <= 0) return leaf;
        var sub = Expression(size / 2);
        var binary = Gen.Elements<(string Op, Func<double, double, double> F)>(
                ("+", (a, b) => a + b), ("-", (a, b) => a - b), ("*", (a, b) => a * b), ("/", (a, b) => a / b))
            .SelectMany(op => sub.SelectMany(l => sub.Select(r =>
                ($"({l.Item1} {op.Op} {r.Item1})", (Func<double, double, double>)((x, y) => op.F(l.Item2(x, y), r.Item2(x, y)))))));
        var unary = Gen.Elements<(string Name, Func<double, double> F)>(
                ("sin", Math.Sin), ("exp", Math.Exp), ("tanh", Math.Tanh), ("relu", v => Math.Max(v, 0)), ("-", v => -v), ("abs", Math.Abs))
            .SelectMany(op => sub.Select(a =>
                ($"{op.Name}({a.Item1})", (Func<double, double, double>)((x, y) => op.F(a.Item2(x, y))))));
        var power = Gen.Choose(0, 3).SelectMany(k => sub.Select(a =>
            ($"({a.Item1})^{k}", (Func<double, double, double>)((x, y) => Math.Pow(a.Item2(x, y), k)))));
        return Gen.Frequency((2, leaf), (4, binary), (3, unary), (1, power));
    }

    private static readonly Dictionary<string, double> At = new() { ["x"] = 0.75, ["y"] = -1.25, ["z"] = 2 };

    [Fact]
    public void Token_soup_parses_or_fails_with_a_formula_error()
    {
        var stats = Fuzz.Run("formula soup", Soup, 3000, seed: 11, text =>
        {
            var graph = Formula.Parse(text).Evaluate(At);
            graph.Output.Backward();
            return Outcome.Valid;
        }, text => text);
        Assert.True(stats.CleanErrors > 0 && stats.Valid > 0, stats.ToString());
    }

    [Fact]
    public void Well_formed_formulas_compute_exactly_what_Math_computes()
    {
        var stats = Fuzz.Run("formula values", Gen.Sized(n => Expression(Math.Min(n, 24))), 2000, seed: 12, f =>
        {
            double expected = f.Value(At["x"], At["y"]);
            var graph = Formula.Parse(f.Text).Evaluate(At);
            // Same operations in the same order, so the same double (the sign of a zero aside).
            return graph.Output.Data == expected || (double.IsNaN(expected) && double.IsNaN(graph.Output.Data)) ? Outcome.Valid : Outcome.WrongResult;
        }, f => f.Text);
        Assert.Equal(stats.Tried, stats.Valid);
    }

    [Fact]
    public void The_grad_command_never_reports_an_internal_error()
    {
        Fuzz.Run("grad command", Soup, 150, seed: 13, text =>
        {
            var (exit, _, stderr) = CliRunner.Run("grad", text, "--at", "x=0.75,y=-1.25,z=2");
            if (exit is not (0 or 2 or 3) || stderr.Contains("internal error")) return Outcome.WrongResult;
            return exit == 0 ? Outcome.Valid : Outcome.CleanError;
        }, text => text);
    }

    /// <summary>The inputs that found bugs (issue 11), kept: each must give a clean error or a valid result.</summary>
    [Theory]
    [InlineData("relu(x)^0")]
    [InlineData("x +\r $")]
    [InlineData("x +\u2028 $")]
    [InlineData("(0)^0")]
    [InlineData("pow(relu(x - 5), 0) * 3")]
    public void Regression_inputs_give_a_clean_error_or_a_valid_result(string text)
    {
        var (exit, _, stderr) = CliRunner.Run("grad", text, "--at", "x=-1");
        Assert.True(exit is 0 or 2, $"exit {exit}: {stderr}");
        Assert.DoesNotContain("internal error", stderr);
    }

    [Fact]
    public void A_formula_read_as_a_response_file_with_a_NUL_in_its_name_is_exit_2()
    {
        // Found by the grad-command fuzzer: '@' starts a response file, and a NUL in its name threw ArgumentException (exit 70).
        var (exit, _, stderr) = CliRunner.Run("grad", "@minimum(\r3e\0tan(", "--at", "x=-1");
        Assert.Equal(2, exit);
        Assert.Contains("response file", stderr);
    }
}
