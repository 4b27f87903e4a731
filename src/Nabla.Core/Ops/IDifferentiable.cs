namespace Nabla.Ops;

/// <summary>
/// A number the ops' derivative rules are written over, so that a rule can itself be differentiated.
/// Each op states its derivative once, as a formula of table ops over this interface (<c>DerivativeOf</c>):
/// the kernels run it on plain numbers (an internal wrapper of <see cref="System.Numerics.IFloatingPointIeee754{TSelf}"/>
/// that the JIT inlines away), and dual numbers (<see cref="Scalars.Dual"/>) and scalar nodes (<see cref="Scalars.Value"/>)
/// run it to get second derivatives and nested forward mode; the op-table tests check the formula's own derivative
/// against finite differences of the first derivative.
/// </summary>
public interface IDifferentiable<TSelf> where TSelf : IDifferentiable<TSelf>
{
    /// <summary>A number that carries no derivative (a constant).</summary>
    static abstract TSelf Constant(double value);

    /// <summary>The plain value with every derivative part dropped; decides the branches of relu, abs, max and min.</summary>
    double Real { get; }

    /// <summary>y = f(x) for the unary op <typeparamref name="TOp"/>.</summary>
    static abstract TSelf Apply<TOp>(TSelf x) where TOp : struct, IUnaryOp<TOp>;

    /// <summary>y = f(a, b) for the binary op <typeparamref name="TOp"/>.</summary>
    static abstract TSelf Apply<TOp>(TSelf a, TSelf b) where TOp : struct, IBinaryOp<TOp>;

    /// <summary>a + b.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>a − b.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>a · b.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>a / b.</summary>
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>−a.</summary>
    static abstract TSelf operator -(TSelf a);
}
