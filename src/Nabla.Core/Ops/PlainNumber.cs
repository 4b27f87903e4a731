using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nabla.Ops;

/// <summary>
/// A plain IEEE number seen as a differentiable number with no derivative part, so the one derivative rule each op writes
/// over <see cref="IDifferentiable{TSelf}"/> also serves the kernels. Every member is one operation on
/// <typeparamref name="T"/>; as a struct type argument it is specialised and inlined by the JIT, so a rule run on it compiles
/// to the arithmetic the same rule written over <typeparamref name="T"/> would give. <see cref="Real"/> widens to double
/// exactly (float and double), so the branches of relu, abs, max, min and pow's zero guards decide as in <typeparamref name="T"/>.
/// </summary>
internal readonly struct PlainNumber<T>(T value) : IDifferentiable<PlainNumber<T>> where T : IFloatingPointIeee754<T>
{
    public T Value { get; } = value;

    public double Real
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => double.CreateTruncating(Value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> Constant(double value) => new(T.CreateTruncating(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> Apply<TOp>(PlainNumber<T> x) where TOp : struct, IUnaryOp<TOp> => new(TOp.Apply(x.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> Apply<TOp>(PlainNumber<T> a, PlainNumber<T> b) where TOp : struct, IBinaryOp<TOp> =>
        new(TOp.Apply(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> operator +(PlainNumber<T> a, PlainNumber<T> b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> operator -(PlainNumber<T> a, PlainNumber<T> b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> operator *(PlainNumber<T> a, PlainNumber<T> b) => new(a.Value * b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> operator /(PlainNumber<T> a, PlainNumber<T> b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainNumber<T> operator -(PlainNumber<T> a) => new(-a.Value);
}

/// <summary>
/// An op's plain-number derivatives called by its type: C# reaches a static virtual interface member only through a type
/// parameter, and the ops inherit <c>Derivative</c>, <c>DerivativeA</c> and <c>DerivativeB</c> from their interfaces.
/// </summary>
internal static class OpRules
{
    /// <summary>dy/dx of <typeparamref name="TOp"/> at x, given y = f(x).</summary>
    public static T Derivative<TOp, T>(T x, T y) where TOp : struct, IUnaryOp<TOp> where T : IFloatingPointIeee754<T> =>
        TOp.Derivative(x, y);

    /// <summary>∂y/∂a of <typeparamref name="TOp"/>.</summary>
    public static T DerivativeA<TOp, T>(T a, T b, T y) where TOp : struct, IBinaryOp<TOp> where T : IFloatingPointIeee754<T> =>
        TOp.DerivativeA(a, b, y);

    /// <summary>∂y/∂b of <typeparamref name="TOp"/>.</summary>
    public static T DerivativeB<TOp, T>(T a, T b, T y) where TOp : struct, IBinaryOp<TOp> where T : IFloatingPointIeee754<T> =>
        TOp.DerivativeB(a, b, y);
}
