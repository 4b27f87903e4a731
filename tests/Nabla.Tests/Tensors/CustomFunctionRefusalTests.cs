using Nabla.Functional;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// What a custom function refuses, each with a message naming the function and what was wrong: a saved tensor written
/// in place, a wrong gradient shape or count, forward mode without a Jvp, a Forward that writes its input, a context
/// used outside Forward or read out of range.
/// </summary>
public class CustomFunctionRefusalTests
{
    static Tensor<double> X(int seed = 1, params int[] shape) => CustomFunctionTests.Random<double>(seed, shape.Length == 0 ? [2, 3] : shape);

    [Fact]
    public void Writing_a_saved_input_in_place_after_Apply_refuses_backward_naming_the_function()
    {
        var (a, b) = (X(1, 2, 3).RequireGrad(), X(2, 3, 2));
        var loss = new CustomMatMul<double>().Apply(a, b).Sum();
        b.CopyFrom(Tensor<double>.Zeros(3, 2));   // b is saved: the gradient of a would read the new values
        var e = Assert.Throws<NablaException>(() => loss.Backward());
        Assert.Contains("CustomMatMul", e.Message);
        Assert.Contains("modified in place after CustomMatMul ran", e.Message);
        Assert.Contains("(3, 2)", e.Message);
        Assert.Null(a.Grad);
    }

    [Fact]
    public void Writing_the_saved_output_in_place_refuses_backward_and_forward_mode()
    {
        var x = X().RequireGrad();
        var y = new CustomExp<double>().Apply(x);
        var loss = y.Sum();
        y.AsSpan()[0] = 0;
        Assert.Contains("modified in place after CustomExp ran", Assert.Throws<NablaException>(() => loss.Backward()).Message);
        var e = Assert.Throws<NablaException>(() => TensorFunctional.Jvp(t => { var z = new CustomExp<double>().Apply(t); z.AsSpan()[0] = 0; return z; }, X(), X(2)));
        Assert.Contains("modified in place after CustomExp ran", e.Message);
    }

    [Fact]
    public void A_gradient_of_the_wrong_shape_is_refused_naming_the_function_the_input_and_both_shapes()
    {
        var f = new Adhoc((_, xs) => xs[0] * xs[1], (_, g) => [g, g.Sum(0)]);
        var loss = f.Apply(X(1, 2, 3).RequireGrad(), X(2, 2, 3).RequireGrad()).Sum();
        var e = Assert.Throws<NablaException>(() => loss.Backward());
        Assert.Equal("Adhoc.Backward returned a gradient of shape (3,) for input 1 of shape (2, 3); it must have the input's shape "
            + "(or a shape the input broadcasts to, which is summed down)", e.Message);
    }

    [Fact]
    public void A_wrong_number_of_gradients_is_refused()
    {
        var x = X().RequireGrad();
        var e = Assert.Throws<NablaException>(() => new Adhoc((_, xs) => xs[0] * 2.0, (_, g) => [g, g]).Apply(x).Sum().Backward());
        Assert.Equal("Adhoc.Backward returned 2 gradients for 1 input; return one per input, null for an input that needs none", e.Message);
        e = Assert.Throws<NablaException>(() => new Adhoc((_, xs) => xs[0] * 2.0, (_, _) => null!).Apply(x).Sum().Backward());
        Assert.StartsWith("Adhoc.Backward returned null for 1 input", e.Message);
    }

    [Fact]
    public void A_null_gradient_leaves_the_input_without_one()
    {
        var (a, b) = (X(1).RequireGrad(), X(2).RequireGrad());
        new Adhoc((_, xs) => xs[0] * xs[1], (_, g) => [g * 2.0, null]).Apply(a, b).Sum().Backward();
        Assert.Null(b.Grad);
        Assert.All(a.Grad!.ToArray(), v => Assert.Equal(2.0, v));
    }

    [Fact]
    public void Forward_mode_without_a_Jvp_throws_the_engines_no_tangent_rule_message()
    {
        var f = new ExpWithoutJvp<double>();
        Assert.False(f.HasJvp);
        Assert.True(new CustomExp<double>().HasJvp);
        var e = Assert.Throws<NablaException>(() => TensorFunctional.Hessian(t => f.Apply(t).Sum(), X()));
        Assert.Equal("ExpWithoutJvp has no tangent rule, so forward mode (Jvp, Hessian) cannot go through it", e.Message);
        // Reverse mode works without one.
        var x = X().RequireGrad();
        f.Apply(x).Sum().Backward();
        Assert.Equal(x.Detach().Exp().ToArray(), x.Grad!.ToArray());
    }

    [Fact]
    public void A_Jvp_of_the_wrong_shape_is_refused()
    {
        var f = new Adhoc((_, xs) => xs[0] * 2.0, (_, g) => [g * 2.0], (_, ts) => ts[0]!.Sum(1));
        var e = Assert.Throws<NablaException>(() => TensorFunctional.Jvp(t => f.Apply(t), X(), X(2)));
        Assert.Equal("Adhoc.Jvp returned a tangent of shape (2,) for an output of shape (2, 3); it must have the output's shape (or one that broadcasts to it)", e.Message);
    }

    [Fact]
    public void A_Forward_that_writes_its_input_in_place_is_refused_when_recording()
    {
        var f = new Adhoc((_, xs) => { xs[0].AsSpan()[0] = 1; return xs[0] * 2.0; }, (_, g) => [g * 2.0]);
        var e = Assert.Throws<NablaException>(() => f.Apply(X().RequireGrad()));
        Assert.StartsWith("Adhoc.Forward wrote input 0 (shape (2, 3)) in place", e.Message);
        Assert.Contains("AsReadOnlySpan()", e.Message);
    }

    [Fact]
    public void Forward_returning_null_is_refused()
    {
        var e = Assert.Throws<NablaException>(() => new Adhoc((_, _) => null!, (_, g) => [g]).Apply(X()));
        Assert.Equal("Adhoc.Forward returned null; it must return the output tensor", e.Message);
    }

    [Fact]
    public void Apply_refuses_null_inputs_naming_the_position()
    {
        var f = new CustomExp<double>();
        var e = Assert.Throws<NablaArgumentException>(() => f.Apply(X(), null!));
        Assert.Equal("inputs", e.Parameter);
        Assert.Equal("CustomExp.Apply: input 1 is null", e.Message);
        Assert.Equal("CustomExp.Apply: inputs is null", Assert.Throws<NablaArgumentException>(() => f.Apply(null!)).Message);
    }

    [Fact]
    public void The_context_is_written_only_in_Forward_and_read_in_range()
    {
        Exception? saveLate = null, setLate = null, savedOut = null, needsOut = null, missing = null, wrongType = null;
        var f = new Adhoc((ctx, xs) =>
        {
            ctx.SaveForBackward(xs[0]);
            ctx.Set("axis", 1);
            Assert.Throws<NablaException>(() => ctx.SaveForBackward(xs[0]));
            Assert.Throws<NablaException>(() => ctx.Set("axis", 2));
            return xs[0] * 2.0;
        }, (ctx, g) =>
        {
            Assert.Equal(1, ctx.Get<int>("axis"));
            Assert.Equal(1, ctx.SavedCount);
            Assert.Equal(1, ctx.InputCount);
            saveLate = Record(() => ctx.SaveForBackward(g));
            setLate = Record(() => ctx.Set("k", 0));
            savedOut = Record(() => ctx.Saved(1));
            needsOut = Record(() => ctx.NeedsInputGrad(-1));
            missing = Record(() => ctx.Get<int>("axes"));
            wrongType = Record(() => ctx.Get<double>("axis"));
            return [g * 2.0];
        });
        f.Apply(X().RequireGrad()).Sum().Backward();
        Assert.Equal("Adhoc: SaveForBackward can only be called in Forward; Backward and Jvp read the context Forward wrote", saveLate!.Message);
        Assert.Equal("Adhoc: Set can only be called in Forward; Backward and Jvp read the context Forward wrote", setLate!.Message);
        Assert.Equal("Adhoc: saved tensor 1 is outside [0, 1): Forward saved 1 tensor with SaveForBackward", savedOut!.Message);
        Assert.Equal("Adhoc: NeedsInputGrad(-1) is outside [0, 1): the function was applied to 1 input", needsOut!.Message);
        Assert.Equal("Adhoc: no context value named 'axes' was set in Forward (set: axis)", missing!.Message);
        Assert.Equal("Adhoc: the context value 'axis' holds Int32, not Double", wrongType!.Message);
        Assert.IsType<NablaArgumentException>(savedOut);
        Assert.IsType<NablaArgumentException>(needsOut);
    }

    static Exception Record(Action action) => Assert.ThrowsAny<NablaException>(action);

    [Fact]
    public void A_second_backward_through_a_freed_function_names_it()
    {
        var x = X().RequireGrad();
        var loss = new CustomExp<double>().Apply(x).Sum();
        loss.Backward();
        var e = Assert.Throws<NablaException>(() => loss.Backward());
        Assert.Contains("a second time", e.Message);
        // The rule that refuses is the sum's (the last op); through the function itself with the upstream given:
        var y = new CustomExp<double>().Apply(x);
        y.Backward(Tensor<double>.Ones(2, 3));
        Assert.StartsWith("Backward through CustomExp (output shape (2, 3)) a second time", Assert.Throws<NablaException>(() => y.Backward(Tensor<double>.Ones(2, 3))).Message);
    }
}
