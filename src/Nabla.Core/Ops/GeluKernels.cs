using System.Runtime.Intrinsics;

namespace Nabla.Ops;

/// <summary>
/// The float32 span kernels of <see cref="Gelu"/> and <see cref="GeluTanh"/> (the activation of a GPT's MLP, on its hot
/// path): eight floats at a time with Vector256, the exact form in double lanes, the tanh form in float lanes; the
/// elements past the last full vector take the scalar definitions.
/// </summary>
internal static class GeluKernels
{
    /// <summary>y[i] = x[i]·Φ(x[i]).</summary>
    public static void Exact(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, n = x.Length;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create(x.Slice(i)));
                Vector256.Narrow(lo * Cdf(lo, out _), hi * Cdf(hi, out _)).CopyTo(y.Slice(i));
            }
        for (; i < n; i++) y[i] = Gelu.Apply(x[i]);
    }

    /// <summary>dx[i] += (Φ(x[i]) + x[i]·φ(x[i]))·dy[i].</summary>
    public static void ExactBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0, n = dx.Length;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create(x.Slice(i)));
                var (glo, ghi) = Vector256.Widen(Vector256.Create(dy.Slice(i)));
                var dlo = (Cdf(lo, out var plo) + lo * plo) * glo;
                var dhi = (Cdf(hi, out var phi) + hi * phi) * ghi;
                (Vector256.Create(dx.Slice(i)) + Vector256.Narrow(dlo, dhi)).CopyTo(dx.Slice(i));
            }
        for (; i < n; i++) dx[i] += Gelu.Derivative(x[i], 0f) * dy[i];
    }

    /// <summary>
    /// Φ(x) and the normal density φ(x) for four doubles, Φ to a relative 1e-9 (enough for float): for |x/√2| &lt; 1,
    /// ½ + ½·erf(x/√2) by erf's Taylor series (14 terms); beyond, ½·erfc(z) = ½·e^(−z²)·erfcx(z), z = |x|/√2, with erfcx
    /// from a Chebyshev series in w = 1/z ∈ (0, 1] (16 terms, mpmath-computed interpolant, error 5e-10).
    /// </summary>
    private static Vector256<double> Cdf(Vector256<double> x, out Vector256<double> density)
    {
        var one = Vector256<double>.One;
        var half = Vector256.Create(0.5);
        var xs = x * Gelu.InvSqrt2;
        var z = Vector256.Abs(xs);
        var s = xs * xs;
        var p = Vector256.Create(FloatTaylor[^1]);
        for (int k = FloatTaylor.Length - 2; k >= 0; k--) p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(FloatTaylor[k]));
        var near = half + half * xs * p;

        var e = Vector256.Exp(-s);                      // e^(−x²/2)
        density = e * Gelu.InvSqrt2Pi;
        var w = one / Vector256.Max(z, one);
        var t = w + w - one;
        Vector256<double> b1 = Vector256<double>.Zero, b2 = Vector256<double>.Zero;
        for (int k = FloatTail.Length - 1; k >= 1; k--) (b1, b2) = (Vector256.FusedMultiplyAdd(t + t, b1, Vector256.Create(FloatTail[k]) - b2), b1);
        var scaled = Vector256.FusedMultiplyAdd(t, b1, Vector256.Create(FloatTail[0]) - b2) * w;   // erfcx(z)
        var tail = half * e * scaled;
        var far = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), tail, one - tail);
        return Vector256.ConditionalSelect(Vector256.LessThan(z, one), near, far);
    }

    /// <summary>y[i] = x[i]·σ(2u[i]), u = √(2/π)(x + 0.044715x³).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, n = x.Length;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i));
                (v * Sigma2U(v)).CopyTo(y.Slice(i));
            }
        for (; i < n; i++) y[i] = GeluTanh.Apply(x[i]);
    }

    /// <summary>dx[i] += (s + x·s(1 − s)·2√(2/π)(1 + 3·0.044715x²))·dy[i], s = σ(2u).</summary>
    public static void TanhBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0, n = dx.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            var c2 = Vector256.Create((float)(2 * GeluTanh.C));
            var a3 = Vector256.Create((float)(3 * GeluTanh.A));
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i));
                var s = Sigma2U(v);
                var d = s + v * s * (Vector256<float>.One - s) * c2 * (Vector256<float>.One + a3 * v * v);
                (Vector256.Create(dx.Slice(i)) + d * Vector256.Create(dy.Slice(i))).CopyTo(dx.Slice(i));
            }
        }
        for (; i < n; i++) dx[i] += GeluTanh.Derivative(x[i], 0f) * dy[i];
    }

    private static Vector256<float> Sigma2U(Vector256<float> x)
    {
        var u2 = Vector256.Create((float)(2 * GeluTanh.C)) * (x + Vector256.Create((float)GeluTanh.A) * x * x * x);
        return Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-u2));
    }

    private static readonly double[] FloatTaylor =
    [
        1.1283791670955126, -0.37612638903183754, 0.11283791670955126, -0.026866170645131252, 0.005223977625442188,
        -0.0008548327023450853, 0.00012055332981789664, -1.492565035840625e-05, 1.6462114365889248e-06, -1.6365844691234924e-07,
        1.4807192815879218e-08, -1.2290555301717928e-09, 9.422759064650411e-11, -6.7113668551641105e-12,
    ];

    private static readonly double[] FloatTail =
    [
        0.5039781175024709, -0.07211219804839034, -0.007495316026857735, 0.003838051895687461, -0.0006410126699696717,
        -1.5540548811479077e-05, 4.323024310379543e-05, -1.3769374442595084e-05, 1.8747982748191454e-06, 3.607260105154663e-07,
        -3.034440435568631e-07, 9.587225069107706e-08, -1.3579535484918394e-08, -3.233581159080889e-09, 2.9068715874272294e-09,
        -1.0527271096561488e-09,
    ];
}
