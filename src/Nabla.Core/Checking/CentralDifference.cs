namespace Nabla.Checking;

/// <summary>
/// The numerical derivative every gradient check compares with: (f(x + h) − f(x − h)) / 2h, error O(h²). One
/// place, so the scalar check, the tensor check and the explanations difference the same way (f(x + h) first).
/// </summary>
internal static class CentralDifference
{
    /// <summary>(f(x + h) − f(x − h)) / 2h.</summary>
    public static double Of(Func<double, double> f, double x, double h) => (f(x + h) - f(x - h)) / (2 * h);

    /// <summary>The derivative of every output of <paramref name="f"/>: (f(x + h)[j] − f(x − h)[j]) / 2h.</summary>
    public static double[] OfEach(Func<double, double[]> f, double x, double h)
    {
        double[] plus = f(x + h), minus = f(x - h);
        var d = new double[plus.Length];
        for (int j = 0; j < d.Length; j++) d[j] = (plus[j] - minus[j]) / (2 * h);
        return d;
    }

    /// <summary>
    /// The derivative of <paramref name="f"/> with respect to <paramref name="values"/>[<paramref name="index"/>],
    /// which is moved by ±h in place while <paramref name="f"/> runs and restored afterwards, even if it throws.
    /// </summary>
    public static double At(double[] values, int index, Func<double> f, double h)
    {
        double saved = values[index];
        try { return Of(v => { values[index] = v; return f(); }, saved, h); }
        finally { values[index] = saved; }
    }
}
