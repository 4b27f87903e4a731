using System.Numerics;
using Nabla.Checking;
using Nabla.Functional;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Custom functions behave as built-in ops do: their gradients equal those of the op they imitate and central
/// differences, in float32 and float64; one named graph node; NoGrad and inputs that need no gradient; broadcast
/// gradients summed down; forward mode and Hessians through their Jvp.
/// </summary>
public class CustomFunctionTests
{
    internal static Tensor<T> Random<T>(int seed, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var data = new T[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = T.CreateChecked(rng.NextDouble() * 4 - 2);
        return Tensor<T>.FromArray(data, shape);
    }

    static void Close<T>(Tensor<T> expected, Tensor<T> actual, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        var (e, a) = (expected.ToArray(), actual.ToArray());
        for (int i = 0; i < e.Length; i++)
        {
            double x = double.CreateChecked(e[i]), y = double.CreateChecked(a[i]);
            Assert.True(Math.Abs(x - y) <= tolerance * (1 + Math.Abs(x)), $"element {i}: expected {x:R}, got {y:R}");
        }
    }

    /// <summary>∂(Σ w·f(x, b))/∂x and /∂b for the custom f and the built-in g it imitates, on fresh leaves.</summary>
    static void GradientsMatch<T>(Function<T> custom, Func<Tensor<T>[], Tensor<T>> builtIn, double tolerance, params int[][] shapes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T>[] Leaves() => [.. shapes.Select((s, i) => Random<T>(10 + i, s).RequireGrad())];
        var (mine, theirs) = (Leaves(), Leaves());
        var y = custom.Apply(mine);
        var z = builtIn(theirs);
        Close(z, y, tolerance);
        var w = Random<T>(99, [.. z.Shape]);
        (y * w).Sum().Backward();
        (z * w).Sum().Backward();
        for (int i = 0; i < shapes.Length; i++) Close(theirs[i].Grad!, mine[i].Grad!, tolerance);
    }

    [Fact]
    public void Gradients_equal_the_built_in_ops_they_imitate_in_float64()
    {
        GradientsMatch(new CustomExp<double>(), x => x[0].Exp(), 1e-14, [3, 4]);
        GradientsMatch(new CustomMatMul<double>(), x => x[0].MatMul(x[1]), 1e-13, [3, 5], [5, 2]);
        GradientsMatch(new CustomSoftmax<double>(), x => x[0].Softmax(-1), 1e-13, [4, 6]);
    }

    [Fact]
    public void Gradients_equal_the_built_in_ops_they_imitate_in_float32()
    {
        GradientsMatch(new CustomExp<float>(), x => x[0].Exp(), 1e-6, [3, 4]);
        GradientsMatch(new CustomMatMul<float>(), x => x[0].MatMul(x[1]), 1e-5, [3, 5], [5, 2]);
        GradientsMatch(new CustomSoftmax<float>(), x => x[0].Softmax(-1), 1e-5, [4, 6]);
    }

    [Fact]
    public void Gradients_match_central_differences()
    {
        foreach (var (f, inputs) in new (Function<double>, Tensor<double>[])[]
        {
            (new CustomExp<double>(), [Random<double>(1, 2, 3)]),
            (new CustomMatMul<double>(), [Random<double>(2, 3, 4), Random<double>(3, 4, 2)]),
            (new CustomSoftmax<double>(), [Random<double>(4, 3, 5)]),
            (new BroadcastScale<double>(), [Random<double>(5, 3, 4), Random<double>(6, 1, 4)]),
        })
        {
            var report = TensorGradCheck.Check(xs => f.Apply(xs), inputs, f.Name);
            Assert.True(report.Passed, report.Message);
            Assert.True(report.EntriesChecked > 0);
        }
    }

    [Fact]
    public void A_gradient_at_the_broadcast_shape_is_summed_down_to_the_inputs_shape()
    {
        var (a, b) = (Random<double>(1, 3, 4).RequireGrad(), Random<double>(2, 1, 4).RequireGrad());
        new BroadcastScale<double>().Apply(a, b).Sum().Backward();
        // ∂(Σ a·b)/∂b[0, j] = Σᵢ a[i, j]: the column sums of a.
        var expected = a.Detach().Sum(0, keepDims: true);
        Close(expected, b.Grad!, 1e-15);
        Close(Tensor<double>.Ones(3, 1) * b.Detach(), a.Grad!, 0);
    }

    [Fact]
    public void The_output_is_one_node_named_for_the_class_without_its_generic_arity()
    {
        var x = Random<double>(1, 2, 2).RequireGrad();
        var y = new CustomSoftmax<double>().Apply(x);
        Assert.Equal("CustomSoftmax", new CustomSoftmax<float>().Name);
        Assert.Equal("CustomSoftmax", y.OpName);
        Assert.Contains("grad_fn=CustomSoftmax", y.ToString());
        Assert.True(y.RequiresGrad);
        Assert.False(y.IsLeaf);
    }

    [Fact]
    public void Under_NoGrad_or_without_an_input_that_requires_grad_nothing_is_recorded()
    {
        var f = new CustomMatMul<double>();
        var (a, b) = (Random<double>(1, 2, 3).RequireGrad(), Random<double>(2, 3, 2));
        Tensor<double> y;
        using (NoGrad.Scope()) y = f.Apply(a, b);
        Assert.False(y.RequiresGrad);
        Assert.Null(y.OpName);
        Assert.Equal([false, false], f.NeedsSeen!);

        var z = f.Apply(a.Detach(), b);
        Assert.False(z.RequiresGrad);
        Assert.Equal([false, false], f.NeedsSeen!);
        Close(a.Detach().MatMul(b), y, 0);
    }

    [Fact]
    public void Inputs_that_need_no_gradient_are_not_computed_and_get_none()
    {
        var f = new CustomMatMul<double>();
        var (a, b) = (Random<double>(1, 2, 3).RequireGrad(), Random<double>(2, 3, 2));
        f.Apply(a, b).Sum().Backward();
        Assert.Equal([true, false], f.NeedsSeen!);
        Assert.Equal([true, false], f.Computed!);
        Assert.Null(b.Grad);
        // ∂(Σ A·B)/∂A[i, k] = Σⱼ B[k, j]: every row of A's gradient is B's row sums.
        Close(Tensor<double>.Ones(2, 1) * b.Sum(1).Reshape(1, 3), a.Grad!, 1e-15);

        var c = Random<double>(3, 2, 3);
        var d = Random<double>(4, 3, 2).RequireGrad();
        f.Apply(c, d).Sum().Backward();
        Assert.Equal([false, true], f.NeedsSeen!);
        Assert.Equal([false, true], f.Computed!);
        Assert.Null(c.Grad);
        Close(c.Sum(0).Reshape(3, 1) * Tensor<double>.Ones(1, 2), d.Grad!, 1e-15);
    }

    [Fact]
    public void A_function_that_returns_its_input_gives_a_new_node_and_leaves_the_input_a_leaf()
    {
        var identity = new Adhoc((_, xs) => xs[0], (_, g) => [g * 3.0]);
        var x = Random<double>(1, 4).RequireGrad();
        var y = identity.Apply(x);
        Assert.NotSame(x, y);
        Assert.True(x.IsLeaf);
        Assert.Equal("Adhoc", y.OpName);
        y.Sum().Backward();
        Close(Tensor<double>.Full(3.0, 4), x.Grad!, 0);
    }

    [Fact]
    public void Jvp_and_Jacobian_go_through_the_functions_tangent_rule()
    {
        var x = Random<double>(1, 2, 3);
        var v = Random<double>(2, 2, 3);
        var (_, mine) = TensorFunctional.Jvp(t => new CustomSoftmax<double>().Apply(t), x, v);
        var (_, theirs) = TensorFunctional.Jvp(t => t.Softmax(-1), x, v);
        Close(theirs, mine, 1e-14);
        Close(TensorFunctional.Jacobian(t => t.Softmax(-1), x, JacobianMode.Forward),
            TensorFunctional.Jacobian(t => new CustomSoftmax<double>().Apply(t), x, JacobianMode.Forward), 1e-14);
    }

    static void HessiansMatch<T>(double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Random<T>(1, 2, 3);
        var w = Random<T>(2, 2, 3);
        var m = Random<T>(3, 3, 4);
        var softmax = new CustomSoftmax<T>();
        Close(TensorFunctional.Hessian(t => (t.Softmax(-1) * w).Sum(), x),
            TensorFunctional.Hessian(t => (softmax.Apply(t) * w).Sum(), x), tolerance);
        var exp = new CustomExp<T>();
        Close(TensorFunctional.Hessian(t => (t.Exp() * t.Sin()).Sum(), x),
            TensorFunctional.Hessian(t => (exp.Apply(t) * t.Sin()).Sum(), x), tolerance);
        // Through a two-input function whose second input is a constant (its tangent is null).
        var mm = new CustomMatMul<T>();
        Close(TensorFunctional.Hessian(t => { var y = t.MatMul(m); return (y * y * y).Sum(); }, x),
            TensorFunctional.Hessian(t => { var y = mm.Apply(t, m); return (y * y * y).Sum(); }, x), tolerance);
    }

    [Fact]
    public void Hessians_through_a_Jvp_equal_the_built_in_equivalents_in_float64() => HessiansMatch<double>(1e-12);

    [Fact]
    public void Hessians_through_a_Jvp_equal_the_built_in_equivalents_in_float32() => HessiansMatch<float>(2e-5);

    [Fact]
    public void The_Hessian_of_a_custom_softmax_is_the_closed_form()
    {
        // f(x) = Σ w·softmax(x) over one row: ∂²f/∂xᵢ∂xⱼ = pᵢ(δᵢⱼ − pⱼ)(wᵢ − w̄) − pᵢpⱼ(wⱼ − w̄), with w̄ = Σ p·w.
        var x = Random<double>(1, 4);
        var w = Random<double>(2, 4);
        var h = TensorFunctional.Hessian(t => (new CustomSoftmax<double>().Apply(t) * w).Sum(), x);
        var p = x.Softmax(-1).ToArray();
        var ws = w.ToArray();
        double mean = p.Zip(ws, (a, b) => a * b).Sum();
        var expected = new double[16];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                expected[i * 4 + j] = p[i] * ((i == j ? 1 : 0) - p[j]) * (ws[i] - mean) - p[i] * p[j] * (ws[j] - mean);
        Close(Tensor<double>.FromArray(expected, 4, 4), h, 1e-13);
    }
}
