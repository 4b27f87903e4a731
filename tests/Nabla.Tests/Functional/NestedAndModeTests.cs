using Nabla.Functional;
using Nabla.Tensors;

namespace Nabla.Tests.Functional;

/// <summary>
/// Nested derivatives on tensors (no perturbation confusion), the Jacobian's choice of mode, and the errors and
/// guarantees of the transforms (shapes, NoGrad scopes, an op without a tangent rule, other leaves' gradients).
/// </summary>
public class NestedAndModeTests
{
    private static Tensor<double> V(params double[] values) => Tensor<double>.FromArray(values);

    [Fact]
    public void Nested_jvp_does_not_confuse_perturbations()
    {
        // d/dx (x · d/dy (x + y)) = 1 per element: the inner derivative must not see x's perturbation (that would give 2).
        var x = V(0.5, -1.5, 2.0);
        var ones = Tensor<double>.Ones(3);
        Tensor<double> F(Tensor<double> xv) => xv * TensorFunctional.Jvp(y => xv + y, V(3.0, 4.0, 5.0), ones).Tangent;
        Assert.Equal([1.0, 1.0, 1.0], TensorFunctional.Jvp(F, x, ones).Tangent.ToArray());

        // d/dx (x · d/dy (x · y)) = d/dx (x · x) = 2x: here the inner derivative does depend on x, and must keep it.
        Tensor<double> G(Tensor<double> xv) => xv * TensorFunctional.Jvp(y => xv * y, V(3.0, 4.0, 5.0), ones).Tangent;
        Assert.Equal([1.0, -3.0, 4.0], TensorFunctional.Jvp(G, x, ones).Tangent.ToArray());
    }

    [Fact]
    public void Second_derivative_through_an_inner_jvp_is_exact()
    {
        // g(x) = Σ d/dy sin(x·y) at y = 1 = Σ x·cos x, so ∂²g/∂xᵢ² = −2 sin xᵢ − xᵢ cos xᵢ and the Hessian is diagonal.
        var x = V(0.3, -1.1, 2.4);
        Tensor<double> G(Tensor<double> xv) => TensorFunctional.Jvp(y => (xv * y).Sin(), Tensor<double>.Ones(3), Tensor<double>.Ones(3)).Tangent.Sum();
        var h = TensorFunctional.Hessian(G, x);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double xi = x[i], expected = i == j ? -2 * Math.Sin(xi) - xi * Math.Cos(xi) : 0;
                Assert.True(Math.Abs(h[i, j] - expected) < 1e-12, $"H[{i},{j}] = {h[i, j]:R}, expected {expected:R}");
            }
    }

    [Fact]
    public void Third_derivatives_come_from_differentiating_the_derivative_nodes()
    {
        // d/dx of the Hessian-vector product of Σ exp(2x) along 1: ∂/∂x (4 e^{2x}) = 8 e^{2x}, by a Jvp of an Hvp's inputs.
        var x = V(0.1, -0.4);
        var (_, third) = TensorFunctional.Jvp(xv => TensorFunctional.Jvp(y => TensorFunctional.Jvp(z => (z * 2.0).Exp(), y, Tensor<double>.Ones(2)).Tangent,
            xv, Tensor<double>.Ones(2)).Tangent, x, Tensor<double>.Ones(2));
        for (int i = 0; i < 2; i++)
            Assert.True(Math.Abs(third[i] - 8 * Math.Exp(2 * x[i])) < 1e-12, $"third derivative [{i}] = {third[i]:R}");
    }

    private static int s_backwardCalls, s_tangentCalls;

    /// <summary>An identity op that counts how often its backward and tangent rules run.</summary>
    private static Tensor<double> Probe(Tensor<double> x, bool withTangent = true)
    {
        var y = Tensor<double>.FromArray(x.ToArray(), [.. x.Shape]);
        return Tensor<double>.Record(y, "probe", [x], saved: [], (dy, sink) => { s_backwardCalls++; sink.Add(0, dy, owned: false); },
            withTangent ? ts => { s_tangentCalls++; return ts[0]; } : null);
    }

    [Fact]
    public void Jacobian_takes_forward_mode_for_tall_functions_and_reverse_mode_for_wide_ones()
    {
        var x = V(0.5, -0.25);
        s_backwardCalls = s_tangentCalls = 0;
        var tall = TensorFunctional.Jacobian(t => Probe(t).Unsqueeze(0).Expand(3, 2).Sin(), x);   // 2 inputs, 6 outputs
        Assert.Equal((0, 2), (s_backwardCalls, s_tangentCalls));
        Assert.Equal(tall.ToArray(), TensorFunctional.Jacobian(t => Probe(t).Unsqueeze(0).Expand(3, 2).Sin(), x, JacobianMode.Reverse).ToArray(), Tolerance);

        var w = V(1, 2, 3, 4, 5);
        s_backwardCalls = s_tangentCalls = 0;
        var wide = TensorFunctional.Jacobian(t => (Probe(t) * t).Sum(), w);                        // 5 inputs, 1 output
        Assert.Equal((1, 0), (s_backwardCalls, s_tangentCalls));
        Assert.Equal([2.0, 4, 6, 8, 10], wide.ToArray());
        Assert.Equal(wide.ToArray(), TensorFunctional.Jacobian(t => (Probe(t) * t).Sum(), w, JacobianMode.Forward).ToArray(), Tolerance);
    }

    private static readonly IEqualityComparer<double> Tolerance = EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) <= 1e-14 * Math.Max(1, Math.Abs(a)), _ => 0);

    [Fact]
    public void An_op_without_a_tangent_rule_is_named_in_the_error()
    {
        var error = Assert.Throws<NablaException>(() => TensorFunctional.Jvp(t => Probe(t, withTangent: false).Sin(), V(1, 2), V(1, 0)));
        Assert.Contains("probe has no tangent rule", error.Message);
    }

    [Fact]
    public void Bad_arguments_get_clear_errors()
    {
        var shape = Assert.Throws<NablaException>(() => TensorFunctional.Jvp(t => t.Sin(), V(1, 2, 3), V(1, 2)));
        Assert.Contains("(3,)", shape.Message);
        Assert.Contains("(2,)", shape.Message);
        var scalar = Assert.Throws<NablaException>(() => TensorFunctional.Hessian(t => t.Sin(), V(1, 2)));
        Assert.Contains("one-element output", scalar.Message);
        Assert.Contains("(2,)", scalar.Message);
        Assert.Throws<NablaException>(() => TensorFunctional.Hvp(t => t.Sum(), V(1, 2), V(1)));
        using (NoGrad.Scope())
            Assert.Contains("NoGrad", Assert.Throws<NablaException>(() => TensorFunctional.Jvp(t => t.Sin(), V(1), V(1))).Message);
    }

    [Fact]
    public void Transforms_leave_the_input_and_other_leaves_gradients_as_they_were()
    {
        var w = V(0.5, 2.0).RequireGrad();
        w.Grad = V(10, 20);
        var x = V(1.0, 3.0);
        var hv = TensorFunctional.Hvp(t => (t * t * w).Sum(), x, V(1, 1));
        Assert.Equal([1.0, 4.0], hv.ToArray());   // H = diag(2w)
        var (value, tangent) = TensorFunctional.Jvp(t => t * w, x, V(1, 0));
        Assert.Equal([0.5, 0.0], tangent.ToArray());
        Assert.Equal([0.5, 6.0], value.ToArray());
        Assert.Equal([10.0, 20.0], w.Grad!.ToArray());
        Assert.False(x.RequiresGrad);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Jvp_works_in_single_precision()
    {
        var x = Tensor<float>.FromArray([0.5f, 1.5f]);
        var (_, t) = TensorFunctional.Jvp(v => v.Tanh() * v, x, Tensor<float>.FromArray([1f, 1f]));
        for (int i = 0; i < 2; i++)
        {
            // d/dx (x·tanh x) = (1 − tanh² x)·x + tanh x
            double xi = x[i], expected = (1 - Math.Tanh(xi) * Math.Tanh(xi)) * xi + Math.Tanh(xi);
            Assert.True(Math.Abs(t[i] - expected) < 1e-5, $"tangent[{i}] = {t[i]}, expected {expected}");
        }
    }
}
