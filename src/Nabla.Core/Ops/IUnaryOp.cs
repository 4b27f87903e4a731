using System.Numerics;

namespace Nabla.Ops;

/// <summary>
/// An element-wise operation of one input: its forward function and its derivative, defined once
/// and shared by the scalar engine, the tensor engine, the formula language and the gradient tests.
/// Each op is a struct passed as a type argument, so the JIT specialises every loop per op.
/// </summary>
public interface IUnaryOp<TSelf> where TSelf : IUnaryOp<TSelf>
{
    /// <summary>The name the formula language and reports use, e.g. <c>sin</c>.</summary>
    static abstract string Name { get; }

    /// <summary>y = f(x).</summary>
    static abstract T Apply<T>(T x) where T : IFloatingPointIeee754<T>;

    /// <summary>
    /// dy/dx, given the input x and the output y = f(x) (so rules can reuse the output), written once with table ops over
    /// any <see cref="IDifferentiable{TSelf}"/> number: plain numbers for the kernels, dual numbers and scalar nodes for
    /// second derivatives and nested forward mode (the rule is itself differentiated).
    /// </summary>
    static abstract N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N>;

    /// <summary>
    /// dy/dx in plain numbers, for the kernels. Every op implements it as its <see cref="DerivativeOf{N}(N, N)"/> run on a
    /// plain number (an internal struct the JIT inlines away), not as a second statement of the rule; GELU alone evaluates
    /// the same rule more accurately. It is not a default interface method because the JIT does not inline those: the
    /// call would stay inside every backward loop.
    /// </summary>
    static abstract T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T>;

    /// <summary>The local derivative written out, given how the input and the output are named.</summary>
    static abstract string DerivativeText(string x, string y);

    /// <summary>Where gradient checks sample the input.</summary>
    static abstract Domain Domain { get; }

    /// <summary>y[i] = f(x[i]). Ops that TensorPrimitives vectorises override this with its kernel.</summary>
    static virtual void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = TSelf.Apply(x[i]);
    }

    /// <summary>dx[i] += f'(x[i], y[i]) · dy[i]: the backward pass of the op over whole arrays.</summary>
    static virtual void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] += TSelf.Derivative(x[i], y[i]) * dy[i];
    }
}

/// <summary>
/// An element-wise operation of two inputs, y = f(a, b), with its two partial derivatives.
/// </summary>
public interface IBinaryOp<TSelf> where TSelf : IBinaryOp<TSelf>
{
    /// <summary>The name reports use, e.g. <c>*</c> or <c>pow</c>.</summary>
    static abstract string Name { get; }

    /// <summary>y = f(a, b).</summary>
    static abstract T Apply<T>(T a, T b) where T : IFloatingPointIeee754<T>;

    /// <summary>
    /// ∂y/∂a, given both inputs and the output, written once with table ops over any <see cref="IDifferentiable{TSelf}"/>
    /// number (plain numbers for the kernels, dual numbers and scalar nodes to differentiate it again).
    /// </summary>
    static abstract N DerivativeAOf<N>(N a, N b, N y) where N : IDifferentiable<N>;

    /// <summary>∂y/∂b, written once like <see cref="DerivativeAOf{N}(N, N, N)"/>.</summary>
    static abstract N DerivativeBOf<N>(N a, N b, N y) where N : IDifferentiable<N>;

    /// <summary>∂y/∂a in plain numbers, for the kernels: <see cref="DerivativeAOf{N}(N, N, N)"/> run on plain numbers.</summary>
    static abstract T DerivativeA<T>(T a, T b, T y) where T : IFloatingPointIeee754<T>;

    /// <summary>∂y/∂b in plain numbers, for the kernels: <see cref="DerivativeBOf{N}(N, N, N)"/> run on plain numbers.</summary>
    static abstract T DerivativeB<T>(T a, T b, T y) where T : IFloatingPointIeee754<T>;

    /// <summary>
    /// ∂y/∂a · <paramref name="tangent"/>, the change of y along a change of a (forward mode and second derivatives).
    /// By default the partial times the tangent; an op whose partial can underflow where the product does not (division
    /// by a huge b) orders the arithmetic itself.
    /// </summary>
    static virtual N TangentAOf<N>(N a, N b, N y, N tangent) where N : IDifferentiable<N> => TSelf.DerivativeAOf(a, b, y) * tangent;

    /// <summary>∂y/∂b · <paramref name="tangent"/>; see <see cref="TangentAOf"/>.</summary>
    static virtual N TangentBOf<N>(N a, N b, N y, N tangent) where N : IDifferentiable<N> => TSelf.DerivativeBOf(a, b, y) * tangent;

    /// <summary>∂y/∂a written out, given how a, b and y are named.</summary>
    static abstract string DerivativeAText(string a, string b, string y);

    /// <summary>∂y/∂b written out, given how a, b and y are named.</summary>
    static abstract string DerivativeBText(string a, string b, string y);

    /// <summary>Where gradient checks sample the first input.</summary>
    static abstract Domain DomainA { get; }

    /// <summary>Where gradient checks sample the second input.</summary>
    static abstract Domain DomainB { get; }

    /// <summary>y[i] = f(a[i], b[i]) over equal-length arrays.</summary>
    static virtual void Apply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        if (b.Length != a.Length || y.Length < a.Length) throw new ArgumentException("Operand lengths differ.");
        for (int i = 0; i < a.Length; i++) y[i] = TSelf.Apply(a[i], b[i]);
    }
}

/// <summary>
/// The interval a gradient check samples an input from, and a band around a kink it stays out of
/// (relu and abs are not differentiable at 0, so finite differences there mean nothing).
/// </summary>
public readonly record struct Domain(double Min, double Max, double KinkAt = double.NaN, double KinkMargin = 0)
{
    /// <summary>Inputs sampled from [−3, 3], no kink.</summary>
    public static readonly Domain Everywhere = new(-3, 3);
    /// <summary>Inputs sampled from [0.1, 4], for ops defined only for x &gt; 0 (log, sqrt).</summary>
    public static readonly Domain Positive = new(0.1, 4);

    /// <summary>True when x lies inside [Min, Max] and outside the band around the kink.</summary>
    public bool Contains(double x) =>
        x >= Min && x <= Max && (double.IsNaN(KinkAt) || Math.Abs(x - KinkAt) > KinkMargin);
}
