using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Ops;

/// <summary>
/// The exact GELU (PyTorch's <c>gelu</c>, nanoGPT's): y = x·Φ(x) = ½x(1 + erf(x/√2)), Φ the standard normal CDF;
/// dy/dx = Φ(x) + x·φ(x) with φ(x) = e^(−x²/2)/√(2π). Double precision throughout, with Φ of the left tail taken as
/// ½·erfc(|x|/√2) so it keeps its relative accuracy far out. The float span kernels are vectorised in float lanes
/// (Vector512 or Vector256, within a few float ulps of this double path rounded to float). gelu(+∞) = +∞; gelu(−∞) = −∞·0 = NaN, as PyTorch gives;
/// the derivative at ±∞ is NaN for the same reason. NaN in, NaN out.
/// </summary>
public readonly struct Gelu : IUnaryOp<Gelu>
{
    internal const double InvSqrt2 = 0.7071067811865476, InvSqrt2Pi = 0.3989422804014327;

    /// <inheritdoc/>
    public static string Name => "gelu";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T>
    {
        double v = double.CreateTruncating(x);
        return T.CreateTruncating(v * Cdf(v));
    }
    /// <summary>
    /// <see cref="DerivativeOf{N}(N, N)"/> evaluated in double precision with Φ's left tail as ½·erfc(|x|/√2): the rule's
    /// ½(1 + erf(x/√2)) would cancel to 0 far left, where Φ(x) + x·φ(x) is a small but ordinary number. The op-table
    /// tests hold both to agree.
    /// </summary>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T>
    {
        double v = double.CreateTruncating(x);
        return T.CreateTruncating(Cdf(v) + v * ExpOfMinusHalfSquare(v) * InvSqrt2Pi);
    }
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> =>
        N.Constant(0.5) * (N.Constant(1) + N.Apply<Erf>(x * N.Constant(InvSqrt2)))
        + x * N.Apply<Exp>(-(x * x) * N.Constant(0.5)) * N.Constant(InvSqrt2Pi);
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"(1 + erf({x}/sqrt(2)))/2 + {x}·exp(-{x}^2/2)/sqrt(2·pi)";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;

    /// <summary>y[i] = gelu(x[i]); vectorised for float.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(y));
        if (typeof(T) == typeof(float)) GeluKernels.Exact(Floats(x), Floats(y));
        else for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]);
    }

    /// <summary>dx[i] += gelu′(x[i])·dy[i]; vectorised for float.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : IFloatingPointIeee754<T>
    {
        if (x.Length < dx.Length || dy.Length < dx.Length) throw new ArgumentException("Operand lengths differ.");
        if (typeof(T) == typeof(float)) GeluKernels.ExactBackward(Floats(x), Floats(dy), Floats(dx));
        else for (int i = 0; i < dx.Length; i++) dx[i] += Derivative(x[i], y[i]) * dy[i];
    }

    /// <summary>Φ(x), the standard normal CDF, in double precision (the left tail without cancellation).</summary>
    internal static double Cdf(double x)
    {
        double z = Math.Abs(x) * InvSqrt2;
        if (z < 0.5) return 0.5 + 0.5 * Erf.Of(x * InvSqrt2);
        if (double.IsNaN(x)) return x;
        if (z > 27.3) return x < 0 ? 0 : 1;
        double tail = 0.5 * ExpOfMinusHalfSquare(x) * Erf.Scaled(z);   // ½·erfc(z) = ½·e^(−z²)·erfcx(z)
        return x < 0 ? tail : 1 - tail;
    }

    /// <summary>e^(−x²/2), with x² split exactly into its rounded value and rounding error; 0 beyond |x| = 40, NaN for NaN.</summary>
    private static double ExpOfMinusHalfSquare(double x)
    {
        if (!(Math.Abs(x) <= 40)) return double.IsNaN(x) ? x : 0;
        double p = x * x, e = Math.FusedMultiplyAdd(x, x, -p);
        return Math.Exp(-0.5 * p) * (1 - 0.5 * e);
    }

    internal static ReadOnlySpan<float> Floats<T>(ReadOnlySpan<T> s) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(s)), s.Length);

    internal static Span<float> Floats<T>(Span<T> s) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(s)), s.Length);
}

/// <summary>
/// The tanh approximation of GELU (PyTorch's <c>gelu(approximate='tanh')</c>, llm.c's): y = ½x(1 + tanh u) with
/// u = √(2/π)(x + 0.044715x³), evaluated as x·σ(2u) (the same function; no cancellation in the left tail);
/// dy/dx = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²). Float span kernels vectorised (Vector256).
/// y(−∞) = NaN as in PyTorch; NaN in, NaN out.
/// </summary>
public readonly struct GeluTanh : IUnaryOp<GeluTanh>
{
    internal const double C = 0.7978845608028654, A = 0.044715;

    /// <inheritdoc/>
    public static string Name => "gelu_tanh";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => x * Sigma2U(x);
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N>
    {
        var s = N.Apply<Sigmoid>(N.Constant(2 * C) * (x + N.Constant(A) * x * x * x));
        return s + x * s * (N.Constant(1) - s) * N.Constant(2 * C) * (N.Constant(1) + N.Constant(3 * A) * x * x);
    }
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) =>
        $"(1 + tanh(u))/2 + {x}·(1 - tanh(u)^2)·sqrt(2/pi)·(1 + 3·0.044715·{x}^2)/2, u = sqrt(2/pi)·({x} + 0.044715·{x}^3)";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;

    /// <summary>y[i] = gelu_tanh(x[i]); vectorised for float.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(y));
        if (typeof(T) == typeof(float)) GeluKernels.Tanh(Gelu.Floats(x), Gelu.Floats(y));
        else for (int i = 0; i < x.Length; i++) y[i] = Apply(x[i]);
    }

    /// <summary>dx[i] += gelu_tanh′(x[i])·dy[i]; vectorised for float.</summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) where T : IFloatingPointIeee754<T>
    {
        if (x.Length < dx.Length || dy.Length < dx.Length) throw new ArgumentException("Operand lengths differ.");
        if (typeof(T) == typeof(float)) GeluKernels.TanhBackward(Gelu.Floats(x), Gelu.Floats(dy), Gelu.Floats(dx));
        else for (int i = 0; i < dx.Length; i++) dx[i] += Derivative(x[i], y[i]) * dy[i];
    }

    /// <summary>σ(2u) = ½(1 + tanh u) for u = √(2/π)(x + 0.044715x³).</summary>
    private static T Sigma2U<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u2 = T.CreateTruncating(2 * C) * (x + T.CreateTruncating(A) * x * x * x);
        return T.One / (T.One + T.Exp(-u2));
    }
}
