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

    /// <summary>Lets an op's plain-number entry point read <c>DerivativeOf&lt;PlainNumber&lt;T&gt;&gt;(x, y).Value</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator PlainNumber<T>(T value) => new(value);

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
