using System.Runtime.Intrinsics;

namespace Nabla.Ops;

/// <summary>
/// The float32 span kernels of <see cref="Gelu"/> and <see cref="GeluTanh"/> (the activation of a GPT's MLP, on its hot
/// path), all in float lanes: the exact form sixteen at a time with Vector512 where it is accelerated, else eight with
/// Vector256; the tanh form with Vector256. The elements past the last full vector take the scalar definitions.
/// </summary>
internal static class GeluKernels
{
    /// <summary>y[i] = x[i]·Φ(x[i]).</summary>
    public static void Exact(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, n = x.Length;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.Create(x.Slice(i));
                (v * Cdf(v, out _)).CopyTo(y.Slice(i));
            }
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i));
                (v * Cdf(v, out _)).CopyTo(y.Slice(i));
            }
        for (; i < n; i++) y[i] = Gelu.Apply(x[i]);
    }

    /// <summary>dx[i] += (Φ(x[i]) + x[i]·φ(x[i]))·dy[i].</summary>
    public static void ExactBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int i = 0, n = dx.Length;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.Create(x.Slice(i));
                var d = Cdf(v, out var density) + v * density;
                Vector512.FusedMultiplyAdd(d, Vector512.Create(dy.Slice(i)), Vector512.Create(dx.Slice(i))).CopyTo(dx.Slice(i));
            }
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(x.Slice(i));
                var d = Cdf(v, out var density) + v * density;
                Vector256.FusedMultiplyAdd(d, Vector256.Create(dy.Slice(i)), Vector256.Create(dx.Slice(i))).CopyTo(dx.Slice(i));
            }
        for (; i < n; i++) dx[i] += Gelu.Derivative(x[i], 0f) * dy[i];
    }

    // Φ in float lanes. With z = |x|/√2, ½·erfc(z) = ½·e^(−x²/2)·erfcx(z) keeps its relative accuracy in the left tail,
    // and Φ = ½·erfc(z) for x < 0, 1 − ½·erfc(z) for x ≥ 0 loses nothing on the right (Φ ≥ ½ there), so one branch-free
    // formula could serve the whole line; for z < ½, where that form's rounding in t costs a few ulps, ½ + ½·erf(x/√2)
    // from erf's Taylor series is more accurate. erfcx(z)·(z + K) is smooth in t = (z − K)/(z + K) ∈ [−1, 1) and tends
    // to 1/√π as z → ∞; a degree-12 polynomial in t (Chebyshev-node fit, relative error 7e-10) gives it. e^(−x²/2)
    // takes x² as the float sum hi + lo (lo from a fused multiply-add), since x² rounded alone would cost 3e-6 relative
    // at x = −10. |x| is clamped at 18, where Φ and φ are 0 or 1 in float, so that ±∞ gives φ = 0 rather than NaN (∞·0 stays NaN
    // in the products the callers form, as in the double path).
    private const float K = 2.5f, Clamp = 18f;

    // The library's vector Exp for float is off by an ulp even at 0 (e^0 = 1.0000001), which the left tail cannot afford;
    // this one reduces a = n·ln 2 + r, |r| ≤ ½ln 2, with ln 2 split in two (n·Ln2Hi is exact), takes e^r from its Taylor
    // polynomial of degree 7 (truncation below 6e-9 relative), and scales by 2^n in two halves so that 2^n may be subnormal.
    private const float InvSqrt2Hi = 0.70710677f, InvSqrt2Lo = 1.210161715e-08f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private static readonly float[] ExpTaylor = [1f, 1f, 1f / 2, 1f / 6, 1f / 24, 1f / 120, 1f / 720, 1f / 5040];

    /// <summary>e^a for sixteen floats, a ∈ [−162, 0].</summary>
    private static Vector512<float> Exp(Vector512<float> a)
    {
        var n = Vector512.Round(a * 1.44269504f);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), a);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.Create(ExpTaylor[^1]);
        for (int k = ExpTaylor.Length - 2; k >= 0; k--) p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(ExpTaylor[k]));
        var ni = Vector512.ConvertToInt32(n);
        var half = ni >> 1;
        var bias = Vector512.Create(127);
        return p * ((half + bias) << 23).AsSingle() * ((ni - half + bias) << 23).AsSingle();
    }

    /// <summary>Φ(x) and the normal density φ(x) for sixteen floats.</summary>
    private static Vector512<float> Cdf(Vector512<float> x, out Vector512<float> density)
    {
        var xc = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(-Clamp)), Vector512.Create(Clamp));
        var hi = xc * xc;
        var lo = Vector512.FusedMultiplyAdd(xc, xc, -hi);
        var e0 = Exp(hi * -0.5f);
        var e = Vector512.FusedMultiplyAdd(e0, lo * -0.5f, e0);                // e^(−hi/2)·(1 − lo/2)
        density = e * (float)Gelu.InvSqrt2Pi;
        var ax = Vector512.Abs(xc);
        var z = Vector512.FusedMultiplyAdd(ax, Vector512.Create(InvSqrt2Hi), ax * InvSqrt2Lo);   // |x|/√2 to half an ulp
        var d = z + Vector512.Create(K);
        var t = (z - Vector512.Create(K)) / d;
        var h = Vector512.Create(Erfcx[^1]);
        for (int k = Erfcx.Length - 2; k >= 0; k--) h = Vector512.FusedMultiplyAdd(h, t, Vector512.Create(Erfcx[k]));
        var tail = e * (h / d) * 0.5f;
        var far = Vector512.ConditionalSelect(Vector512.LessThan(xc, Vector512<float>.Zero), tail, Vector512<float>.One - tail);
        var xs = Vector512.FusedMultiplyAdd(xc, Vector512.Create(InvSqrt2Hi), xc * InvSqrt2Lo);
        var s = xs * xs;
        var p = Vector512.Create(ErfTaylor[^1]);
        for (int k = ErfTaylor.Length - 2; k >= 0; k--) p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(ErfTaylor[k]));
        var near = Vector512.FusedMultiplyAdd(xs * 0.5f, p, Vector512.Create(0.5f));               // ½ + ½·erf(x/√2)
        return Vector512.ConditionalSelect(Vector512.LessThan(z, Vector512.Create(0.5f)), near, far);
    }

    /// <summary>e^a for eight floats, a ∈ [−162, 0].</summary>
    private static Vector256<float> Exp(Vector256<float> a)
    {
        var n = Vector256.Round(a * 1.44269504f);
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), a);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.Create(ExpTaylor[^1]);
        for (int k = ExpTaylor.Length - 2; k >= 0; k--) p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(ExpTaylor[k]));
        var ni = Vector256.ConvertToInt32(n);
        var half = ni >> 1;
        var bias = Vector256.Create(127);
        return p * ((half + bias) << 23).AsSingle() * ((ni - half + bias) << 23).AsSingle();
    }

    /// <summary>Φ(x) and the normal density φ(x) for eight floats, as the sixteen-lane form.</summary>
    private static Vector256<float> Cdf(Vector256<float> x, out Vector256<float> density)
    {
        var xc = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(-Clamp)), Vector256.Create(Clamp));
        var hi = xc * xc;
        var lo = Vector256.FusedMultiplyAdd(xc, xc, -hi);
        var e0 = Exp(hi * -0.5f);
        var e = Vector256.FusedMultiplyAdd(e0, lo * -0.5f, e0);                // e^(−hi/2)·(1 − lo/2)
        density = e * (float)Gelu.InvSqrt2Pi;
        var ax = Vector256.Abs(xc);
        var z = Vector256.FusedMultiplyAdd(ax, Vector256.Create(InvSqrt2Hi), ax * InvSqrt2Lo);   // |x|/√2 to half an ulp
        var d = z + Vector256.Create(K);
        var t = (z - Vector256.Create(K)) / d;
        var h = Vector256.Create(Erfcx[^1]);
        for (int k = Erfcx.Length - 2; k >= 0; k--) h = Vector256.FusedMultiplyAdd(h, t, Vector256.Create(Erfcx[k]));
        var tail = e * (h / d) * 0.5f;
        var far = Vector256.ConditionalSelect(Vector256.LessThan(xc, Vector256<float>.Zero), tail, Vector256<float>.One - tail);
        var xs = Vector256.FusedMultiplyAdd(xc, Vector256.Create(InvSqrt2Hi), xc * InvSqrt2Lo);
        var s = xs * xs;
        var p = Vector256.Create(ErfTaylor[^1]);
        for (int k = ErfTaylor.Length - 2; k >= 0; k--) p = Vector256.FusedMultiplyAdd(p, s, Vector256.Create(ErfTaylor[k]));
        var near = Vector256.FusedMultiplyAdd(xs * 0.5f, p, Vector256.Create(0.5f));               // ½ + ½·erf(x/√2)
        return Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256.Create(0.5f)), near, far);
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

    // erf(u)/u as a polynomial in u² (its Taylor series to u^14, truncation below 1e-9 for u < ½), lowest power first.
    private static readonly float[] ErfTaylor =
    [
        1.128379167e+00f, -3.761263890e-01f, 1.128379167e-01f, -2.686617065e-02f, 5.223977625e-03f, -8.548327023e-04f,
        1.205533298e-04f, -1.492565036e-05f,
    ];

    // erfcx(z)·(z + 2.5) as a polynomial in t = (z − 2.5)/(z + 2.5), lowest power first.
    private static readonly float[] Erfcx =
    [
        1.054031820e+00f, -8.046518573e-01f, 4.539141379e-01f, -1.712509177e-01f, 2.836120648e-02f, 8.391141167e-03f,
        -4.816690455e-03f, -4.322319401e-04f, 6.965687247e-04f, 4.531408501e-05f, -1.032960540e-04f, -6.657074629e-06f,
        1.104530831e-05f,
    ];
}
