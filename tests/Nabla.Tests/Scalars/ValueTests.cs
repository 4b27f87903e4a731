using Nabla.Scalars;
using static Nabla.Scalars.Value;

namespace Nabla.Tests.Scalars;

public class ValueTests
{
    [Fact]
    public void Reused_leaf_accumulates_over_its_uses()
    {
        var x = new Value(3.0);
        var y = x * x; // dy/dx = 2x = 6
        y.Backward();
        Assert.Equal(6.0, x.Grad);
    }

    [Fact]
    public void Reused_intermediate_accumulates_over_its_uses()
    {
        var a = new Value(-4.0);
        var b = a + a;   // 2a
        var c = b + b;   // 4a
        var d = c * b;   // 8a², dd/da = 16a = -64
        d.Backward();
        Assert.Equal(-64.0, a.Grad);
        Assert.Equal(b.Data, c.Grad);                 // ∂d/∂c = b
        Assert.Equal(2 * b.Data + c.Data, b.Grad);    // ∂d/∂b = c + 2b (via c = 2b)
    }

    [Fact]
    public void Backward_twice_without_zeroing_adds_the_gradient_twice()
    {
        var x = new Value(2.0);
        var y = Sin(x) * x;
        y.Backward();
        double once = x.Grad;
        double onceIntermediate = y.Inputs[0].Grad;
        y.Backward();
        Assert.Equal(2 * once, x.Grad, 14);
        Assert.Equal(2 * onceIntermediate, y.Inputs[0].Grad, 14);
        Assert.Equal(2.0, y.Grad);
    }

    [Fact]
    public void ZeroGrad_clears_every_node_not_only_leaves()
    {
        var x = new Value(1.5);
        var h = Tanh(x);
        var y = h * h + x;
        y.Backward();
        Assert.NotEqual(0.0, h.Grad);
        y.ZeroGrad();
        foreach (var node in y.TopologicalOrder()) Assert.Equal(0.0, node.Grad);
    }

    [Fact]
    public void Constants_receive_no_gradient()
    {
        var x = new Value(2.0);
        Value two = 2.0;
        var y = Pow(x, two) * 3.0;
        y.Backward();
        Assert.Equal(12.0, x.Grad);
        Assert.Equal(0.0, two.Grad);
        Assert.True(two.IsConstant);
    }

    [Fact]
    public void A_chain_of_a_million_nodes_back_propagates_without_overflowing_the_stack()
    {
        var x = new Value(0.5);
        Value y = x;
        for (int i = 0; i < 1_000_000; i++) y = y + 1e-6;
        y.Backward();
        Assert.Equal(1.0, x.Grad);
        Assert.Equal(2_000_001, y.TopologicalOrder().Count); // the leaf, a million sums and a million constants
    }

    [Fact]
    public void Topological_order_puts_inputs_before_the_nodes_made_from_them()
    {
        var a = new Value(1.0, "a");
        var b = new Value(2.0, "b");
        var c = a * b;
        var d = Exp(c) + a;
        var order = d.TopologicalOrder();
        Assert.Equal(d, order[^1]);
        var index = order.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        foreach (var node in order)
            foreach (var input in node.Inputs)
                Assert.True(index[input] < index[node]);
    }

    [Fact]
    public void Division_and_power_of_nodes_follow_the_quotient_and_exponential_rules()
    {
        var a = new Value(3.0);
        var b = new Value(2.0);
        (a / b).Backward();
        Assert.Equal(0.5, a.Grad);
        Assert.Equal(-0.75, b.Grad);
        a.ZeroGrad(); b.Grad = 0;
        var p = Pow(a, b);
        p.Backward();
        Assert.Equal(2 * 3.0, a.Grad, 12);
        Assert.Equal(9 * Math.Log(3), b.Grad, 12);
    }
}
