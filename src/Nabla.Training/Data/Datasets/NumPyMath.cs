namespace Nabla.Data;

/// <summary>NumPy helpers reproduced operation for operation, so generated data matches NumPy's bits.</summary>
internal static class NumPyMath
{
    /// <summary>
    /// NumPy's <c>linspace(start, stop, num, endpoint)</c>: div = num − 1 (num without endpoint), step = (stop − start) / div,
    /// y[i] = i · step + start, and y[num − 1] = stop exactly when endpoint and num &gt; 1; for div = 0, y[i] = i · (stop − start) + start.
    /// </summary>
    public static double[] Linspace(double start, double stop, int num, bool endpoint = true)
    {
        var y = new double[num];
        int div = endpoint ? num - 1 : num;
        double delta = stop - start;
        double step = div > 0 ? delta / div : double.NaN;
        for (int i = 0; i < num; i++)
        {
            if (div <= 0) y[i] = i * delta;
            else if (step == 0) y[i] = i / (double)div * delta;
            else y[i] = i * step;
            y[i] += start;
        }
        if (endpoint && num > 1) y[num - 1] = stop;
        return y;
    }
}
