using Nabla.Optim;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Every write through the public API bumps the storage version, and Backward refuses a graph whose saved tensors
/// were overwritten since. Each case below used to give a silently wrong gradient: the expected "right" gradient of
/// y = Σ w·x is x as it was when y was computed, and after the write the rule would have read the new x.
/// </summary>
public class SavedTensorTests
{
    static Tensor<double> X() => Tensor.FromArray(new double[] { -1, 2, -3 });
    static Tensor<double> W() => Tensor.FromArray(new double[] { 1, 1, 1 }).RequireGrad();

    public static TheoryData<string> Writes => new()
    {
        "ReluInPlace", "Fill", "indexer", "AsSpan", "CopyFrom", "SigmoidInPlace", "SubtractScaledInPlace",
        "MatMul into", "in place on a reshaped view", "Detach().Fill", "transposed view CopyFrom",
    };

    /// <summary>Overwrites x (shape (3)) through the named public write path.</summary>
    static void Write(string how, Tensor<double> x)
    {
        switch (how)
        {
            case "ReluInPlace": x.ReluInPlace(); break;
            case "Fill": x.Fill(0); break;
            case "indexer": x[0] = 5; break;
            case "AsSpan": x.AsSpan()[2] = 5; break;
            case "CopyFrom": x.CopyFrom(Tensor.FromArray(new double[] { 4, 5, 6 })); break;
            case "SigmoidInPlace": x.SigmoidInPlace(); break;
            case "SubtractScaledInPlace": x.SubtractScaledInPlace(0.5, Tensor.FromArray(new double[] { 1, 1, 1 })); break;
            case "MatMul into": Tensor<double>.MatMul(Tensor<double>.Ones(1, 2), Tensor<double>.Ones(2, 3), x.Reshape(1, 3)); break;
            case "in place on a reshaped view": x.Reshape(3, 1).ReluInPlace(); break;
            case "Detach().Fill": x.Detach().Fill(7); break;
            case "transposed view CopyFrom": x.Reshape(1, 3).Transpose().CopyFrom(Tensor<double>.Zeros(3, 1)); break;
            default: throw new ArgumentException(how);
        }
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public void Backward_refuses_a_saved_tensor_written_after_the_forward_pass(string how)
    {
        var x = X();
        var w = W();
        var y = (w * x).Sum();
        var before = x.ToArray();
        Write(how, x);
        Assert.NotEqual(before, x.ToArray());   // the rule would have read these new values: a wrong gradient
        var e = Assert.Throws<NablaException>(() => y.Backward());
        Assert.Contains("mul saved", e.Message);
        Assert.Contains("shape (3,)", e.Message);
        Assert.Matches(@"version 0 when saved, [1-9]\d* now", e.Message);
        Assert.Contains("Clone", e.Message);
        Assert.Null(w.Grad);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public void Cloning_before_the_write_keeps_the_gradient_right(string how)
    {
        var x = X();
        var w = W();
        var y = (w * x.Clone()).Sum();
        Write(how, x);
        y.Backward();
        Assert.Equal(new double[] { -1, 2, -3 }, w.Grad!.ToArray());
    }

    [Fact]
    public void Writing_after_backward_is_fine()
    {
        var x = X();
        var w = W();
        (w * x).Sum().Backward();
        x.ReluInPlace();
        Assert.Equal(new double[] { -1, 2, -3 }, w.Grad!.ToArray());
    }

    [Fact]
    public void A_tensor_computed_under_NoGrad_and_then_written_is_refused()
    {
        var w = W();
        Tensor<double> h;
        using (NoGrad.Scope()) h = X() * 1.0;
        var y = (w * h).Sum();
        h.ReluInPlace();
        Assert.Contains("mul saved", Assert.Throws<NablaException>(() => y.Backward()).Message);
    }

    [Fact]
    public void Detach_shares_the_version_so_writing_it_is_refused()
    {
        // The issue's case: w.Detach().Fill(0) after y = (w*w).Sum() used to give w.Grad = 0 instead of 2w.
        var w = Tensor.FromArray(new double[] { 1, 2, 3 }).RequireGrad();
        var y = (w * w).Sum();
        w.Detach().Fill(0);
        var e = Assert.Throws<NablaException>(() => y.Backward());
        Assert.Contains("version 0 when saved, 1 now", e.Message);
    }

    [Fact]
    public void An_optimizer_step_between_forward_and_backward_is_refused()
    {
        var w = W();
        var x = X();
        var opt = new Sgd<double>([w], 0.1);
        (w * x).Sum().Backward();            // gives w a gradient, so Step changes w
        var y = (w * x).Sum();
        opt.Step();
        var e = Assert.Throws<NablaException>(() => y.Backward());
        Assert.Contains("mul saved", e.Message);
    }

    [Fact]
    public void Layers_name_the_op_that_saved_the_tensor()
    {
        var x = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        var w = Tensor.FromArray(new double[,] { { 1, 0 }, { 0, 1 } }).RequireGrad();
        var y = Tensor<double>.Linear(x, w).Sum();
        x[1, 1] = 0;
        Assert.Contains("shape (2, 2) that linear saved", Assert.Throws<NablaException>(() => y.Backward()).Message);
        var z = x.MatMul(w).Sigmoid().Sum();
        x.Fill(1);
        Assert.Contains("matmul saved", Assert.Throws<NablaException>(() => z.Backward()).Message);
    }

    [Fact]
    public void Writes_a_rule_does_not_read_are_not_refused()
    {
        // add, sub, sum and views read no values in backward, so overwriting their inputs changes no gradient.
        var x = X();
        var w = W();
        var y = (w + x - x).Sum();
        x.Fill(100);
        y.Backward();
        Assert.Equal(new double[] { 1, 1, 1 }, w.Grad!.ToArray());
    }

    [Fact]
    public void The_output_a_rule_saved_is_checked_too()
    {
        // exp's rule reads its output y; overwriting y (allowed under NoGrad) must be refused.
        var x = Tensor.FromArray(new double[] { 0, 1 }).RequireGrad();
        var y = x.Exp();
        var loss = y.Sum();
        using (NoGrad.Scope()) y.Detach().Fill(0);
        Assert.Contains("exp saved", Assert.Throws<NablaException>(() => loss.Backward()).Message);
    }

    [Fact]
    public void Writing_the_wrapped_array_is_the_documented_blind_spot()
    {
        // Tensor(T[] data, shape) wraps the caller's array, as torch.from_numpy does: a write to that array is not
        // seen, and the gradient uses the new values. This is what the documentation warns about.
        var raw = new double[] { -1, 2, -3 };
        var x = new Tensor<double>(raw, 3);
        var w = W();
        var y = (w * x).Sum();
        raw[0] = 0; raw[2] = 0;
        y.Backward();
        Assert.Equal(new double[] { 0, 2, 0 }, w.Grad!.ToArray());
    }

    [Fact]
    public void The_in_place_refusal_no_longer_recommends_Detach()
    {
        var leaf = W();
        var e = Assert.Throws<NablaException>(() => leaf.ReluInPlace());
        Assert.DoesNotContain("Detach", e.Message);
        Assert.Contains("NoGrad", e.Message);
        var computed = leaf * 2.0;
        e = Assert.Throws<NablaException>(() => computed.ReluInPlace());
        Assert.DoesNotContain("Detach", e.Message);
        Assert.Contains("mul", e.Message);
        using (NoGrad.Scope()) leaf.ReluInPlace();   // a parameter update: allowed, and versioned
        Assert.Throws<NablaException>(() => { using (NoGrad.Scope()) computed.ReluInPlace(); });
    }

    [Fact]
    public void Reading_through_AsReadOnlySpan_is_not_a_write()
    {
        var x = X();
        var w = W();
        var y = (w * x).Sum();
        Assert.Equal(-1.0, x.AsReadOnlySpan()[0]);
        _ = x.ToArray();
        _ = x[0];
        y.Backward();
        Assert.Equal(new double[] { -1, 2, -3 }, w.Grad!.ToArray());
    }
}
