using System.Globalization;
using Nabla.Ops;

namespace Nabla.Scalars;

/// <summary>
/// A dual number for forward-mode differentiation: a plain number, or <c>Primal + Tangent·ε</c> where ε is one
/// perturbation (ε² = 0). Every op comes from the op table: f(p + t·ε) = f(p) + f′(p)·t·ε, with f′ the op's
/// <c>DerivativeOf</c> rule evaluated on dual numbers itself, so derivatives nest to any order.
/// <para>
/// Each derivative taken gets its own perturbation, identified by a tag that grows with every derivative started
/// (<see cref="ForwardMode.Derivative(Func{Dual, Dual}, Dual)"/>). A number's primal and tangent only hold
/// perturbations of lower tags, and a tangent is read for one tag only, so an inner derivative never mistakes the
/// outer variable's perturbation for its own: <c>d/dx (x · d/dy (x + y)) = 1</c>, not 2.
/// </para>
/// </summary>
public sealed class Dual : IDifferentiable<Dual>
{
    private static long s_lastTag;
    private static readonly Dual s_zero = new(0);

    private readonly double _real;
    private readonly Dual? _primal, _tangent;

    /// <summary>A plain number (no perturbation).</summary>
    public Dual(double value) => _real = value;

    private Dual(long tag, Dual primal, Dual tangent)
    {
        Tag = tag;
        _primal = primal;
        _tangent = tangent;
        _real = primal._real;
    }

    /// <summary>The perturbation this number's tangent belongs to; 0 for a plain number.</summary>
    public long Tag { get; }

    /// <summary>The part without the perturbation <see cref="Tag"/> (itself for a plain number).</summary>
    public Dual Primal => _primal ?? this;

    /// <summary>The coefficient of the perturbation <see cref="Tag"/> (0 for a plain number).</summary>
    public Dual Tangent => _tangent ?? s_zero;

    /// <summary>The plain value with every perturbation dropped.</summary>
    public double Real => _real;

    /// <summary>True for a plain number.</summary>
    public bool IsPlain => Tag == 0;

    /// <summary>A new perturbation, later (and so higher) than every one made before.</summary>
    public static long NewTag() => Interlocked.Increment(ref s_lastTag);

    /// <summary><paramref name="primal"/> + <paramref name="tangent"/>·ε<sub>tag</sub>; the parts must hold only lower tags.</summary>
    public static Dual Perturbed(long tag, Dual primal, Dual tangent)
    {
        if (tag <= 0) throw new ArgumentOutOfRangeException(nameof(tag), "a perturbation tag is positive");
        if (primal.Tag >= tag || tangent.Tag >= tag)
            throw new ArgumentException("the primal and tangent of a dual number may only hold perturbations made before its own");
        return tangent.IsZero ? primal : new Dual(tag, primal, tangent);
    }

    /// <summary>The coefficient of ε<sub>tag</sub> in this number (0 when it does not depend on that perturbation).</summary>
    public Dual TangentOf(long tag)
    {
        if (Tag < tag) return s_zero;
        if (Tag == tag) return Tangent;
        // A later perturbation wraps this one (a number that escaped its derivative): read inside both parts.
        return Make(Tag, Primal.TangentOf(tag), Tangent.TangentOf(tag));
    }

    /// <summary>This number with ε<sub>tag</sub> set to 0.</summary>
    public Dual PrimalOf(long tag)
    {
        if (Tag < tag) return this;
        if (Tag == tag) return Primal;
        return Make(Tag, Primal.PrimalOf(tag), Tangent.PrimalOf(tag));
    }

    private static Dual Make(long tag, Dual primal, Dual tangent) =>
        tangent.IsZero ? primal : new Dual(tag, primal, tangent);

    /// <inheritdoc/>
    public static Dual Constant(double value) => new(value);

    /// <summary>f(p + t·ε) = f(p) + f′(p)·t·ε, from the op's value and its differentiable derivative rule.</summary>
    public static Dual Apply<TOp>(Dual x) where TOp : struct, IUnaryOp<TOp>
    {
        if (x.IsPlain) return new Dual(TOp.Apply(x._real));
        var y = Apply<TOp>(x.Primal);
        return Make(x.Tag, y, TOp.DerivativeOf(x.Primal, y) * x.Tangent);
    }

    /// <summary>f(a, b) with the perturbation of the later tag split off both inputs: f + (∂f/∂a·ȧ + ∂f/∂b·ḃ)·ε.</summary>
    public static Dual Apply<TOp>(Dual a, Dual b) where TOp : struct, IBinaryOp<TOp>
    {
        long tag = Math.Max(a.Tag, b.Tag);
        if (tag == 0) return new Dual(TOp.Apply(a._real, b._real));
        Dual ap = a.PrimalOf(tag), at = a.TangentOf(tag), bp = b.PrimalOf(tag), bt = b.TangentOf(tag);
        var y = Apply<TOp>(ap, bp);
        Dual? tangent = null;
        if (!at.IsZero) tangent = TOp.TangentAOf(ap, bp, y, at);
        if (!bt.IsZero)
        {
            var fromB = TOp.TangentBOf(ap, bp, y, bt);
            tangent = tangent is null ? fromB : tangent + fromB;
        }
        return Make(tag, y, tangent ?? s_zero);
    }

    private bool IsZero => IsPlain && _real == 0;

    /// <summary>a + b (the table's <see cref="Add"/>).</summary>
    public static Dual operator +(Dual a, Dual b) => Apply<Add>(a, b);
    /// <summary>a − b.</summary>
    public static Dual operator -(Dual a, Dual b) => Apply<Sub>(a, b);
    /// <summary>a · b.</summary>
    public static Dual operator *(Dual a, Dual b) => Apply<Mul>(a, b);
    /// <summary>a / b.</summary>
    public static Dual operator /(Dual a, Dual b) => Apply<Div>(a, b);
    /// <summary>−a.</summary>
    public static Dual operator -(Dual a) => Apply<Neg>(a);

    /// <summary>A plain number becomes a constant.</summary>
    public static implicit operator Dual(double value) => new(value);

    /// <summary>
    /// The number written out: <c>3</c>, or <c>(primal + tangent·ε2)</c> with the tag's number.
    /// </summary>
    public override string ToString() => IsPlain
        ? Real.ToString("R", CultureInfo.InvariantCulture)
        : $"({Primal} + {Tangent}·ε{Tag})";
}
