namespace Nabla.Checking;

/// <summary>
/// Checks gradients of any function of named variables against finite differences: for each
/// variable v, the numeric derivative re-evaluates f with v moved by the step h (forward:
/// (f(v + h) − f(v)) / h; central: (f(v + h) − f(v − h)) / 2h) and passes when
/// |analytic − numeric| ≤ atol + rtol·|numeric| with both finite.
/// </summary>
public static class GradCheck
{
    /// <summary>Compares <paramref name="analytic"/> (one entry per variable to check, in that order) with finite differences of <paramref name="f"/> at <paramref name="at"/>.</summary>
    /// <param name="f">The function; it receives every variable's value and must not keep the dictionary.</param>
    /// <param name="at">The point: a value for every variable <paramref name="f"/> reads.</param>
    /// <param name="analytic">The gradients to check, by variable name; each name must be in <paramref name="at"/>.</param>
    /// <param name="options">Method, step and tolerances (default <see cref="GradCheckOptions.Central"/>).</param>
    public static GradCheckReport Check(Func<IReadOnlyDictionary<string, double>, double> f,
        IReadOnlyDictionary<string, double> at, IReadOnlyDictionary<string, double> analytic, GradCheckOptions? options = null)
    {
        options ??= GradCheckOptions.Central;
        var point = new Dictionary<string, double>(at);
        double h = options.Step;
        double? center = null;
        var entries = new List<GradCheckEntry>(analytic.Count);
        foreach (var (name, a) in analytic)
        {
            if (!point.TryGetValue(name, out double v))
                throw new NablaException($"gradient check: no value given for '{name}' (the point has: {string.Join(", ", at.Keys)})");
            double numeric;
            if (options.Method == FiniteDifference.Forward)
            {
                center ??= f(at);
                numeric = (Evaluate(f, point, name, v + h, v) - center.Value) / h;
            }
            else
            {
                numeric = CentralDifference.Of(u => Evaluate(f, point, name, u, v), v, h);
            }
            entries.Add(Compare(name, a, numeric, options));
        }
        return new GradCheckReport(options, entries);
    }

    /// <summary>One comparison: the errors, the allclose test and how far past its bound the error is.</summary>
    public static GradCheckEntry Compare(string name, double analytic, double numeric, GradCheckOptions options)
    {
        double abs = Math.Abs(analytic - numeric);
        double scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
        double rel = scale == 0 ? 0 : abs / scale;
        double bound = options.AbsoluteTolerance + options.RelativeTolerance * Math.Abs(numeric);
        bool finite = double.IsFinite(analytic) && double.IsFinite(numeric);
        bool passed = finite && abs <= bound;
        double excess = !finite || double.IsNaN(abs) ? double.PositiveInfinity : bound == 0 ? (abs == 0 ? 0 : double.PositiveInfinity) : abs / bound;
        return new GradCheckEntry(name, analytic, numeric, abs, rel, passed) { Excess = excess };
    }

    private static double Evaluate(Func<IReadOnlyDictionary<string, double>, double> f, Dictionary<string, double> point,
        string name, double moved, double original)
    {
        point[name] = moved;
        try { return f(point); }
        finally { point[name] = original; }
    }
}
