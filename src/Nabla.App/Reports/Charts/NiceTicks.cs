using System.Globalization;

namespace Nabla.Reports;

/// <summary>"Nice" axis ticks: multiples of 1, 2 or 5 × 10ᵏ, and decades for logarithmic axes.</summary>
public static class NiceTicks
{
    /// <summary>
    /// Ticks covering [min, max]: step = the smallest of 1, 2, 5, 10 × 10ᵏ that is ≥ (max − min) / <paramref name="intervals"/>,
    /// first tick ⌊min / step⌋ · step, last ⌈max / step⌉ · step, each tick k · step rounded to the step's decimals.
    /// A zero-width range [v, v] is widened to [v − |v|/10, v + |v|/10], or [−1, 1] when v = 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">min or max is not finite, min &gt; max, or intervals &lt; 1.</exception>
    public static double[] Linear(double min, double max, int intervals = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentOutOfRangeException(nameof(min), $"Tick range [{min}, {max}] must be finite and ordered.");
        ArgumentOutOfRangeException.ThrowIfLessThan(intervals, 1);
        if (min == max)
        {
            double d = min == 0 ? 1 : Math.Abs(min) / 10;
            (min, max) = (min - d, max + d);
        }
        double raw = max / intervals - min / intervals; // no overflow for ranges wider than double.MaxValue
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double normalised = raw / magnitude * (1 - 1e-9); // so 2.0000000000000004 from rounding still counts as 2
        double step = (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10) * magnitude;
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 15);
        long first = (long)Math.Floor(min / step + 1e-9), last = (long)Math.Ceiling(max / step - 1e-9); // 0.6 / 0.2 = 2.9999999999999996 is 3
        var ticks = new double[last - first + 1];
        for (long k = first; k <= last; k++) ticks[k - first] = Math.Round(k * step, decimals);
        return ticks;
    }

    /// <summary>Powers of ten from 10^⌊log₁₀ min⌋ to 10^⌈log₁₀ max⌉, at least two of them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">min is not positive, max is not finite, or min &gt; max.</exception>
    public static double[] Log10(double min, double max)
    {
        if (!(min > 0) || !double.IsFinite(max) || min > max)
            throw new ArgumentOutOfRangeException(nameof(min), $"Log tick range [{min}, {max}] must be positive, finite and ordered.");
        int lo = (int)Math.Floor(Math.Log10(min)), hi = Math.Max((int)Math.Ceiling(Math.Log10(max)), lo + 1);
        return Enumerable.Range(lo, hi - lo + 1).Select(e => Math.Pow(10, e)).ToArray();
    }

    /// <summary>A tick label: the shortest round-trip decimal for 1e-4 ≤ |v| &lt; 1e6 (and 0), else "1e+06"-style scientific.</summary>
    public static string Label(double v)
    {
        double a = Math.Abs(v);
        if (a == 0) return "0";
        if (a >= 1e-4 && a < 1e6) return v.ToString("R", CultureInfo.InvariantCulture);
        return v.ToString("0.###e+00", CultureInfo.InvariantCulture);
    }
}
