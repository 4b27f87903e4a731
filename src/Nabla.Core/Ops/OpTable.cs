using System.Numerics;

namespace Nabla.Ops;

/// <summary>An op of one input as a table row: name, forward, derivative and sampling domain in double precision.</summary>
public abstract class UnaryOpInfo
{
    /// <summary>The name the formula language and reports use, e.g. <c>sin</c>.</summary>
    public abstract string Name { get; }
    /// <summary>y = f(x) in double precision.</summary>
    public abstract double Apply(double x);
    /// <summary>dy/dx in double precision, given the input x and the output y = f(x).</summary>
    public abstract double Derivative(double x, double y);
    /// <summary>The local derivative written out, given how the input and the output are named.</summary>
    public abstract string DerivativeText(string x, string y);

    /// <summary>y = f(x) over any differentiable number (dual numbers, scalar nodes).</summary>
    public abstract N Apply<N>(N x) where N : IDifferentiable<N>;

    /// <summary>dy/dx as a formula of table ops over any differentiable number, so it can itself be differentiated.</summary>
    public abstract N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N>;
    /// <summary>Where gradient checks sample the input.</summary>
    public abstract Domain Domain { get; }
    /// <summary>The struct that defines the op, for engines that specialise per op.</summary>
    public abstract Type OpType { get; }

    /// <summary>y = f(x) in single precision.</summary>
    public abstract float Apply(float x);

    /// <summary>The op's span kernel (vectorised where it has one), in double and single precision.</summary>
    public abstract void Apply(ReadOnlySpan<double> x, Span<double> y);
    /// <summary>y[i] = f(x[i]) in single precision.</summary>
    public abstract void Apply(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>The op's span backward: dx[i] += f′(x[i], y[i])·dy[i].</summary>
    public abstract void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);
    /// <summary>dx[i] += f′(x[i], y[i])·dy[i] in single precision.</summary>
    public abstract void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>The op on a tensor (<c>x.Apply&lt;TOp&gt;()</c>), without reflection so it also works in Native AOT.</summary>
    public abstract Tensors.Tensor<double> ApplyTo(Tensors.Tensor<double> x);

    /// <summary>The op's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

/// <summary>The row of one unary op struct; one instance per op.</summary>
public sealed class UnaryOpInfo<TOp> : UnaryOpInfo where TOp : struct, IUnaryOp<TOp>
{
    /// <summary>The single row for <typeparamref name="TOp"/>.</summary>
    public static readonly UnaryOpInfo<TOp> Instance = new();
    private UnaryOpInfo() { }
    /// <inheritdoc/>
    public override string Name => TOp.Name;
    /// <inheritdoc/>
    public override double Apply(double x) => TOp.Apply(x);
    /// <inheritdoc/>
    public override double Derivative(double x, double y) => TOp.Derivative(x, y);
    /// <inheritdoc/>
    public override string DerivativeText(string x, string y) => TOp.DerivativeText(x, y);
    /// <inheritdoc/>
    public override N Apply<N>(N x) => N.Apply<TOp>(x);
    /// <inheritdoc/>
    public override N DerivativeOf<N>(N x, N y) => TOp.DerivativeOf(x, y);
    /// <inheritdoc/>
    public override Domain Domain => TOp.Domain;
    /// <inheritdoc/>
    public override Type OpType => typeof(TOp);
    /// <inheritdoc/>
    public override float Apply(float x) => TOp.Apply(x);
    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<double> x, Span<double> y) => TOp.Apply<double>(x, y);
    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<float> x, Span<float> y) => TOp.Apply<float>(x, y);
    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx) => TOp.Backward<double>(x, y, dy, dx);
    /// <inheritdoc/>
    public override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => TOp.Backward<float>(x, y, dy, dx);
    /// <inheritdoc/>
    public override Tensors.Tensor<double> ApplyTo(Tensors.Tensor<double> x) => x.Apply<TOp>();
}

/// <summary>An op of two inputs as a table row.</summary>
public abstract class BinaryOpInfo
{
    /// <summary>The name reports use, e.g. <c>*</c> or <c>pow</c>.</summary>
    public abstract string Name { get; }
    /// <summary>y = f(a, b) in double precision.</summary>
    public abstract double Apply(double a, double b);
    /// <summary>∂y/∂a in double precision, given both inputs and the output.</summary>
    public abstract double DerivativeA(double a, double b, double y);
    /// <summary>∂y/∂b in double precision, given both inputs and the output.</summary>
    public abstract double DerivativeB(double a, double b, double y);
    /// <summary>∂y/∂a written out, given how a, b and y are named.</summary>
    public abstract string DerivativeAText(string a, string b, string y);
    /// <summary>∂y/∂b written out, given how a, b and y are named.</summary>
    public abstract string DerivativeBText(string a, string b, string y);

    /// <summary>y = f(a, b) over any differentiable number.</summary>
    public abstract N Apply<N>(N a, N b) where N : IDifferentiable<N>;

    /// <summary>∂y/∂a as a formula of table ops over any differentiable number.</summary>
    public abstract N DerivativeAOf<N>(N a, N b, N y) where N : IDifferentiable<N>;

    /// <summary>∂y/∂b as a formula of table ops over any differentiable number.</summary>
    public abstract N DerivativeBOf<N>(N a, N b, N y) where N : IDifferentiable<N>;
    /// <summary>Where gradient checks sample the first input.</summary>
    public abstract Domain DomainA { get; }
    /// <summary>Where gradient checks sample the second input.</summary>
    public abstract Domain DomainB { get; }
    /// <summary>The struct that defines the op, for engines that specialise per op.</summary>
    public abstract Type OpType { get; }

    /// <summary>y = f(a, b) in single precision.</summary>
    public abstract float Apply(float a, float b);

    /// <summary>The op's span kernel over equal-length arrays, in double and single precision.</summary>
    public abstract void Apply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> y);
    /// <summary>y[i] = f(a[i], b[i]) in single precision.</summary>
    public abstract void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y);

    /// <summary>The op on two tensors (<c>Tensor.Apply&lt;TOp&gt;(a, b)</c>), without reflection.</summary>
    public abstract Tensors.Tensor<double> ApplyTo(Tensors.Tensor<double> a, Tensors.Tensor<double> b);

    /// <summary>The op's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

/// <summary>The row of one binary op struct; one instance per op.</summary>
public sealed class BinaryOpInfo<TOp> : BinaryOpInfo where TOp : struct, IBinaryOp<TOp>
{
    /// <summary>The single row for <typeparamref name="TOp"/>.</summary>
    public static readonly BinaryOpInfo<TOp> Instance = new();
    private BinaryOpInfo() { }
    /// <inheritdoc/>
    public override string Name => TOp.Name;
    /// <inheritdoc/>
    public override double Apply(double a, double b) => TOp.Apply(a, b);
    /// <inheritdoc/>
    public override double DerivativeA(double a, double b, double y) => TOp.DerivativeA(a, b, y);
    /// <inheritdoc/>
    public override double DerivativeB(double a, double b, double y) => TOp.DerivativeB(a, b, y);
    /// <inheritdoc/>
    public override string DerivativeAText(string a, string b, string y) => TOp.DerivativeAText(a, b, y);
    /// <inheritdoc/>
    public override string DerivativeBText(string a, string b, string y) => TOp.DerivativeBText(a, b, y);
    /// <inheritdoc/>
    public override N Apply<N>(N a, N b) => N.Apply<TOp>(a, b);
    /// <inheritdoc/>
    public override N DerivativeAOf<N>(N a, N b, N y) => TOp.DerivativeAOf(a, b, y);
    /// <inheritdoc/>
    public override N DerivativeBOf<N>(N a, N b, N y) => TOp.DerivativeBOf(a, b, y);
    /// <inheritdoc/>
    public override Domain DomainA => TOp.DomainA;
    /// <inheritdoc/>
    public override Domain DomainB => TOp.DomainB;
    /// <inheritdoc/>
    public override Type OpType => typeof(TOp);
    /// <inheritdoc/>
    public override float Apply(float a, float b) => TOp.Apply(a, b);
    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> y) => TOp.Apply<double>(a, b, y);
    /// <inheritdoc/>
    public override void Apply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => TOp.Apply<float>(a, b, y);
    /// <inheritdoc/>
    public override Tensors.Tensor<double> ApplyTo(Tensors.Tensor<double> a, Tensors.Tensor<double> b) => Tensors.Tensor<double>.Apply<TOp>(a, b);
}

/// <summary>
/// The registry: every element-wise op, once. The formula language finds functions here by name,
/// and the gradient tests run over every row; a test fails if an op struct exists but is missing here.
/// </summary>
public static class OpTable
{
    /// <summary>Every op of one input: neg, sin, cos, tan, exp, log, sqrt, tanh, sigmoid, relu, abs, erf, gelu, gelu_tanh.</summary>
    public static IReadOnlyList<UnaryOpInfo> Unary { get; } =
    [
        UnaryOpInfo<Neg>.Instance, UnaryOpInfo<Sin>.Instance, UnaryOpInfo<Cos>.Instance, UnaryOpInfo<Tan>.Instance,
        UnaryOpInfo<Exp>.Instance, UnaryOpInfo<Log>.Instance, UnaryOpInfo<Sqrt>.Instance, UnaryOpInfo<Tanh>.Instance,
        UnaryOpInfo<Sigmoid>.Instance, UnaryOpInfo<Relu>.Instance, UnaryOpInfo<Abs>.Instance,
        UnaryOpInfo<Erf>.Instance, UnaryOpInfo<Gelu>.Instance, UnaryOpInfo<GeluTanh>.Instance,
    ];

    /// <summary>Every op of two inputs: +, −, *, /, pow, max, min.</summary>
    public static IReadOnlyList<BinaryOpInfo> Binary { get; } =
    [
        BinaryOpInfo<Add>.Instance, BinaryOpInfo<Sub>.Instance, BinaryOpInfo<Mul>.Instance, BinaryOpInfo<Div>.Instance,
        BinaryOpInfo<Pow>.Instance, BinaryOpInfo<Maximum>.Instance, BinaryOpInfo<Minimum>.Instance,
    ];

    /// <summary>The unary op called <paramref name="name"/> (case-sensitive), or null.</summary>
    public static UnaryOpInfo? FindUnary(string name) => Unary.FirstOrDefault(o => o.Name == name);

    /// <summary>The binary op called <paramref name="name"/>, or null.</summary>
    public static BinaryOpInfo? FindBinary(string name) => Binary.FirstOrDefault(o => o.Name == name);
}
