using Nabla.Formulas;
using Nabla.Scalars;
using static Nabla.Scalars.Value;

namespace Nabla.Tests.Notebooks;

/// <summary>Notebook 002's single ReLU neuron: x = [1, -2, 3], w = [-3, -1, 2], b = 1.</summary>
public class SingleNeuronNotebookTests
{
    [Fact]
    public void Neuron_gives_z_6_y_6_and_the_chain_rule_gradients()
    {
        var x = new[] { new Value(1.0), new Value(-2.0), new Value(3.0) };
        var w = new[] { new Value(-3.0), new Value(-1.0), new Value(2.0) };
        var b = new Value(1.0);
        var z = x[0] * w[0] + x[1] * w[1] + x[2] * w[2] + b;
        var y = Relu(z);
        Assert.Equal(6.0, z.Data);
        Assert.Equal(6.0, y.Data);
        y.Backward();
        // relu'(6) = 1, so dy/dx_i = w_i, dy/dw_i = x_i, dy/db = 1 (as the notebook derives).
        Assert.Equal([-3.0, -1.0, 2.0], x.Select(v => v.Grad));
        Assert.Equal([1.0, -2.0, 3.0], w.Select(v => v.Grad));
        Assert.Equal(1.0, b.Grad);
    }

    [Fact]
    public void Neuron_as_a_formula_gives_the_same_numbers()
    {
        var graph = Formula.Parse("z = x0*w0 + x1*w1 + x2*w2 + b; y = relu(z)").Evaluate(new Dictionary<string, double>
        {
            ["x0"] = 1, ["x1"] = -2, ["x2"] = 3, ["w0"] = -3, ["w1"] = -1, ["w2"] = 2, ["b"] = 1,
        });
        graph.Output.Backward();
        Assert.Equal(6.0, graph.Statements["z"].Data);
        Assert.Equal(6.0, graph.Output.Data);
        Assert.Equal(-3.0, graph.Variables["x0"].Grad);
        Assert.Equal(3.0, graph.Variables["w2"].Grad);
        Assert.Equal(1.0, graph.Variables["b"].Grad);
    }
}
