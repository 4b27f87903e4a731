using Nabla.Checking;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class AutogradTests
{
    [Fact]
    public void Reusing_a_tensor_accumulates_both_paths()
    {
        var x = Tensor.FromArray(new double[] { 3, -2 }).RequireGrad();
        (x * x).Sum().Backward();
        Assert.Equal(new double[] { 6, -4 }, x.Grad!.ToArray());
    }

    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_zero_grad()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).RequireGrad();
        (x * 3.0).Sum().Backward();
        (x * 3.0).Sum().Backward();
        Assert.Equal(new double[] { 6, 6 }, x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Equal(new double[] { 0, 0 }, x.Grad!.ToArray());
        (x * 3.0).Sum().Backward();
        Assert.Equal(new double[] { 3, 3 }, x.Grad!.ToArray());
    }

    [Fact]
    public void Broadcast_inputs_receive_gradients_summed_to_their_own_shape()
    {
        var a = Tensor<double>.Ones(2, 3).RequireGrad();
        var b = Tensor.FromArray(new double[] { 1, 2, 3 }).RequireGrad();
        var c = Tensor<double>.Scalar(2).RequireGrad();
        (a * b * c).Sum().Backward();
        Assert.Equal(new double[] { 2, 4, 6, 2, 4, 6 }, a.Grad!.ToArray());
        Assert.Equal(new double[] { 4, 4, 4 }, b.Grad!.ToArray());
        Assert.Equal(12, c.Grad!.ToScalar());
    }

    [Fact]
    public void No_grad_scope_records_nothing_and_restores_on_exceptions()
    {
        var x = Tensor<double>.Ones(2).RequireGrad();
        using (NoGrad.Scope())
        {
            Assert.False((x * 2.0).RequiresGrad);
            using (NoGrad.Scope()) { }
            Assert.True(NoGrad.IsActive);
        }
        Assert.False(NoGrad.IsActive);
        Assert.Throws<InvalidOperationException>(void () =>
        {
            using (NoGrad.Scope()) throw new InvalidOperationException();
        });
        Assert.False(NoGrad.IsActive);
        Assert.True((x * 2.0).RequiresGrad);
    }

    [Fact]
    public void No_grad_is_per_thread()
    {
        bool other = true;
        using (NoGrad.Scope())
        {
            var thread = new Thread(() => other = NoGrad.IsActive);
            thread.Start();
            thread.Join();
        }
        Assert.False(other);
    }

    [Fact]
    public void Detach_stops_gradients_but_shares_storage()
    {
        var x = Tensor.FromArray(new double[] { 2 }).RequireGrad();
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        (x * d).Sum().Backward();
        Assert.Equal(2, x.Grad!.ToScalar());
        d[0] = 5;
        Assert.Equal(5, x[0]);
    }

    [Fact]
    public void A_chain_of_100000_ops_backpropagates_without_stack_overflow()
    {
        var x = Tensor<double>.Scalar(1).RequireGrad();
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y + 1.0;
        y.Backward();
        Assert.Equal(100_001, y.ToScalar());
        Assert.Equal(1, x.Grad!.ToScalar());
    }

    [Fact]
    public void Backward_needs_a_one_element_output_or_an_upstream_gradient()
    {
        var x = Tensor<double>.Ones(2, 2).RequireGrad();
        var y = x * 2.0;
        var e = Assert.Throws<NablaException>(() => y.Backward());
        Assert.Contains("(2, 2)", e.Message);
        y.Backward(Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }));
        Assert.Equal(new double[] { 2, 4, 6, 8 }, x.Grad!.ToArray());
        Assert.Throws<NablaException>(() => Tensor<double>.Ones(1).Backward());
    }

    [Fact]
    public void Intermediate_gradients_are_released_unless_retained()
    {
        var x = Tensor.FromArray(new double[] { 1, 2 }).RequireGrad();
        var h = (x * 2.0).RetainGrad();
        var g = h * 3.0;
        g.Sum().Backward();
        Assert.Equal(new double[] { 3, 3 }, h.Grad!.ToArray());
        Assert.Null(g.Grad);
        Assert.Equal(new double[] { 6, 6 }, x.Grad!.ToArray());
    }

    [Fact]
    public void Softmax_cross_entropy_gradient_is_probabilities_minus_one_hot()
    {
        var logits = Tensor.FromArray(new double[,] { { 1, 2, 3 }, { 0, 0, 5 } }).RequireGrad();
        var onehot = Tensor.FromArray(new double[,] { { 0, 0, 1 }, { 1, 0, 0 } });
        (-(logits.LogSoftmax(1) * onehot).Sum()).Backward();
        for (int n = 0; n < 2; n++)
        {
            double z = 0;
            for (int j = 0; j < 3; j++) z += Math.Exp(logits[n, j]);
            for (int j = 0; j < 3; j++)
                Assert.Equal(Math.Exp(logits[n, j]) / z - onehot[n, j], logits.Grad![n, j], 12);
        }
    }

    [Fact]
    public void Grad_check_reports_a_wrong_derivative_with_both_values_and_the_tolerance()
    {
        // x·detach(x) has true derivative 2x, but the analytic pass only sees the first factor: x.
        var x = Tensor.FromArray(new double[] { 1.5, -0.25 });
        var report = TensorGradCheck.Check(v => v[0] * v[0].Detach(), [x], "square via detach");
        Assert.False(report.Passed);
        Assert.Equal(2, report.Mismatches.Count);
        Assert.Equal(1.5, report.Mismatches[0].Analytical, 12);
        Assert.Equal(3, report.Mismatches[0].Numerical, 6);
        Assert.Contains("square via detach", report.Message);
        Assert.Contains("output 0 at (0) with respect to input 0 at (0)", report.Message);
        Assert.Contains("analytical 1.5, numerical", report.Message);
        Assert.Contains("atol + rtol·|n|", report.Message);
        Assert.Contains("eps = 1E-06", report.Message);
        Assert.Throws<NablaException>(report.ThrowIfFailed);
    }

    [Fact]
    public void Grad_check_passes_a_correct_function_and_counts_entries()
    {
        var a = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var b = Tensor.FromArray(new double[] { 0.5, -1 });
        var report = TensorGradCheck.Check(v => (v[0] * v[1]).Tanh(), [a, b]);
        Assert.True(report.Passed, report.Message);
        Assert.Equal(4 * 4 + 4 * 2, report.EntriesChecked);
    }
}
