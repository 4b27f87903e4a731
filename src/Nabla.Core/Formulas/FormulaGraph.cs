using System.Runtime.CompilerServices;
using Nabla.Scalars;

namespace Nabla.Formulas;

/// <summary>
/// A formula evaluated into the scalar engine: the output node, a leaf per variable, a node per
/// statement, and for every node the expression it came from (for positions and explanations).
/// </summary>
public sealed class FormulaGraph
{
    private readonly ConditionalWeakTable<Value, Expr> _origin = new();
    private readonly Dictionary<string, Value> _variables = new();
    private readonly Dictionary<string, Value> _statements = new();

    private FormulaGraph(Formula formula) => Formula = formula;

    public Formula Formula { get; }

    public Value Output { get; private set; } = null!;

    /// <summary>The leaf of each free variable, labelled with its name.</summary>
    public IReadOnlyDictionary<string, Value> Variables => _variables;

    /// <summary>The node of each named statement, labelled with its name.</summary>
    public IReadOnlyDictionary<string, Value> Statements => _statements;

    /// <summary>The expression a node was computed from, or null for a node this graph did not make.</summary>
    public Expr? OriginOf(Value node) => _origin.TryGetValue(node, out var e) ? e : null;

    internal static FormulaGraph Build(Formula formula, IReadOnlyDictionary<string, double> at)
    {
        var graph = new FormulaGraph(formula);
        foreach (var name in formula.Variables) graph._variables[name] = new Value(at[name], name);
        Value? last = null;
        foreach (var statement in formula.Statements)
        {
            last = graph.Build(statement.Expr);
            if (statement.Name is not { } name) continue;
            graph._statements[name] = last;
            last.Label ??= name;
        }
        graph.Output = last!;
        return graph;
    }

    private Value Build(Expr expr)
    {
        var node = expr switch
        {
            NumberExpr n => Value.Constant(n.Value),
            ConstantExpr c => Value.Constant(c.Value),
            NameExpr n => _statements.TryGetValue(n.Name, out var s) ? s : _variables[n.Name],
            UnaryExpr u => Value.Apply(u.Op, Build(u.Operand)),
            BinaryExpr b => Value.Apply(b.Op, Build(b.Left), Build(b.Right)),
            _ => throw new InvalidOperationException($"unknown expression {expr.GetType().Name}"),
        };
        if (expr is not NameExpr) _origin.AddOrUpdate(node, expr);
        return node;
    }
}
