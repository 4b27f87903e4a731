using Nabla.Ops;

namespace Nabla.Scalars;

/// <summary>
/// A node of the scalar (teaching) engine: its value, the gradient of the last output it was
/// back-propagated from, the operation that made it and that operation's inputs. Operators and
/// the static functions (<see cref="Sin"/>, <see cref="Exp"/> …) build the graph as they compute,
/// so <c>b3 + w3 * Cos(b2 + w2 * Exp(b1 + w1 * Sin(b0 + w0 * x)))</c> reads like the math.
/// </summary>
public sealed partial class Value
{
    // The op that made this node (a UnaryOpInfo when B is null, a BinaryOpInfo otherwise; null for a leaf).
    // One field for both keeps the node small: W2 builds ten million of them.
    private readonly object? _op;
    internal readonly Value? A;
    internal readonly Value? B;

    // Scratch state of one graph walk: which walk last visited the node, and the gradient it
    // received in the current backward pass (added into Grad when the pass reaches it).
    internal int VisitMark;
    internal double Pending;

    /// <summary>A leaf: a parameter or input whose gradient Backward computes.</summary>
    public Value(double data, string? label = null)
    {
        Data = data;
        if (label is not null) Label = label;
    }

    private Value(double data, bool isConstant)
    {
        Data = data;
        IsConstant = isConstant;
    }

    internal Value(double data, UnaryOpInfo op, Value a)
    {
        Data = data;
        _op = op;
        A = a;
        IsConstant = a.IsConstant;
    }

    internal Value(double data, BinaryOpInfo op, Value a, Value b)
    {
        Data = data;
        _op = op;
        A = a;
        B = b;
        IsConstant = a.IsConstant && b.IsConstant;
    }

    /// <summary>A constant: Backward gives it no gradient (plain numbers in formulas and <c>x * 2.0</c>).</summary>
    public static Value Constant(double data) => new(data, isConstant: true);

    /// <summary>The node's value, computed when the node was made.</summary>
    public double Data { get; set; }

    /// <summary>∂out/∂this, summed over every <see cref="Backward"/> since the last <see cref="ZeroGrad"/>.</summary>
    public double Grad { get; set; }

    // Names are few (parameters, statements) and read only by explanations and drawings, so they live
    // beside the nodes rather than in every one of them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Value, string> s_labels = new();

    /// <summary>An optional name, shown in explanations and drawings.</summary>
    public string? Label
    {
        get => s_labels.TryGetValue(this, out var label) ? label : null;
        set
        {
            if (value is null) s_labels.Remove(this);
            else s_labels.AddOrUpdate(this, value);
        }
    }

    internal UnaryOpInfo? Unary => B is null ? System.Runtime.CompilerServices.Unsafe.As<UnaryOpInfo>(_op) : null;
    internal BinaryOpInfo? Binary => B is null ? null : System.Runtime.CompilerServices.Unsafe.As<BinaryOpInfo>(_op);

    /// <summary>True for constants and for nodes computed from constants only.</summary>
    public bool IsConstant { get; }

    /// <summary>True for nodes no operation made (parameters, inputs, constants).</summary>
    public bool IsLeaf => A is null;

    /// <summary>The name of the operation that made this node (<c>+</c>, <c>sin</c> …), or empty for a leaf.</summary>
    public string Op => Unary?.Name ?? Binary?.Name ?? "";

    /// <summary>The operation's inputs, in order (none for a leaf).</summary>
    public IReadOnlyList<Value> Inputs => A is null ? [] : B is null ? [A] : [A, B];

    /// <summary>The unary op that made this node, if one did.</summary>
    public UnaryOpInfo? UnaryOp => Unary;

    /// <summary>The binary op that made this node, if one did.</summary>
    public BinaryOpInfo? BinaryOp => Binary;

    /// <summary>∂this/∂Inputs[i] at the current values: the local derivative the chain rule multiplies by.</summary>
    public double LocalDerivative(int i)
    {
        if (Unary is not null && i == 0) return Unary.Derivative(A!.Data, Data);
        if (Binary is not null && i == 0) return Binary.DerivativeA(A!.Data, B!.Data, Data);
        if (Binary is not null && i == 1) return Binary.DerivativeB(A!.Data, B!.Data, Data);
        throw new ArgumentOutOfRangeException(nameof(i), $"node '{Op}' has no input {i}");
    }

    /// <summary>The label (if any), data, grad and, for a non-leaf node, the op that made it.</summary>
    public override string ToString() =>
        $"Value({(Label is null ? "" : Label + ", ")}data={Data:R}, grad={Grad:R}{(IsLeaf ? "" : $", op={Op}")})";
}
