using Nabla.Formulas;
using Nabla.Scalars;
using static Nabla.Scalars.Value;
using Nabla.Examples;

namespace Nabla.Tests.Notebooks;

/// <summary>
/// Notebook 004 (udlbook 7.1, backpropagation in a toy model): every number it prints, from the
/// C# operators and from the formula language, and each gradient against finite differences.
/// </summary>
public class ToyModelNotebookTests
{
    public const string Formula = Notebook004.Formula;

    public static IReadOnlyDictionary<string, double> At => Notebook004.At;

    // The values the notebook prints with '%3.3f'.
    private static readonly (string Name, double Printed)[] Forward =
        [("f0", 1.230), ("h1", 0.942), ("f1", 1.623), ("h2", 5.068), ("f2", 7.137), ("h3", 0.657), ("f3", 2.372)];

    private static readonly (string Name, double Printed)[] Backward =
        [("f3", 0.745), ("h3", 2.234), ("f2", -1.683), ("h2", -3.366), ("f1", -17.060), ("h1", 6.824), ("f0", 2.281)];

    private static readonly (string Name, double Printed)[] Parameters =
        [("beta3", 0.745), ("omega3", 0.489), ("beta2", -1.683), ("omega2", -8.530), ("beta1", -17.060), ("omega1", -16.079), ("beta0", 2.281)];

    // '%3.3f' rounds to three decimals: the printed value must be the rounding of ours.
    private static void AssertPrinted(double printed, double actual, string name) =>
        Assert.True(Math.Abs(Math.Round(actual, 3, MidpointRounding.ToEven) - printed) < 1e-9,
            $"{name}: the notebook prints {printed:F3}, we compute {actual:R}");

    private static double Loss(IReadOnlyDictionary<string, double> v)
    {
        double f = v["beta3"] + v["omega3"] * Math.Cos(v["beta2"] + v["omega2"] * Math.Exp(v["beta1"] + v["omega1"] * Math.Sin(v["beta0"] + v["omega0"] * v["x"])));
        return (f - v["y"]) * (f - v["y"]);
    }

    private static double CentralDifference(string name, double h = 1e-6)
    {
        var up = new Dictionary<string, double>(At) { [name] = At[name] + h };
        var down = new Dictionary<string, double>(At) { [name] = At[name] - h };
        return (Loss(up) - Loss(down)) / (2 * h);
    }

    [Fact]
    public void Formula_reproduces_every_forward_backward_and_parameter_number_the_notebook_prints()
    {
        var graph = Nabla.Formulas.Formula.Parse(Formula).Evaluate(At);
        graph.Output.Backward();
        foreach (var (name, printed) in Forward) AssertPrinted(printed, graph.Statements[name].Data, name);
        foreach (var (name, printed) in Backward) AssertPrinted(printed, graph.Statements[name].Grad, "dl/d" + name);
        foreach (var (name, printed) in Parameters) AssertPrinted(printed, graph.Variables[name].Grad, "dl/d" + name);
    }

    [Fact]
    public void Operators_reproduce_the_notebook_and_agree_with_finite_differences()
    {
        var p = At.ToDictionary(kv => kv.Key, kv => new Value(kv.Value, kv.Key));
        Value b0 = p["beta0"], b1 = p["beta1"], b2 = p["beta2"], b3 = p["beta3"];
        Value w0 = p["omega0"], w1 = p["omega1"], w2 = p["omega2"], w3 = p["omega3"], x = p["x"], y = p["y"];
        var f0 = b0 + w0 * x; var h1 = Sin(f0); var f1 = b1 + w1 * h1; var h2 = Exp(f1);
        var f2 = b2 + w2 * h2; var h3 = Cos(f2); var f3 = b3 + w3 * h3;
        var l = Pow(f3 - y, 2);
        l.Backward();
        var nodes = new Dictionary<string, Value> { ["f0"] = f0, ["h1"] = h1, ["f1"] = f1, ["h2"] = h2, ["f2"] = f2, ["h3"] = h3, ["f3"] = f3 };
        foreach (var (name, printed) in Forward) AssertPrinted(printed, nodes[name].Data, name);
        foreach (var (name, printed) in Backward) AssertPrinted(printed, nodes[name].Grad, "dl/d" + name);
        foreach (var (name, printed) in Parameters) AssertPrinted(printed, p[name].Grad, "dl/d" + name);
        Assert.Equal(Loss(At), l.Data, 14);
        foreach (var name in At.Keys)
        {
            double numeric = CentralDifference(name);
            Assert.True(Math.Abs(p[name].Grad - numeric) <= 1e-6 * Math.Abs(numeric) + 1e-9,
                $"dl/d{name}: analytic {p[name].Grad:R}, central difference {numeric:R}");
        }
    }

    [Fact]
    public void Omega0_gradient_matches_the_notebooks_closed_form()
    {
        // dldomega0_func from the notebook, written out by hand.
        double[] b = Notebook004.Betas, w = Notebook004.Omegas;
        double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], x = Notebook004.X, y = Notebook004.Y;
        double closed = -2 * (b3 + w3 * Math.Cos(b2 + w2 * Math.Exp(b1 + w1 * Math.Sin(b0 + w0 * x))) - y)
            * w1 * w2 * w3 * x * Math.Cos(b0 + w0 * x) * Math.Exp(b1 + w1 * Math.Sin(b0 + w0 * x))
            * Math.Sin(b2 + w2 * Math.Exp(b1 + w1 * Math.Sin(b0 + w0 * x)));
        var graph = Nabla.Formulas.Formula.Parse(Formula).Evaluate(At);
        graph.Output.Backward();
        Assert.Equal(closed, graph.Variables["omega0"].Grad, 12);
    }
}
