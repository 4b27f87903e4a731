using Nabla.Formulas;
using Nabla.Scalars;

namespace Nabla.Explain;

/// <summary>
/// One input's share of a node's tangent in forward mode: ∂node/∂input (the local derivative) times the input's
/// tangent ∂input/∂seed.
/// </summary>
/// <param name="Input">The input's name.</param>
/// <param name="Local">∂node/∂input written out.</param>
/// <param name="LocalValue">∂node/∂input at the current values.</param>
/// <param name="InputTangent">∂input/∂seed, computed earlier in the pass.</param>
public sealed record TangentTerm(string Input, string Local, double LocalValue, double InputTangent)
{
    /// <summary>LocalValue · InputTangent.</summary>
    public double Product => LocalValue * InputTangent;
}

/// <summary>One row of the forward-mode table: a node's value and its tangent ∂node/∂seed, with the terms the tangent sums.</summary>
/// <param name="Name">The node's name (the same names as the reverse-mode explanation).</param>
/// <param name="Expression">Its operation on the names of its inputs (empty for a variable).</param>
/// <param name="Value">Its value.</param>
/// <param name="Tangent">∂node/∂seed, as forward mode (dual numbers) computed it.</param>
/// <param name="Terms">One term per input that is not a constant; none for a variable (its tangent is the seed: 1 or 0).</param>
public sealed record TangentEntry(string Name, string Expression, double Value, double Tangent, IReadOnlyList<TangentTerm> Terms);

/// <summary>
/// Forward mode written out for one seed direction, the variable <see cref="Seed"/>: every variable's tangent
/// (1 for the seed, 0 for the others), then every node in evaluation order with its value and its tangent
/// ∂node/∂seed = Σ ∂node/∂input · ∂input/∂seed. The output's tangent is ∂out/∂seed, the same number the
/// reverse pass gives as that variable's gradient. Tangents come from replaying the graph on dual numbers
/// (<see cref="Value.Tangents"/>); the terms show the local derivatives each one multiplies.
/// </summary>
public sealed class ForwardModeExplanation
{
    private ForwardModeExplanation(string seed, string outputName, List<TangentEntry> inputs, List<TangentEntry> steps)
    {
        Seed = seed;
        OutputName = outputName;
        Inputs = inputs;
        Steps = steps;
    }

    /// <summary>The variable whose direction is followed (∂/∂seed).</summary>
    public string Seed { get; }

    /// <summary>The output's name.</summary>
    public string OutputName { get; }

    /// <summary>The variables with their seed tangents (1 for <see cref="Seed"/>, 0 otherwise).</summary>
    public IReadOnlyList<TangentEntry> Inputs { get; }

    /// <summary>Every node an operation made, in evaluation order; the output last.</summary>
    public IReadOnlyList<TangentEntry> Steps { get; }

    /// <summary>∂out/∂seed: the output's tangent.</summary>
    public double Tangent => Steps.Count > 0 ? Steps[^1].Tangent : Inputs.FirstOrDefault(i => i.Name == Seed)?.Tangent ?? 0;

    /// <summary>Forward mode through a formula along the variable <paramref name="seed"/>.</summary>
    public static ForwardModeExplanation Of(FormulaGraph graph, string seed)
    {
        if (!graph.Variables.TryGetValue(seed, out var leaf))
            throw new NablaException($"'{seed}' is not a variable of the formula (its variables: {(graph.Formula.Variables.Count == 0 ? "none" : string.Join(", ", graph.Formula.Variables))})");
        return Of(graph.Output, leaf, graph.Formula.OutputName ?? "f");
    }

    /// <summary>Forward mode through any scalar graph along the leaf <paramref name="seed"/>.</summary>
    public static ForwardModeExplanation Of(Value output, Value seed, string? outputName = null)
    {
        var names = NodeNames.For(output, outputName);
        var tangents = output.Tangents(seed);
        double TangentOf(Value node) => tangents.TryGetValue(node, out var t) ? t : 0;
        var inputs = names.Order.Where(n => n.IsLeaf && !n.IsConstant)
            .Select(n => new TangentEntry(names[n], "", n.Data, TangentOf(n), [])).ToList();
        var steps = names.Order.Where(n => !n.IsLeaf && !n.IsConstant).Select(n => new TangentEntry(
            names[n], ExpressionText.Of(n, names), n.Data, TangentOf(n),
            n.Inputs.Select((input, k) => (input, k)).Where(p => !p.input.IsConstant)
                .Select(p => new TangentTerm(names[p.input], ExpressionText.LocalDerivative(n, p.k, names), n.LocalDerivative(p.k), TangentOf(p.input)))
                .ToList())).ToList();
        return new ForwardModeExplanation(names[seed], names[output], inputs, steps);
    }

    /// <summary><c>∂t3/∂x</c>: how the tables name a tangent.</summary>
    public string TangentName(string node) => $"∂{node}/∂{Seed}";

    /// <summary>The chain rule of one row in symbols: <c>omega1·∂h1/∂x + h1·∂omega1/∂x</c>.</summary>
    public string Symbols(TangentEntry entry) =>
        entry.Terms.Count == 0 ? (entry.Name == Seed ? "seed: 1" : "held fixed: 0")
            : string.Join(" + ", entry.Terms.Select(t => $"{Factor(t.Local)}·{TangentName(t.Input)}"));

    /// <summary>The same row with numbers: <c>(-0.400) × 0.200</c>.</summary>
    public static string Numbers(TangentEntry entry) =>
        string.Join(" + ", entry.Terms.Select(t => $"{NumberText.Factor(t.LocalValue)} × {NumberText.Factor(t.InputTangent)}"));

    private static string Factor(string local) =>
        local.Contains(' ') || local.StartsWith('-') ? $"({local})" : local;
}
