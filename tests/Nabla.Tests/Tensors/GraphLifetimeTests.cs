using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>Backward frees what the graph saved unless asked to retain it, and reports leaf gradients as they become final.</summary>
public class GraphLifetimeTests
{
    [Fact]
    public void A_second_backward_through_a_freed_graph_is_a_clear_error()
    {
        var w = Tensor.FromArray(new double[] { 1, 2 }).RequireGrad();
        var y = (w * w).Sum();
        y.Backward();
        var e = Assert.Throws<NablaException>(() => y.Backward());
        Assert.Contains("second time", e.Message);
        Assert.Contains("retainGraph", e.Message);
        Assert.Equal(new double[] { 2, 4 }, w.Grad!.ToArray());   // unchanged by the refused pass
    }

    [Fact]
    public void RetainGraph_keeps_it_for_another_pass_that_accumulates()
    {
        var w = Tensor.FromArray(new double[] { 1, 2 }).RequireGrad();
        var y = (w * w).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal(new double[] { 4, 8 }, w.Grad!.ToArray());
        Assert.Throws<NablaException>(() => y.Backward());
    }

    [Fact]
    public void A_new_graph_built_on_a_freed_intermediate_is_refused()
    {
        var w = Tensor.FromArray(new double[] { 1, 2 }).RequireGrad();
        var h = w * w;
        h.Sum().Backward();
        Assert.Contains("mul", Assert.Throws<NablaException>(() => (h * 2.0).Sum().Backward()).Message);
    }

    [Fact]
    public void The_upstream_overload_frees_and_retains_the_same_way()
    {
        var w = Tensor.FromArray(new double[] { 1, 2 }).RequireGrad();
        var y = w * 3.0;
        var up = Tensor.FromArray(new double[] { 1, 10 });
        y.Backward(up, retainGraph: true);
        y.Backward(up);
        Assert.Equal(new double[] { 6, 60 }, w.Grad!.ToArray());
        Assert.Throws<NablaException>(() => y.Backward(up));
    }

    [Fact]
    public void OnGradReady_fires_once_per_leaf_with_its_final_gradient_outputs_first()
    {
        // w1 is used twice (two accumulations), so its hook must see the sum; w2 sits nearer the output than w1.
        var w1 = Tensor.FromArray(new double[] { 1, 2 }).RequireGrad();
        var w2 = Tensor.FromArray(new double[] { 3, 4 }).RequireGrad();
        var x = Tensor.FromArray(new double[] { 5, 6 });
        var seen = new List<(string Name, double[] Grad)>();
        w1.OnGradReady = t => seen.Add(("w1", t.Grad!.ToArray()));
        w2.OnGradReady = t => seen.Add(("w2", t.Grad!.ToArray()));
        var h = w1 * x + w1;           // dh/dw1 = x + 1
        var y = (h * w2).Sum();        // dy/dw2 = h, dy/dw1 = w2·(x + 1)
        y.Backward();
        Assert.Equal(["w2", "w1"], seen.Select(s => s.Name));
        Assert.Equal(new double[] { 1 * 5 + 1, 2 * 6 + 2 }, seen[0].Grad);
        Assert.Equal(new double[] { 3 * 6, 4 * 7 }, seen[1].Grad);
        Assert.Equal(w1.Grad!.ToArray(), seen[1].Grad);
    }
}
