using System.Text.Json;

namespace Nabla.Tests.Cli;

/// <summary><c>nabla grad --hessian</c> and <c>nabla explain --mode forward</c>.</summary>
public class SecondOrderCliTests
{
    private static JsonElement Json(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static Dictionary<string, double> Gradient(string formula, Dictionary<string, double> at) =>
        Json("grad", formula, "--at", string.Join(",", at.Select(p => FormattableString.Invariant($"{p.Key}={p.Value:R}"))), "--json")
            .GetProperty("gradient").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());

    [Theory]
    [InlineData("x*y + sin(x)*exp(y/3) + x^3", "x=0.7,y=-1.2")]
    [InlineData("l = (tanh(w*x + b) - t)^2", "w=0.4,x=1.5,b=-0.2,t=0.3")]
    [InlineData("sigmoid(a)*log(b) + a/b + pow(b, a)", "a=0.8,b=2.5")]
    public void Hessian_matches_central_differences_of_the_gradient(string formula, string at)
    {
        var root = Json("grad", formula, "--at", at, "--hessian", "--json");
        var point = at.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        var hessian = root.GetProperty("hessian");
        var names = root.GetProperty("gradient").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names, hessian.EnumerateObject().Select(p => p.Name));
        const double h = 1e-6;
        foreach (var column in names)
        {
            var plus = new Dictionary<string, double>(point) { [column] = point[column] + h };
            var minus = new Dictionary<string, double>(point) { [column] = point[column] - h };
            var gp = Gradient(formula, plus);
            var gm = Gradient(formula, minus);
            foreach (var row in names)
            {
                double numeric = (gp[row] - gm[row]) / (2 * h);
                double analytic = hessian.GetProperty(row).GetProperty(column).GetDouble();
                Assert.True(Math.Abs(analytic - numeric) <= 1e-5 + 1e-3 * Math.Abs(numeric),
                    $"{formula}: ∂²/∂{row}∂{column} = {analytic:R}, central differences of the gradient {numeric:R}");
            }
        }
    }

    [Fact]
    public void Hessian_of_a_known_function_over_the_wrt_variables_in_their_order()
    {
        // f = x²y + y³z: ∂²f/∂z∂y = 3y², ∂²f/∂y² = 6yz, ∂²f/∂z² = 0.
        var hessian = Json("grad", "x^2*y + y^3*z", "--at", "x=2,y=3,z=5", "--wrt", "z,y", "--hessian", "--json").GetProperty("hessian");
        Assert.Equal(["z", "y"], hessian.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.0, hessian.GetProperty("z").GetProperty("z").GetDouble());
        Assert.Equal(27.0, hessian.GetProperty("z").GetProperty("y").GetDouble(), 12);
        Assert.Equal(27.0, hessian.GetProperty("y").GetProperty("z").GetDouble(), 12);
        Assert.Equal(90.0, hessian.GetProperty("y").GetProperty("y").GetDouble(), 12);
    }

    [Fact]
    public void Hessian_table_is_printed_after_the_gradient()
    {
        var (exit, stdout, _) = CliRunner.Run("grad", "x*y", "--at", "x=2,y=3", "--hessian");
        Assert.Equal(0, exit);
        Assert.Contains("Hessian ∂²f/∂row∂column", stdout);
        Assert.True(stdout.IndexOf("∂f/∂y", StringComparison.Ordinal) < stdout.IndexOf("Hessian", StringComparison.Ordinal));
    }

    [Fact]
    public void A_non_finite_second_derivative_exits_3_naming_the_entry()
    {
        // x^1.5 at 0: the gradient 1.5·√0 = 0 is finite, the second derivative 0.75/√0 is not.
        var (exit, stdout, stderr) = CliRunner.Run("grad", "x^1.5", "--at", "x=0", "--hessian", "--json");
        Assert.Equal(3, exit);
        Assert.Equal("", stdout);
        Assert.Contains("∂²f/∂x∂x", stderr);
        // Without --hessian the same input succeeds.
        Assert.Equal(0, CliRunner.Run("grad", "x^1.5", "--at", "x=0", "--json").Exit);
    }

    [Fact]
    public void Bad_input_with_hessian_still_exits_2()
    {
        var (exit, _, stderr) = CliRunner.Run("grad", "x*", "--at", "x=1", "--hessian");
        Assert.Equal(2, exit);
        Assert.Contains("^", stderr);
    }

    [Theory]
    [InlineData("x*y + sin(x)", "x=2,y=3", "x")]
    [InlineData("a = x*x + sin(x); b = a/x - sqrt(x)", "x=2", "x")]
    [InlineData(null, null, "omega1")]
    [InlineData(null, null, "beta0")]
    public void Forward_mode_tangents_follow_the_chain_rule_and_end_at_the_reverse_gradient(string? formula, string? at, string wrt)
    {
        string[] args = formula is null ? ["explain"] : ["explain", formula, "--at", at!];
        var root = Json([.. args, "--mode", "forward", "--wrt", wrt, "--format", "json"]);
        var forward = root.GetProperty("forwardMode");
        Assert.Equal(wrt, forward.GetProperty("wrt").GetString());
        double reverse = root.GetProperty("gradient").GetProperty(wrt).GetDouble();
        Assert.True(Math.Abs(forward.GetProperty("tangent").GetDouble() - reverse) <= 1e-12 * Math.Max(1, Math.Abs(reverse)),
            $"forward tangent {forward.GetProperty("tangent").GetDouble():R}, reverse gradient {reverse:R}");
        var tangents = new Dictionary<string, double>();
        foreach (var node in forward.GetProperty("nodes").EnumerateArray())
        {
            string name = node.GetProperty("name").GetString()!;
            double tangent = node.GetProperty("tangent").GetDouble();
            var terms = node.GetProperty("terms").EnumerateArray().ToList();
            if (node.GetProperty("expression").GetString() == "")
                Assert.Equal(name == wrt ? 1.0 : 0.0, tangent);
            else
            {
                // Each tangent is Σ local derivative × the input's tangent, with the inputs' tangents from earlier rows.
                double sum = 0;
                foreach (var t in terms)
                {
                    double inputTangent = t.GetProperty("inputTangent").GetDouble();
                    Assert.Equal(tangents[t.GetProperty("input").GetString()!], inputTangent);
                    sum += t.GetProperty("localValue").GetDouble() * inputTangent;
                }
                Assert.True(Math.Abs(sum - tangent) <= 1e-12 * Math.Max(1, Math.Abs(tangent)), $"{name}: Σ terms {sum:R}, tangent {tangent:R}");
            }
            tangents[name] = tangent;
        }
    }

    [Theory]
    [InlineData("markdown", "### Forward mode along x", "| t1 | t1 = x·y | 6.000 | ∂t1/∂x | y·∂x/∂x + x·∂y/∂x = 3.000 × 1.000 + 2.000 × 0.000 | 3.000 |")]
    [InlineData("latex", "\\intertext{Forward mode along $x$", "\\frac{\\partial t_1}{\\partial x} &= y \\cdot \\frac{\\partial x}{\\partial x} + x \\cdot \\frac{\\partial y}{\\partial x} = 3.000 \\times 1.000 + 2.000 \\times 0.000 = 3.000")]
    [InlineData("text", "Forward mode along x", "∂f/∂x = 2.584 (forward mode, one pass along x)")]
    public void Forward_mode_table_is_rendered_in_every_format(string format, string heading, string row)
    {
        var (exit, stdout, stderr) = CliRunner.Run("explain", "x*y + sin(x)", "--at", "x=2,y=3", "--mode", "forward", "--wrt", "x", "--format", format);
        Assert.True(exit == 0, stderr);
        Assert.Contains(heading, stdout);
        Assert.Contains(row, stdout);
    }

    [Theory]
    [InlineData(new[] { "explain", "x*y", "--at", "x=1,y=2", "--mode", "forward" }, "--mode forward follows one variable: name it with --wrt (the formula's variables: x, y)")]
    [InlineData(new[] { "explain", "x*y", "--at", "x=1,y=2", "--mode", "forward", "--wrt", "x,y" }, "--wrt names 2 (x, y)")]
    [InlineData(new[] { "explain", "x*y", "--at", "x=1,y=2", "--mode", "forward", "--wrt", "z" }, "'z' is not a variable of the formula")]
    [InlineData(new[] { "explain", "x*y", "--at", "x=1,y=2", "--mode", "sideways" }, "sideways")]
    public void Forward_mode_refuses_anything_but_one_seed_variable(string[] args, string message)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Forward_mode_with_a_single_variable_needs_no_wrt()
    {
        var root = Json("explain", "sin(x)^2", "--at", "x=0.5", "--mode", "forward", "--format", "json");
        Assert.Equal(2 * Math.Sin(0.5) * Math.Cos(0.5), root.GetProperty("forwardMode").GetProperty("tangent").GetDouble(), 14);
    }
}
