using System.Text.Json;

namespace Nabla.Tests.Cli;

public class GradCommandTests
{
    [Fact]
    public void Json_output_is_one_object_with_the_value_and_every_gradient()
    {
        var (exit, stdout, stderr) = CliRunner.Run("grad", "x*y + sin(x)", "--at", "x=2,y=3", "--json");
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(6 + Math.Sin(2), doc.RootElement.GetProperty("value").GetDouble());
        var g = doc.RootElement.GetProperty("gradient");
        Assert.Equal(3 + Math.Cos(2), g.GetProperty("x").GetDouble());
        Assert.Equal(2.0, g.GetProperty("y").GetDouble());
        Assert.Equal(2, g.EnumerateObject().Count());
    }

    [Fact]
    public void Json_numbers_round_trip_to_the_same_double()
    {
        var (_, stdout, _) = CliRunner.Run("grad", "exp(x) / 3", "--at", "x=0.1", "--json");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Exp(0.1) / 3), BitConverter.DoubleToInt64Bits(doc.RootElement.GetProperty("value").GetDouble()));
    }

    [Fact]
    public void Values_for_names_the_formula_does_not_use_are_ignored_with_a_note()
    {
        var (exit, stdout, stderr) = CliRunner.Run("grad", "x*x", "--at", "x=3,y=5", "--json");
        Assert.Equal(0, exit);
        Assert.Contains("--at gives a value for 'y', which the formula does not use", stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(6.0, doc.RootElement.GetProperty("gradient").GetProperty("x").GetDouble());
    }

    [Fact]
    public void Wrt_limits_the_gradient_to_the_named_variables()
    {
        var (exit, stdout, _) = CliRunner.Run("grad", "a*b*c", "--at", "a=1,b=2,c=3", "--wrt", "c,a", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(["c", "a"], doc.RootElement.GetProperty("gradient").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Table_output_shows_the_value_and_each_partial_derivative()
    {
        var (exit, stdout, _) = CliRunner.Run("grad", "l = (w*x - 1)^2", "--at", "w=2,x=3");
        Assert.Equal(0, exit);
        Assert.Contains("│ l ", stdout);
        Assert.Contains("∂l/∂w", stdout);
        Assert.Contains(" 25 ", stdout);          // (6 - 1)^2
        Assert.Contains(" 30 ", stdout);          // 2·5·3
    }

    [Theory]
    [InlineData(new[] { "grad", "x*y", "--at", "x=1" }, "no value given for y")]
    [InlineData(new[] { "grad", "x*y", "--at", "x=1,y=abc" }, "the value of y, \"abc\", is not a number")]
    [InlineData(new[] { "grad", "foo(x)", "--at", "x=1" }, "unknown function 'foo'")]
    [InlineData(new[] { "grad", "x", "--at", "x=1", "--wrt", "q" }, "'q' is not a variable")]
    [InlineData(new[] { "grad", "x +", "--at", "x=1" }, "column 4")]
    [InlineData(new[] { "grad", "x", "--at", "x" }, "expected name=value")]
    [InlineData(new[] { "grad", "x", "--at", "x=1e400" }, "is not a finite number")]
    [InlineData(new[] { "grad" }, "error:")]
    [InlineData(new[] { "grad", "x", "--nope" }, "error:")]
    public void Bad_input_exits_2_with_a_message_and_no_stack_trace(string[] args, string message)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("y + log(x - 3)", "x=1,y=0", "log of -2 at column 5 is NaN")]
    [InlineData("a = x / y\nb = a + 1", "x=1,y=0", "1 / 0 at line 1, column 5 is infinite")]
    [InlineData("sqrt(x) * 2", "x=0", "the derivative of sqrt of 0 at column 1 with respect to x is infinite")]
    public void Non_finite_results_exit_3_naming_the_first_operation_that_produced_them(string formula, string at, string message)
    {
        var (exit, _, stderr) = CliRunner.Run("grad", formula, "--at", at);
        Assert.Equal(3, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Unseen_formulas_get_values_from_an_independent_evaluator_and_gradients_from_finite_differences()
    {
        var random = new System.Random(12345);
        for (int trial = 0; trial < 60; trial++)
        {
            var expr = RandomFormula.Make(random, depth: 4);
            double[] point = [random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1];
            string at = $"a={point[0]:R},b={point[1]:R},c={point[2]:R}";
            string text = $"{expr.Text} + 0*a + 0*b + 0*c"; // every variable present even if the tree skipped one
            var (exit, stdout, stderr) = CliRunner.Run("grad", text, "--at", at, "--json");
            Assert.True(exit == 0, $"{text} at {at}: exit {exit}, {stderr}");
            using var doc = JsonDocument.Parse(stdout);
            double expected = expr.Eval(point);
            double value = doc.RootElement.GetProperty("value").GetDouble();
            Assert.True(Math.Abs(value - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{text}: value {value:R}, independent {expected:R}");
            string[] names = ["a", "b", "c"];
            for (int v = 0; v < 3; v++)
            {
                const double h = 1e-6;
                var up = (double[])point.Clone(); up[v] += h;
                var down = (double[])point.Clone(); down[v] -= h;
                double numeric = (expr.Eval(up) - expr.Eval(down)) / (2 * h);
                double analytic = doc.RootElement.GetProperty("gradient").GetProperty(names[v]).GetDouble();
                Assert.True(Math.Abs(analytic - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"{text} at {at}: d/d{names[v]} analytic {analytic:R}, central difference {numeric:R}");
            }
        }
    }
}

/// <summary>Random smooth formulas as text together with a direct evaluator written with Math.*.</summary>
internal sealed record RandomFormula(string Text, Func<double[], double> Eval)
{
    public static RandomFormula Make(System.Random r, int depth)
    {
        if (depth == 0 || r.Next(4) == 0)
        {
            if (r.Next(3) == 0)
            {
                double c = Math.Round(r.NextDouble() * 4 - 2, 2);
                return new($"({c.ToString(System.Globalization.CultureInfo.InvariantCulture)})", _ => c);
            }
            int v = r.Next(3);
            return new(new[] { "a", "b", "c" }[v], p => p[v]);
        }
        var x = Make(r, depth - 1);
        var y = Make(r, depth - 1);
        return r.Next(12) switch
        {
            0 => new($"({x.Text} + {y.Text})", p => x.Eval(p) + y.Eval(p)),
            1 => new($"({x.Text} - {y.Text})", p => x.Eval(p) - y.Eval(p)),
            2 => new($"({x.Text} * {y.Text})", p => x.Eval(p) * y.Eval(p)),
            3 => new($"({x.Text} / ({y.Text}^2 + 1))", p => x.Eval(p) / (Math.Pow(y.Eval(p), 2) + 1)),
            4 => new($"sin({x.Text})", p => Math.Sin(x.Eval(p))),
            5 => new($"cos({x.Text})", p => Math.Cos(x.Eval(p))),
            6 => new($"exp(tanh({x.Text}))", p => Math.Exp(Math.Tanh(x.Eval(p)))),
            7 => new($"sigmoid({x.Text})", p => 1 / (1 + Math.Exp(-x.Eval(p)))),
            8 => new($"log({x.Text}^2 + 1)", p => Math.Log(Math.Pow(x.Eval(p), 2) + 1)),
            9 => new($"sqrt({x.Text}^2 + 1)", p => Math.Sqrt(Math.Pow(x.Eval(p), 2) + 1)),
            10 => new($"(-{x.Text}^2)", p => -Math.Pow(x.Eval(p), 2)),
            _ => new($"pow({x.Text}^2 + 1, {y.Text})", p => Math.Pow(Math.Pow(x.Eval(p), 2) + 1, y.Eval(p))),
        };
    }
}
