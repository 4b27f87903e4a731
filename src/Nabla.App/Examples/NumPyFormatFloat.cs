using System.Globalization;

namespace Nabla.Examples;

/// <summary>
/// NumPy's <c>FloatingFormat</c> for the default "maxprec" float mode and sign '-': decides positional or scientific
/// notation from all the (shown) values, then formats each value to a common width.
/// </summary>
internal sealed class NumPyFormatFloat
{
    private readonly bool _scientific;
    private readonly int _precision;
    private readonly int _padLeft;
    private readonly int _padRight;
    private readonly int _expSize;

    /// <summary>
    /// Scientific when the non-zero finite |values| have max ≥ 1e8, min &lt; 1e-4 or max/min &gt; 1e3. Positional:
    /// pad_left = longest integer part (with sign), pad_right = longest fractional part. Scientific: every mantissa
    /// gets the longest fractional part's length (zero-filled) and the exponent the longest exponent's digit count.
    /// Non-finite values may widen pad_left so "nan", "inf" or "-inf" fit.
    /// </summary>
    public NumPyFormatFloat(IReadOnlyCollection<double> values, int precision)
    {
        var finite = values.Where(double.IsFinite).ToList();
        var nonZero = finite.Where(v => v != 0).Select(Math.Abs).ToList();
        if (nonZero.Count > 0)
        {
            double max = nonZero.Max(), min = nonZero.Min();
            _scientific = max >= 1e8 || min < 0.0001 || max / min > 1000.0;
        }
        _precision = precision;
        _expSize = -1;
        if (finite.Count == 0) { }
        else if (_scientific)
        {
            var parts = finite.Select(v => NumPyFormatDigits.Scientific(v, precision)).ToList();
            _expSize = parts.Max(p => ExponentDigits(p.Exponent).Length);
            _precision = parts.Max(p => p.FracPart.Length);
            _padLeft = parts.Max(p => p.IntPart.Length);
            _padRight = _expSize + 2 + _precision;
        }
        else
        {
            var parts = finite.Select(v => NumPyFormatDigits.Positional(v, precision)).ToList();
            _padLeft = parts.Max(p => p.IntPart.Length);
            _padRight = parts.Max(p => p.FracPart.Length);
        }
        if (finite.Count != values.Count)
        {
            bool negInf = values.Any(v => double.IsNegativeInfinity(v));
            int offset = _padRight + 1;
            _padLeft = Math.Max(_padLeft, Math.Max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
        }
    }

    /// <summary>One value at the common width: e.g. " 0.44", "-1.  ", "1.500e+08", "nan".</summary>
    public string Format(double x)
    {
        if (!double.IsFinite(x))
        {
            string s = double.IsNaN(x) ? "nan" : x < 0 ? "-inf" : "inf";
            return s.PadLeft(_padLeft + _padRight + 1);
        }
        if (_scientific)
        {
            var (intPart, frac, exp) = NumPyFormatDigits.Scientific(x, _precision);
            string digits = ExponentDigits(exp).PadLeft(_expSize, '0');
            return intPart.PadLeft(_padLeft) + "." + frac.PadRight(_precision, '0') + "e" + (exp < 0 ? "-" : "+") + digits;
        }
        var (i, f) = NumPyFormatDigits.Positional(x, _precision);
        return i.PadLeft(_padLeft) + "." + f.PadRight(_padRight);
    }

    /// <summary>NumPy's scalar <c>str(np.float64(x))</c>: positional with at least one fractional digit for 1e-4 ≤ |x| &lt; 1e16 or 0, else scientific.</summary>
    public static string FormatScalar(double x)
    {
        if (double.IsNaN(x)) return "nan";
        if (double.IsInfinity(x)) return x < 0 ? "-inf" : "inf";
        double a = Math.Abs(x);
        if (a == 0 || (a >= 1e-4 && a < 1e16))
        {
            var (i, f) = NumPyFormatDigits.Positional(x, 400);
            return i + "." + (f.Length == 0 ? "0" : f);
        }
        var (intPart, frac, exp) = NumPyFormatDigits.Scientific(x, 400);
        return intPart + (frac.Length == 0 ? "" : "." + frac) + "e" + (exp < 0 ? "-" : "+") + ExponentDigits(exp);
    }

    /// <summary>Exponent digits as Dragon4 writes them: at least two.</summary>
    private static string ExponentDigits(int exp) => Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
}
