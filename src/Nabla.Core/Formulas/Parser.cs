using Nabla.Ops;

namespace Nabla.Formulas;

/// <summary>
/// A Pratt parser with one binding-power table. From loosest to tightest: <c>+ -</c>, <c>* /</c>,
/// prefix minus, then <c>^</c> / <c>**</c> (right-associative), so <c>-x^2</c> is <c>-(x^2)</c> and
/// <c>2^3^2</c> is 512. Function names resolve through the op table, so a new op parses for free.
/// </summary>
internal sealed class Parser(SourceText source, List<Token> tokens)
{
    /// <summary>How deep parentheses and prefix operators may nest before parsing stops with an error.</summary>
    public const int MaxDepth = FormulaLimits.MaxDepth;

    private const int PrefixBindingPower = 5;
    private int _pos;
    private int _depth;

    // (left, right) binding power of each infix operator; left > right makes it right-associative.
    private static (int Left, int Right)? Infix(TokenKind kind) => kind switch
    {
        TokenKind.Plus or TokenKind.Minus => (1, 2),
        TokenKind.Star or TokenKind.Slash => (3, 4),
        TokenKind.Power => (8, 7),
        _ => null,
    };

    private static readonly Dictionary<string, double> Constants = new() { ["pi"] = Math.PI, ["e"] = Math.E };

    public static bool IsReserved(string name) =>
        Constants.ContainsKey(name) || OpTable.FindUnary(name) is not null || OpTable.FindBinary(name) is not null;

    private Token Peek => tokens[_pos];

    private Token Next() => tokens[_pos++];

    public List<Statement> ParseStatements()
    {
        var statements = new List<Statement>();
        while (true)
        {
            while (Peek.Kind == TokenKind.Separator) _pos++;
            if (Peek.Kind == TokenKind.End) break;
            if (statements.Count == FormulaLimits.MaxStatements)
                throw Error($"the formula has more than {FormulaLimits.MaxStatements:N0} statements (see docs/limits.md)", Peek.Span);
            statements.Add(ParseStatement());
            if (Peek.Kind is not (TokenKind.Separator or TokenKind.End))
                throw Error(Peek.Kind == TokenKind.RightParen ? "unmatched ')'" : $"expected an operator or the end of the statement, found '{Peek.Text}'", Peek.Span);
        }
        if (statements.Count == 0) throw new FormulaException("the formula is empty");
        return statements;
    }

    private Statement ParseStatement()
    {
        if (Peek.Kind == TokenKind.Name && tokens[_pos + 1].Kind == TokenKind.Assign)
        {
            var name = Next();
            _pos++; // '='
            if (IsReserved(name.Text)) throw Error($"'{name.Text}' is a built-in name and cannot be assigned", name.Span);
            return new Statement(name.Text, name.Span, ParseExpression(0));
        }
        var expr = ParseExpression(0);
        return new Statement(null, expr.Span, expr);
    }

    private Expr ParseExpression(int minBindingPower)
    {
        if (++_depth > MaxDepth) throw Error($"the formula nests deeper than {MaxDepth:N0} levels (see docs/limits.md)", Peek.Span);
        var left = ParsePrefix();
        while (Infix(Peek.Kind) is var (lbp, rbp) && lbp >= minBindingPower)
        {
            var op = Next();
            var right = ParseExpression(rbp);
            var info = op.Kind switch
            {
                TokenKind.Plus => OpTable.FindBinary("+"),
                TokenKind.Minus => OpTable.FindBinary("-"),
                TokenKind.Star => OpTable.FindBinary("*"),
                TokenKind.Slash => OpTable.FindBinary("/"),
                _ => OpTable.FindBinary("pow"),
            };
            left = new BinaryExpr(info!, left, right, SourceSpan.Cover(left.Span, right.Span));
        }
        _depth--;
        return left;
    }

    private Expr ParsePrefix()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new NumberExpr(token.Number, token.Text, token.Span);
            case TokenKind.Minus:
            {
                var operand = ParseExpression(PrefixBindingPower);
                return new UnaryExpr(OpTable.FindUnary("neg")!, operand, SourceSpan.Cover(token.Span, operand.Span));
            }
            case TokenKind.Plus:
                return ParseExpression(PrefixBindingPower);
            case TokenKind.LeftParen:
            {
                var inner = ParseExpression(0);
                Expect(TokenKind.RightParen, $"')' to close the '(' at {source.Describe(token.Span)}");
                return inner;
            }
            case TokenKind.Name when Peek.Kind == TokenKind.LeftParen:
                return ParseCall(token);
            case TokenKind.Name:
                return Constants.TryGetValue(token.Text, out var c)
                    ? new ConstantExpr(token.Text, c, token.Span)
                    : new NameExpr(token.Text, token.Span);
            case TokenKind.End:
                throw Error("the formula ends where a value was expected", token.Span);
            default:
                throw Error($"expected a number, a name or '(', found '{token.Text}'", token.Span);
        }
    }

    private Expr ParseCall(Token name)
    {
        var open = Next();
        var args = new List<Expr> { ParseExpression(0) };
        while (Peek.Kind == TokenKind.Comma)
        {
            _pos++;
            args.Add(ParseExpression(0));
        }
        var close = Expect(TokenKind.RightParen, $"')' to close the call to {name.Text}");
        var span = SourceSpan.Cover(name.Span, close.Span);
        if (OpTable.FindUnary(name.Text) is { } unary)
        {
            if (args.Count != 1) throw Error($"{name.Text} takes 1 argument, not {args.Count}", span);
            return new UnaryExpr(unary, args[0], span);
        }
        if (OpTable.FindBinary(name.Text) is { } binary && char.IsLetter(name.Text[0]))
        {
            if (args.Count != 2) throw Error($"{name.Text} takes 2 arguments, not {args.Count}", span);
            return new BinaryExpr(binary, args[0], args[1], span, IsCall: true);
        }
        throw Error($"unknown function '{name.Text}' (known: {KnownFunctions()})", name.Span);
    }

    public static string KnownFunctions() => string.Join(", ",
        OpTable.Unary.Select(o => o.Name).Concat(OpTable.Binary.Select(o => o.Name).Where(n => char.IsLetter(n[0]))));

    // The error points at the token that is there instead (or at the end), where the missing one belongs; the
    // exception adds that position once.
    private Token Expect(TokenKind kind, string what)
    {
        if (Peek.Kind == kind) return Next();
        if (Peek.Kind is TokenKind.End or TokenKind.Separator)
            throw Error($"expected {what}, but the {(Peek.Kind == TokenKind.End ? "formula" : "statement")} ends", Peek.Span);
        throw Error($"expected {what}, found '{Peek.Text}'", Peek.Span);
    }

    private FormulaException Error(string problem, SourceSpan span) => new(problem, source, span);
}
