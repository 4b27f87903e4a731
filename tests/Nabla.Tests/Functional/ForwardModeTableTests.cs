using Nabla.Tensors;
using Nabla.Tests.Tensors;

namespace Nabla.Tests.Functional;

/// <summary>
/// Forward mode and second derivatives on every row of the tensor op table and every shape set: J·v (each op's tangent
/// rule) against central differences and against the reverse-mode Jacobian times v, the forward- and reverse-mode
/// Jacobians against each other, the pullback against vᵀ times the Jacobian, and H·v (reverse over the tangent rules)
/// against central differences of the gradient over all inputs packed together. An op without a tangent rule fails.
/// </summary>
public class ForwardModeTableTests
{
    private static (TensorOpInfo Row, Tensor<double>[] Inputs, Random Random) Setup(string op, int shapeSet)
    {
        var row = TensorOpTable.Find(op)!;
        var random = new Random(op.Length * 131 + shapeSet);
        return (row, row.ShapeSets[shapeSet].Select((shape, i) => TensorOpTableTests.Sample(shape, row.Domains[i], random)).ToArray(), random);
    }

    [Theory]
    [MemberData(nameof(TensorOpTableTests.Cases), MemberType = typeof(TensorOpTableTests))]
    public void Jvp_matches_central_differences_and_the_reverse_mode_jacobian(string op, int shapeSet)
    {
        var (row, inputs, random) = Setup(op, shapeSet);
        for (int k = 0; k < inputs.Length; k++)
        {
            int which = k;
            ModeChecks.FirstOrder(x => row.Build(inputs.Select((t, i) => i == which ? x : t).ToArray()), inputs[k], random, $"{op}, shapes {shapeSet}, input {k}");
        }
    }

    [Theory]
    [MemberData(nameof(TensorOpTableTests.Cases), MemberType = typeof(TensorOpTableTests))]
    public void Jvp_matches_on_strided_views(string op, int shapeSet)
    {
        // Each input is a transposed (non-contiguous) view, so the tangent rules meet strided primal values and tangents.
        var row = TensorOpTable.Find(op)!;
        var random = new Random(op.Length * 257 + shapeSet);
        var inputs = row.ShapeSets[shapeSet].Select((shape, i) => TensorOpTableTests.Sample([.. shape.Reverse()], row.Domains[i], random)).ToArray();
        for (int k = 0; k < inputs.Length; k++)
        {
            int which = k;
            ModeChecks.FirstOrder(x => row.Build(inputs.Select((t, i) => (i == which ? x : t).Transpose()).ToArray()), inputs[k], random,
                $"{op} on transposed views, shapes {shapeSet}, input {k}");
        }
    }

    [Theory]
    [MemberData(nameof(TensorOpTableTests.Cases), MemberType = typeof(TensorOpTableTests))]
    public void Hvp_matches_central_differences_of_the_gradient(string op, int shapeSet)
    {
        var (row, inputs, random) = Setup(op, shapeSet);
        var shapes = row.ShapeSets[shapeSet];
        Tensor<double> weights;
        using (NoGrad.Scope()) weights = ModeChecks.RandomLike([.. row.Build(inputs).Shape], random);
        // A scalar of the op's output, Σ w ⊙ f, as a function of every input at once.
        Tensor<double> G(Tensor<double> packed) => (row.Build(ModeChecks.Unpack(packed, shapes)) * weights).Sum();
        ModeChecks.SecondOrder(G, ModeChecks.Pack(inputs), random, $"{op}, shapes {shapeSet}");
    }

    [Fact]
    public void Every_recorded_op_of_every_row_has_a_tangent_rule()
    {
        var missing = new SortedSet<string>();
        foreach (var row in TensorOpTable.All)
        {
            var random = new Random(1);
            var inputs = row.ShapeSets[0].Select((shape, i) => TensorOpTableTests.Sample(shape, row.Domains[i], random).RequireGrad()).ToArray();
            var y = row.Build(inputs);
            foreach (var t in Autograd.TopologicalOrder(y))
                if (t.Node is { Tangent: null } node) missing.Add($"{node.Name} (row {row.Name})");
        }
        Assert.True(missing.Count == 0, "ops without a tangent rule: " + string.Join(", ", missing));
    }

    [Fact]
    public void Hessian_is_symmetric_and_its_product_with_v_is_the_hvp()
    {
        // One row per kind of op, with the full Hessian over all inputs packed.
        foreach (var name in new[] { "apply<tanh>", "div", "matmul", "softmax", "layer_norm(no affine)", "linear_sigmoid (fused)", "cross_entropy" })
        {
            var (row, inputs, random) = Setup(name, 0);
            var shapes = row.ShapeSets[0];
            Tensor<double> weights;
            using (NoGrad.Scope()) weights = ModeChecks.RandomLike([.. row.Build(inputs).Shape], random);
            Tensor<double> G(Tensor<double> packed) => (row.Build(ModeChecks.Unpack(packed, shapes)) * weights).Sum();
            var x = ModeChecks.Pack(inputs);
            int n = x.ElementCount;
            var hessian = Nabla.Functional.TensorFunctional.Hessian(G, x);
            Assert.Equal([n, n], hessian.Shape);
            var h = hessian.ToArray();
            var v = ModeChecks.RandomLike([n], random);
            var hv = Nabla.Functional.TensorFunctional.Hvp(G, x, v).ToArray();
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < i; j++)
                    Assert.True(Math.Abs(h[i * n + j] - h[j * n + i]) <= 1e-10 * Math.Max(1, Math.Abs(h[i * n + j])), $"{name}: H[{i},{j}] = {h[i * n + j]:R} but H[{j},{i}] = {h[j * n + i]:R}");
                double expected = Enumerable.Range(0, n).Sum(j => h[i * n + j] * v[j]);
                Assert.True(Math.Abs(expected - hv[i]) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"{name}: (H·v)[{i}] = {hv[i]:R}, H times v = {expected:R}");
            }
        }
    }
}
