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

    /// <summary>The formula the graph was built from.</summary>
    public Formula Formula { get; }

    /// <summary>The node of the last statement's value: the formula's output.</summary>
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

    // Post-order over an explicit stack, not recursion: a formula of four million terms is one long
    // left-leaning chain, and recursing down it overflows the thread's stack.
    private Value Build(Expr root)
    {
        var done = new Stack<Value>();
        var work = new Stack<(Expr Expr, bool Expanded)>();
        work.Push((root, false));
        while (work.Count > 0)
        {
            var (expr, expanded) = work.Pop();
            if (!expanded && expr is UnaryExpr or BinaryExpr)
            {
                work.Push((expr, true));
                if (expr is BinaryExpr b) { work.Push((b.Right, false)); work.Push((b.Left, false)); }
                else work.Push((((UnaryExpr)expr).Operand, false));
                continue;
            }
            Value node;
            switch (expr)
            {
                case NumberExpr n: node = Value.Constant(n.Value); break;
                case ConstantExpr c: node = Value.Constant(c.Value); break;
                case NameExpr n: done.Push(_statements.TryGetValue(n.Name, out var s) ? s : _variables[n.Name]); continue;
                case UnaryExpr u: node = Value.Apply(u.Op, done.Pop()); break;
                case BinaryExpr b:
                    var right = done.Pop();
                    node = Value.Apply(b.Op, done.Pop(), right);
                    break;
                default: throw new InvalidOperationException($"unknown expression {expr.GetType().Name}");
            }
            _origin.AddOrUpdate(node, expr);
            done.Push(node);
        }
        return done.Pop();
    }
}
