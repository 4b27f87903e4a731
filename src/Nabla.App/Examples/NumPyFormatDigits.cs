using System.Globalization;
using System.Numerics;

namespace Nabla.Examples;

/// <summary>
/// The decimal digits NumPy's Dragon4 prints for one finite double in "unique" mode with a precision cutoff:
/// the shortest digits that round-trip when they fit within the cutoff, otherwise the exact binary value
/// rounded half-to-even at the cutoff, then trailing zeros dropped.
/// </summary>
internal static class NumPyFormatDigits
{
    /// <summary>A non-negative decimal d₁d₂…dₙ × 10^(<see cref="Exponent"/> − n + 1): <see cref="Exponent"/> is the power of d₁.</summary>
    internal readonly record struct Decimal(string Digits, int Exponent);

    /// <summary>Positional text split at the point, e.g. (−12, 5) for −12.5, ("0", "") for 0; fractional digits ≤ <paramref name="precision"/>.</summary>
    public static (string IntPart, string FracPart) Positional(double x, int precision)
    {
        double a = Math.Abs(x);
        Decimal d = Shortest(a);
        if (d.Digits.Length - 1 - d.Exponent > precision) d = RoundAt(a, -precision);
        d = TrimZeros(d);
        string sign = double.IsNegative(x) ? "-" : "";
        int intDigits = d.Exponent + 1;
        if (d.Digits == "0") return (sign + "0", "");
        if (intDigits <= 0) return (sign + "0", new string('0', -intDigits) + d.Digits);
        if (intDigits >= d.Digits.Length) return (sign + d.Digits + new string('0', intDigits - d.Digits.Length), "");
        return (sign + d.Digits[..intDigits], d.Digits[intDigits..]);
    }

    /// <summary>Scientific text split as (sign and first digit, digits after the point, decimal exponent); at most <paramref name="precision"/> digits after the point.</summary>
    public static (string IntPart, string FracPart, int Exponent) Scientific(double x, int precision)
    {
        double a = Math.Abs(x);
        Decimal d = Shortest(a);
        if (d.Digits.Length - 1 > precision)
        {
            int e = ExactExponent(a, d.Exponent);
            d = RoundAt(a, e - precision);
        }
        d = TrimZeros(d);
        string sign = double.IsNegative(x) ? "-" : "";
        return (sign + d.Digits[..1], d.Digits[1..], d.Digits == "0" ? 0 : d.Exponent);
    }

    /// <summary>The shortest round-tripping digits of a ≥ 0 (from .NET's "R" formatting, which picks the closest shortest candidate).</summary>
    internal static Decimal Shortest(double a)
    {
        if (a == 0) return new Decimal("0", 0);
        string r = a.ToString("R", CultureInfo.InvariantCulture);
        int ePos = r.IndexOf('E');
        int exp = ePos >= 0 ? int.Parse(r[(ePos + 1)..], CultureInfo.InvariantCulture) : 0;
        string mantissa = ePos >= 0 ? r[..ePos] : r;
        int point = mantissa.IndexOf('.');
        int intLen = point >= 0 ? point : mantissa.Length;
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        return new Decimal(digits, exp + intLen - 1 - leadingZeros);
    }

    /// <summary>The exact a ≥ 0 rounded half-to-even to a multiple of 10^<paramref name="lastPower"/>.</summary>
    internal static Decimal RoundAt(double a, int lastPower)
    {
        var (num, den) = Fraction(a);
        if (lastPower < 0) num *= BigInteger.Pow(10, -lastPower); else den *= BigInteger.Pow(10, lastPower);
        BigInteger q = BigInteger.DivRem(num, den, out BigInteger r);
        int c = (r * 2).CompareTo(den);
        if (c > 0 || (c == 0 && !q.IsEven)) q += 1;
        if (q.IsZero) return new Decimal("0", 0);
        string digits = q.ToString(CultureInfo.InvariantCulture);
        return new Decimal(digits, lastPower + digits.Length - 1);
    }

    /// <summary>The power of ten of a's leading digit, exactly: <paramref name="estimate"/> or one less when a &lt; 10^estimate.</summary>
    private static int ExactExponent(double a, int estimate)
    {
        var (num, den) = Fraction(a);
        BigInteger p = BigInteger.Pow(10, Math.Abs(estimate));
        bool below = estimate >= 0 ? num < p * den : num * p < den;
        return below ? estimate - 1 : estimate;
    }

    /// <summary>a = num / den exactly, with den a power of two.</summary>
    private static (BigInteger Num, BigInteger Den) Fraction(double a)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (biased != 0) mantissa |= 1L << 52; else biased = 1;
        int e = biased - 1075;
        return e >= 0 ? (new BigInteger(mantissa) << e, BigInteger.One) : (new BigInteger(mantissa), BigInteger.One << -e);
    }

    private static Decimal TrimZeros(Decimal d)
    {
        string t = d.Digits.TrimEnd('0');
        return t.Length == 0 ? new Decimal("0", 0) : d with { Digits = t };
    }
}
