namespace Nabla.Formulas;

/// <summary>
/// A parsed formula: statements <c>name = expr</c> separated by <c>;</c> or new lines; the last
/// statement's value is the output. Names that are used but never assigned are its free variables.
/// </summary>
public sealed class Formula
{
    private Formula(SourceText source, List<Statement> statements, List<string> variables)
    {
        Source = source;
        Statements = statements;
        Variables = variables;
    }

    /// <summary>The text the formula was parsed from.</summary>
    public SourceText Source { get; }

    /// <summary>The statements in source order; the last one's value is the output.</summary>
    public IReadOnlyList<Statement> Statements { get; }

    /// <summary>The free variables, in order of first use.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>The name of the output: the last statement's name, or null when it is a bare expression.</summary>
    public string? OutputName => Statements[^1].Name;

    /// <summary>Parses <paramref name="text"/>; a <see cref="FormulaException"/> says what is wrong and where.</summary>
    /// <exception cref="FormulaException">The text is not a formula, or is larger than <see cref="FormulaLimits"/> allow.</exception>
    public static Formula Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        FormulaLimits.CheckLength(text);
        var source = new SourceText(text);
        return DeepStack.Run(text.Length, () =>
        {
            var statements = new Parser(source, Lexer.Tokenize(source)).ParseStatements();
            return new Formula(source, statements, CheckNames(source, statements));
        });
    }

    // A name may be assigned once, must not be used before it is assigned, and only the last
    // statement may be a bare expression. Returns the free variables in order of first use.
    private static List<string> CheckNames(SourceText source, List<Statement> statements)
    {
        var assigned = new Dictionary<string, SourceSpan>();
        var variables = new List<string>();
        var firstUse = new Dictionary<string, SourceSpan>();
        for (int s = 0; s < statements.Count; s++)
        {
            var statement = statements[s];
            if (statement.Name is null && s < statements.Count - 1)
                throw new FormulaException("only the last statement may be a bare expression; name this one (name = ...)", source, statement.Expr.Span);
            foreach (var use in Names(statement.Expr))
            {
                if (assigned.ContainsKey(use.Name) || firstUse.ContainsKey(use.Name)) continue;
                firstUse[use.Name] = use.Span;
                variables.Add(use.Name);
            }
            if (statement.Name is not { } name) continue;
            if (assigned.TryGetValue(name, out var earlier))
                throw new FormulaException($"'{name}' is assigned twice (first at {source.Describe(earlier)})", source, statement.NameSpan);
            if (firstUse.TryGetValue(name, out var used))
                throw new FormulaException($"'{name}' is assigned after it is used at {source.Describe(used)}", source, statement.NameSpan);
            assigned[name] = statement.NameSpan;
        }
        return variables;
    }

    /// <summary>The names an expression uses, left to right (iterative: expressions can nest deeply).</summary>
    internal static IEnumerable<NameExpr> Names(Expr root)
    {
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case NameExpr n: yield return n; break;
                case UnaryExpr u: stack.Push(u.Operand); break;
                case BinaryExpr b: stack.Push(b.Right); stack.Push(b.Left); break;
            }
        }
    }

    /// <summary>
    /// The names in <paramref name="at"/> that are not free variables of the formula, described for a message
    /// (a statement's name is marked as computed by the formula).
    /// </summary>
    public IReadOnlyList<string> Unused(IReadOnlyDictionary<string, double> at)
    {
        var assignedNames = Statements.Where(s => s.Name is not null).Select(s => s.Name!).ToHashSet();
        return at.Keys.Where(k => !Variables.Contains(k))
            .Select(u => assignedNames.Contains(u) ? $"'{u}' (computed by the formula)" : $"'{u}'").ToList();
    }

    /// <summary>
    /// Builds the scalar graph at the given variable values. Every free variable needs a value; values for
    /// other names are ignored (see <see cref="Unused"/> to report them), so one set of values can serve many formulas.
    /// </summary>
    public FormulaGraph Evaluate(IReadOnlyDictionary<string, double> at)
    {
        var missing = Variables.Where(v => !at.ContainsKey(v)).ToList();
        if (missing.Count > 0)
            throw new FormulaException($"no value given for {string.Join(", ", missing)} (give every variable a value, e.g. \"{string.Join(",", Variables.Select(v => v + "=1"))}\")")
            {
                Setting = nameof(at),
            };
        return DeepStack.Run(Source.Text.Length, () => FormulaGraph.Build(this, at));
    }
}
