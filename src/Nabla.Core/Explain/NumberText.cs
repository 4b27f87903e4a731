using System.Globalization;

namespace Nabla.Explain;

/// <summary>How explanations write numbers: for reading (3 decimals, as the notebooks print) and for programs (round-trip).</summary>
public static class NumberText
{
    /// <summary>
    /// For reading: 3 decimals when 0.001 ≤ |v| &lt; 10⁷ or v = 0 (<c>-17.060</c>), otherwise 4 significant
    /// digits in exponent form (<c>1.235E-05</c>); <c>NaN</c>, <c>∞</c>, <c>-∞</c> for the rest.
    /// </summary>
    public static string Display(double v)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsInfinity(v)) return v > 0 ? "∞" : "-∞";
        double a = Math.Abs(v);
        if (a == 0) return "0.000";
        return a is >= 1e-3 and < 1e7
            ? v.ToString("F3", CultureInfo.InvariantCulture)
            : v.ToString("0.###E+00", CultureInfo.InvariantCulture);
    }

    /// <summary><see cref="Display"/>, in parentheses when negative, for a factor after the first: <c>2.281 × (-0.400)</c>.</summary>
    public static string Factor(double v)
    {
        string s = Display(v);
        return s.StartsWith('-') ? $"({s})" : s;
    }

    /// <summary>The shortest text that parses back to the same double (<c>"R"</c>).</summary>
    public static string RoundTrip(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A constant as an operand in an expression: round-trip text, in parentheses when negative.</summary>
    public static string Operand(double v)
    {
        string s = RoundTrip(v);
        return s.StartsWith('-') ? $"({s})" : s;
    }
}
