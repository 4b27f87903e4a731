using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Scalars;
using Nabla.Examples;

namespace Nabla.Tests.Explain;

public class ExplanationTests
{
    private static Explanation Toy() => Explanation.Of(Formula.Parse(Notebook004.Formula).Evaluate(Notebook004.At));

    [Fact]
    public void Toy_model_forward_values_match_the_notebook()
    {
        var forward = Toy().Forward.ToDictionary(f => f.Name);
        foreach (var (name, printed) in NotebookToyModel.Forward)
            Assert.True(NotebookToyModel.PrintsAs(forward[name].Value, printed), $"{name} = {forward[name].Value:R}, notebook prints {printed}");
    }

    [Fact]
    public void Toy_model_backward_gradients_match_the_notebook()
    {
        var backward = Toy().Backward.ToDictionary(b => b.Name);
        foreach (var (name, printed) in NotebookToyModel.Backward)
            Assert.True(NotebookToyModel.PrintsAs(backward[name].Gradient, printed), $"dl/d{name} = {backward[name].Gradient:R}, notebook prints {printed}");
    }

    [Fact]
    public void Toy_model_parameter_gradients_match_the_notebook_and_its_closed_form()
    {
        var gradient = Toy().Gradient;
        foreach (var (name, printed) in NotebookToyModel.Parameters)
            Assert.True(NotebookToyModel.PrintsAs(gradient[name], printed), $"dl/d{name} = {gradient[name]:R}, notebook prints {printed}");
        double byHand = NotebookToyModel.OmegaZeroByHand();
        Assert.True(Math.Abs(gradient["omega0"] - byHand) <= 1e-12 * Math.Abs(byHand), $"dl/domega0 = {gradient["omega0"]:R}, closed form {byHand:R}");
    }

    [Fact]
    public void Toy_model_names_follow_the_notebook_and_the_order_of_evaluation()
    {
        var e = Toy();
        Assert.Equal("l", e.OutputName);
        var named = e.Forward.Where(f => f.IsNamed).Select(f => f.Name);
        Assert.Equal(["f0", "h1", "f1", "h2", "f2", "h3", "f3", "l"], named);
        Assert.Equal("sin(f0)", e.Forward.Single(f => f.Name == "h1").Expression);
        Assert.Equal(["beta0", "omega0", "x", "beta1", "omega1", "beta2", "omega2", "beta3", "omega3", "y"], e.Inputs.Select(i => i.Name));
        // Backward runs in reverse: the output first, each node before the nodes it was computed from.
        var backward = e.Backward.Select(b => b.Name).ToList();
        Assert.Equal("l", backward[0]);
        Assert.True(backward.IndexOf("f3") < backward.IndexOf("h3") && backward.IndexOf("h1") < backward.IndexOf("f0"));
    }

    [Fact]
    public void Local_derivatives_are_written_with_the_names_of_the_nodes()
    {
        var backward = Toy().Backward.ToDictionary(b => b.Name);
        var term = Assert.Single(backward["f0"].Terms);
        Assert.Equal("h1", term.Consumer);
        Assert.Equal("cos(f0)", term.Local);
        Assert.Equal(Math.Cos(1.0 + 0.1 * 2.3), term.LocalValue, 15);
        Assert.Equal("-sin(f2)", Assert.Single(backward["f2"].Terms).Local);
        Assert.Equal("exp(f1)", Assert.Single(backward["f1"].Terms).Local);
    }

    [Fact]
    public void A_node_used_twice_is_summed_over_its_uses()
    {
        // b = a·a + a with a = x + 1: ∂b/∂a = 2a + 1, from three uses (two by the product, one by the sum).
        var e = Explanation.Of(Formula.Parse("a = x + 1; b = a*a + a").Evaluate(new Dictionary<string, double> { ["x"] = 2 }));
        var a = e.Backward.Single(b => b.Name == "a");
        Assert.Equal(3, a.Terms.Count);
        Assert.Equal(2 * 3.0 + 1, a.Gradient);
        Assert.Equal(a.Gradient, a.Terms.Sum(t => t.Product), 12);
        Assert.Contains(" + ", ChainText.Chain("b", a));
        Assert.Equal(7.0, e.Gradient["x"]);
    }

    [Fact]
    public void Any_scalar_node_can_be_explained_with_numbered_intermediates()
    {
        var x = new Value(3, "x");
        var y = x * x * x;
        var e = Explanation.Of(y, "y");
        Assert.Equal(["t1", "y"], e.Forward.Select(f => f.Name));
        Assert.Equal("x·x", e.Forward[0].Expression);
        Assert.Equal("t1·x", e.Forward[1].Expression);
        Assert.Equal(27.0, e.Gradient["x"]); // 3x² at x = 3
    }

    [Fact]
    public void Explaining_twice_does_not_add_the_gradients_twice()
    {
        var x = new Value(2, "x");
        var y = Value.Sin(x) * x;
        Explanation.Of(y);
        var e = Explanation.Of(y);
        Assert.Equal(Math.Cos(2) * 2 + Math.Sin(2), e.Gradient["x"], 14);
    }

    [Fact]
    public void Constants_are_written_as_numbers_and_get_no_rows()
    {
        var e = Explanation.Of(Formula.Parse("y = 2*x - 3").Evaluate(new Dictionary<string, double> { ["x"] = 1 }));
        Assert.Equal(["2·x", "t1 - 3"], e.Forward.Select(f => f.Expression));
        Assert.Equal(["x"], e.Gradient.Keys);
    }

    [Fact]
    public void Labels_that_collide_get_distinct_names()
    {
        var a = new Value(1, "x");
        var b = new Value(2, "x");
        var e = Explanation.Of(a * b, "y");
        Assert.Equal(["x", "x_2"], e.Inputs.Select(i => i.Name));
        Assert.Equal("x·x_2", e.Forward.Single().Expression);
    }

    [Fact]
    public void Wrt_limits_and_orders_the_gradients()
    {
        var graph = Formula.Parse(Notebook004.Formula).Evaluate(Notebook004.At);
        var e = Explanation.Of(graph, ["omega1", "beta0"]);
        Assert.Equal(["omega1", "beta0"], e.Gradients.Select(g => g.Name));
        Assert.Throws<NablaException>(() => Explanation.Of(graph, ["nope"]));
    }
}
