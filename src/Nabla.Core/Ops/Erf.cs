using System.Numerics;

namespace Nabla.Ops;

/// <summary>
/// y = erf(x) = 2/√π ∫₀ˣ e^(−t²) dt; dy/dx = 2/√π·e^(−x²). Computed in double precision (float rounds the double
/// result): relative error below about 3e-16 over the whole line. erf(±∞) = ±1, NaN in, NaN out.
/// <see cref="Complement"/> gives erfc(x) = 1 − erf(x) without the cancellation, accurate in the far tails.
/// </summary>
public readonly struct Erf : IUnaryOp<Erf>
{
    // How erf is evaluated (no .NET API has it):
    //  |x| < 0.5: its Taylor series, erf(x) = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹ / (n!(2n + 1)), 13 terms (the next is below 1e-17·|x|).
    //  |x| ≥ 0.5: erfc(|x|) = e^(−x²)·erfcx(|x|), where the scaled complement erfcx(z) = e^(z²)·erfc(z) varies slowly, so a
    //  Chebyshev series per interval of z holds it to a few 1e-17: [0.5, 1], [1, 2], [2, 4], and for z ≥ 4 the function
    //  z·erfcx(z) of u = 1/z² on [0, 1/16]. e^(−x²) is taken from x² split exactly into its double and rounding error
    //  (FusedMultiplyAdd), since the rounding of x² alone would cost a relative 1e-16·x² in the tail.
    // The coefficients are Chebyshev interpolants at 16 to 20 nodes computed by mpmath with 40 digits, then rounded to
    // double; the Taylor coefficients are the series' own, rounded. (Checked against Python's math.erf and math.erfc in
    // ErfTests.)

    /// <inheritdoc/>
    public static string Name => "erf";
    /// <inheritdoc/>
    public static T Apply<T>(T x) where T : IFloatingPointIeee754<T> => T.CreateTruncating(Of(double.CreateTruncating(x)));
    /// <inheritdoc/>
    public static T Derivative<T>(T x, T y) where T : IFloatingPointIeee754<T> => DerivativeOf<PlainNumber<T>>(x, y).Value;
    /// <inheritdoc/>
    public static N DerivativeOf<N>(N x, N y) where N : IDifferentiable<N> => N.Constant(TwoOverSqrtPi) * N.Apply<Exp>(-(x * x));
    /// <inheritdoc/>
    public static string DerivativeText(string x, string y) => $"2/sqrt(pi)·exp(-{x}^2)";
    /// <inheritdoc/>
    public static Domain Domain => Domain.Everywhere;

    /// <summary>2/√π, the derivative of erf at 0.</summary>
    internal const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>erf(x) in double precision.</summary>
    internal static double Of(double x)
    {
        double z = Math.Abs(x);
        if (z < 0.5) return x * Horner(Taylor, x * x);
        if (double.IsNaN(x)) return x;
        double r = 1 - ComplementOfPositive(z);
        return x < 0 ? -r : r;
    }

    /// <summary>
    /// erfc(x) = 1 − erf(x), computed without forming 1 − erf(x) where that would cancel: relative error below about
    /// 5e-16 down to about 1e-300 (erfc(x) is 0 beyond x ≈ 27.3). erfc(−∞) = 2, erfc(+∞) = 0, NaN in, NaN out.
    /// </summary>
    public static double Complement(double x)
    {
        if (double.IsNaN(x)) return x;
        if (Math.Abs(x) < 0.5) return 1 - Of(x);
        return x > 0 ? ComplementOfPositive(x) : 2 - ComplementOfPositive(-x);
    }

    /// <summary>erfc(z) for z ≥ 0.5 (or +∞).</summary>
    private static double ComplementOfPositive(double z) => z > 27.3 ? 0 : ExpOfMinusSquare(z) * Scaled(z);

    /// <summary>e^(−z²) with z² held exactly as p + e (p = z·z rounded, e its rounding error).</summary>
    private static double ExpOfMinusSquare(double z)
    {
        double p = z * z, e = Math.FusedMultiplyAdd(z, z, -p);
        return Math.Exp(-p) * (1 - e);
    }

    /// <summary>erfcx(z) = e^(z²)·erfc(z) for finite z ≥ 0.5.</summary>
    internal static double Scaled(double z)
    {
        if (z < 1) return Chebyshev(Erfcx05To1, 4 * z - 3);
        if (z < 2) return Chebyshev(Erfcx1To2, 2 * z - 3);
        if (z < 4) return Chebyshev(Erfcx2To4, z - 3);
        double u = 1 / (z * z);
        return Chebyshev(ErfcxTail, 32 * u - 1) / z;
    }

    /// <summary>Σ c[k]·sᵏ by Horner's rule.</summary>
    private static double Horner(double[] c, double s)
    {
        double r = c[^1];
        for (int k = c.Length - 2; k >= 0; k--) r = r * s + c[k];
        return r;
    }

    /// <summary>c[0] + Σ c[k]·T_k(t) for t in [−1, 1], by Clenshaw's recurrence.</summary>
    internal static double Chebyshev(double[] c, double t)
    {
        double b1 = 0, b2 = 0;
        for (int k = c.Length - 1; k >= 1; k--) (b1, b2) = (2 * t * b1 - b2 + c[k], b1);
        return t * b1 - b2 + c[0];
    }

    private static readonly double[] Taylor =
    [
        1.1283791670955126, -0.37612638903183754, 0.11283791670955126, -0.026866170645131252, 0.005223977625442188,
        -0.0008548327023450853, 0.00012055332981789664, -1.492565035840625e-05, 1.6462114365889248e-06, -1.6365844691234924e-07,
        1.4807192815879218e-08, -1.2290555301717928e-09, 9.422759064650411e-11,
    ];

    private static readonly double[] Erfcx05To1 =
    [
        0.5142540300448141, -0.09353436157631646, 0.007349543567965961, -0.0005170287683170955, 3.327489181039832e-05,
        -1.9877609419315706e-06, 1.1137198399251981e-07, -5.898649609389129e-09, 2.9712990142852805e-10, -1.430488185776257e-11,
        6.608616284265576e-13, -2.939555289997837e-14, 1.2625028540336645e-15, -5.2483534858603674e-17, 2.116281534737731e-18,
        -8.280881761800545e-20,
    ];

    private static readonly double[] Erfcx1To2 =
    [
        0.331427281639452, -0.0850021377067432, 0.009951127341466115, -0.0010810888102208325, 0.0001102324363119495,
        -1.0636830518218601e-05, 9.775012680479055e-07, -8.597922867888315e-08, 7.2677084117248425e-09, -5.923543840592542e-10,
        4.6683928572294154e-11, -3.56612770156775e-12, 2.6458779519104397e-13, -1.9101658673505958e-14, 1.3439765881112982e-15,
        -9.228789931130349e-17, 6.192571273780526e-18, -4.0487538818083207e-19,
    ];

    private static readonly double[] Erfcx2To4 =
    [
        0.1874295690262241, -0.05794652883669097, 0.008595247387396534, -0.0012284613640242594, 0.00016974366686180488,
        -2.2738329337044562e-05, 2.959844378804878e-06, -3.7513575581379714e-07, 4.6372828761738244e-08, -5.599455392564088e-09,
        6.613160896679916e-10, -7.648271522199816e-11, 8.670904325876594e-12, -9.645456274382024e-13, 1.0536827959351312e-13,
        -1.1312630905748733e-14, 1.1945180560527113e-15, -1.241309600232272e-16, 1.270125629361294e-17, -1.2682476193385773e-18,
    ];

    private static readonly double[] ErfcxTail =
    [
        0.555925693425176, -0.008090332092115713, 0.00016776836928685166, -5.531041633808364e-06, 2.443693640463472e-07,
        -1.3327004395823597e-08, 8.550274891720148e-10, -6.25400760134952e-11, 5.101735166869289e-12, -4.566948477700554e-13,
        4.431063598678737e-14, -4.6146100664756955e-15, 5.118030248907739e-16, -6.006419477547719e-17, 7.416488524378126e-18,
        -9.419344910793143e-19,
    ];
}
