using Nabla.Ops;

namespace Nabla.Formulas;

/// <summary>A node of a parsed formula, with the span of text it came from.</summary>
public abstract record Expr(SourceSpan Span);

/// <summary>A number written in the formula.</summary>
public sealed record NumberExpr(double Value, string Text, SourceSpan Span) : Expr(Span);

/// <summary>A named constant: <c>pi</c> or <c>e</c>.</summary>
public sealed record ConstantExpr(string Name, double Value, SourceSpan Span) : Expr(Span);

/// <summary>A name: a free variable, or an earlier statement's result.</summary>
public sealed record NameExpr(string Name, SourceSpan Span) : Expr(Span);

/// <summary>A unary op: <c>-x</c> or a call such as <c>sin(x)</c>.</summary>
public sealed record UnaryExpr(UnaryOpInfo Op, Expr Operand, SourceSpan Span) : Expr(Span);

/// <summary>A binary op: an infix operator or a two-argument call such as <c>pow(a, b)</c>.</summary>
public sealed record BinaryExpr(BinaryOpInfo Op, Expr Left, Expr Right, SourceSpan Span, bool IsCall = false) : Expr(Span);

/// <summary>One statement: <c>name = expr</c>, or (last only) a bare expression with no name.</summary>
public sealed record Statement(string? Name, SourceSpan NameSpan, Expr Expr);
