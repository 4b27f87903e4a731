using Nabla.Scalars;

namespace Nabla.Tests.Scalars;

/// <summary>
/// Backward's fast paths (constant subgraphs skipped, + and · derivatives inlined, array stack) against the plain
/// chain rule over the public TopologicalOrder and LocalDerivative: the gradients must be bit-identical.
/// </summary>
public class ValueBackwardFastPathTests
{
    /// <summary>∂root/∂node for every node, by the textbook loop: reverse topological order, local derivative × upstream.</summary>
    private static Dictionary<Value, double> ReferenceGradients(Value root)
    {
        var order = root.TopologicalOrder();
        var grad = new Dictionary<Value, double>(ReferenceEqualityComparer.Instance) { [root] = 1 };
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            double g = grad.GetValueOrDefault(node);
            for (int j = 0; j < node.Inputs.Count; j++)
            {
                var input = node.Inputs[j];
                if (input.IsConstant) continue;
                grad[input] = grad.GetValueOrDefault(input) + node.LocalDerivative(j) * g;
            }
        }
        return grad;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Backward_on_a_random_graph_with_constants_and_shared_nodes_equals_the_plain_chain_rule_bit_for_bit(int seed)
    {
        var rng = new Random(seed);
        var leaves = Enumerable.Range(0, 6).Select(i => new Value(rng.NextDouble() * 2 - 1, $"p{i}")).ToArray();
        var pool = new List<Value>(leaves) { Value.Constant(0.5), Value.Constant(-1.25) };
        for (int i = 0; i < 300; i++)
        {
            Value a = pool[rng.Next(pool.Count)], b = pool[rng.Next(pool.Count)];
            pool.Add(rng.Next(6) switch
            {
                0 or 1 => a + b,
                2 or 3 => a * b,
                4 => a - b,
                _ => Value.Tanh(a) + Value.Relu(b),
            });
        }
        var root = pool[^1] + pool[^2] * pool[^3];
        var expected = ReferenceGradients(root);

        root.Backward();

        foreach (var leaf in leaves)
            Assert.True(BitConverter.DoubleToInt64Bits(expected.GetValueOrDefault(leaf)) == BitConverter.DoubleToInt64Bits(leaf.Grad),
                $"seed {seed}, {leaf.Label}: Backward gave {leaf.Grad:R}, the plain chain rule {expected.GetValueOrDefault(leaf):R}");
        foreach (var node in pool.Where(n => n.IsConstant)) Assert.Equal(0.0, node.Grad);
    }

    [Fact]
    public void Backward_from_a_constant_root_still_gives_the_root_a_gradient_of_one()
    {
        var c = Value.Constant(2) * Value.Constant(3);
        c.Backward();
        Assert.Equal(1.0, c.Grad);
    }
}
