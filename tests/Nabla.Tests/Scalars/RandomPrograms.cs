using Nabla.Ops;

namespace Nabla.Tests.Scalars;

/// <summary>
/// Random straight-line programs over the op table, written once over any differentiable number so the same
/// program runs on scalar nodes (reverse mode) and on dual numbers (forward mode). Each step applies a random op
/// to earlier values; an op is used only where its input lies inside the op's sampling domain (decided on the
/// plain value, so every number type takes the same branches), and sin stands in otherwise.
/// </summary>
internal static class RandomPrograms
{
    public static N Run<N>(int seed, IReadOnlyList<N> inputs, int steps = 12) where N : IDifferentiable<N>
    {
        var random = new Random(seed);
        var values = new List<N>(inputs);
        var sin = OpTable.FindUnary("sin")!;
        for (int s = 0; s < steps; s++)
        {
            var a = values[random.Next(values.Count)];
            if (random.Next(2) == 0)
            {
                var op = OpTable.Unary[random.Next(OpTable.Unary.Count)];
                values.Add(op.Domain.Contains(a.Real) ? op.Apply(a) : sin.Apply(a));
            }
            else
            {
                var b = values[random.Next(values.Count)];
                var op = OpTable.Binary[random.Next(OpTable.Binary.Count)];
                bool inside = op.DomainA.Contains(a.Real) && op.DomainB.Contains(b.Real)
                    && (op.Name is not ("maximum" or "minimum") || Math.Abs(a.Real - b.Real) > 1e-3);
                values.Add(inside ? op.Apply(a, b) : sin.Apply(a) * b);
            }
        }
        // Sum the last few so the output depends on more than one chain.
        var output = values[^1];
        for (int k = 2; k <= 3; k++) output = output + values[^k];
        return output;
    }
}
