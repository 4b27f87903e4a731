using System.Globalization;
using Nabla.Rng;
using Nabla.Training;

namespace Nabla.Data;

/// <summary>
/// Small synthetic datasets generated in code (nothing is downloaded). Every random draw comes from a
/// NumPy-exact <see cref="RandomState"/> (<see cref="RandomState.Default"/> when none is given), so a seed
/// reproduces the data — and for <see cref="Moons"/> and <see cref="Circles"/> the same values as scikit-learn with
/// <c>random_state=np.random.RandomState(seed)</c>, up to the last bit of sin/cos.
/// </summary>
public static class Datasets
{
    /// <summary>
    /// scikit-learn's <c>make_moons</c>: ⌊n/2⌋ points of the outer half circle (cos t, sin t) and the rest on the inner
    /// one (1 − cos t, 0.5 − sin t), t evenly spaced on [0, π] (NumPy <c>linspace</c>); labels 0 (outer) and 1 (inner);
    /// rows shuffled with <see cref="RandomState.Permutation(int)"/>-style shuffling when <paramref name="shuffle"/>; then, if
    /// <paramref name="noise"/> &gt; 0, <c>normal(0, noise, (n, 2))</c> added to the features.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n or noise is negative.</exception>
    public static LabeledTable Moons(int n, double noise = 0.0, RandomState? random = null, bool shuffle = true)
    {
        Check(n, noise);
        int nOut = n / 2, nIn = n - nOut;
        double[] tOut = NumPyMath.Linspace(0, Math.PI, nOut), tIn = NumPyMath.Linspace(0, Math.PI, nIn);
        var x = new double[2 * n];
        var y = new double[n];
        for (int i = 0; i < nOut; i++) (x[2 * i], x[2 * i + 1]) = (Math.Cos(tOut[i]), Math.Sin(tOut[i]));
        for (int i = 0; i < nIn; i++)
        {
            int row = nOut + i;
            (x[2 * row], x[2 * row + 1], y[row]) = (1 - Math.Cos(tIn[i]), 1 - Math.Sin(tIn[i]) - 0.5, 1);
        }
        return Finish(x, y, noise, random ?? RandomState.Default, shuffle, 2, "moons");
    }

    /// <summary>
    /// scikit-learn's <c>make_circles</c>: ⌊n/2⌋ points on the unit circle (label 0) and the rest on a circle of radius
    /// <paramref name="factor"/> (label 1), angles 2πk/m (NumPy <c>linspace(0, 2π, m, endpoint=False)</c>); shuffled and
    /// noised as in <see cref="Moons"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n or noise is negative, or factor is outside [0, 1).</exception>
    public static LabeledTable Circles(int n, double noise = 0.0, double factor = 0.8, RandomState? random = null, bool shuffle = true)
    {
        Check(n, noise);
        if (!(factor >= 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be in [0, 1).");
        int nOut = n / 2, nIn = n - nOut;
        double[] tOut = NumPyMath.Linspace(0, 2 * Math.PI, nOut, endpoint: false);
        double[] tIn = NumPyMath.Linspace(0, 2 * Math.PI, nIn, endpoint: false);
        var x = new double[2 * n];
        var y = new double[n];
        for (int i = 0; i < nOut; i++) (x[2 * i], x[2 * i + 1]) = (Math.Cos(tOut[i]), Math.Sin(tOut[i]));
        for (int i = 0; i < nIn; i++)
        {
            int row = nOut + i;
            (x[2 * row], x[2 * row + 1], y[row]) = (Math.Cos(tIn[i]) * factor, Math.Sin(tIn[i]) * factor, 1);
        }
        return Finish(x, y, noise, random ?? RandomState.Default, shuffle, 2, "circles");
    }

    /// <summary>
    /// The spiral data of nnfs (<c>nnfs.datasets.spiral_data</c>, after CS231n): for class c, rows c·m … c·m + m − 1 have
    /// radius r = linspace(0, 1, m) and angle t = linspace(4c, 4c + 4, m) + 0.2 · randn(m), and features
    /// (r · sin 2.5t, r · cos 2.5t); one <c>randn(m)</c> call per class, in class order; rows are not shuffled.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">samplesPerClass is negative or classes is less than 1.</exception>
    public static LabeledTable Spirals(int samplesPerClass, int classes, RandomState? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samplesPerClass);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        random ??= RandomState.Default;
        int m = samplesPerClass;
        var x = new double[2 * m * classes];
        var y = new double[m * classes];
        double[] r = NumPyMath.Linspace(0.0, 1, m);
        for (int c = 0; c < classes; c++)
        {
            double[] t = NumPyMath.Linspace(c * 4, (c + 1) * 4, m);
            double[] jitter = random.Randn(m);
            for (int i = 0; i < m; i++)
            {
                int row = c * m + i;
                double angle = (t[i] + jitter[i] * 0.2) * 2.5;
                (x[2 * row], x[2 * row + 1], y[row]) = (r[i] * Math.Sin(angle), r[i] * Math.Cos(angle), c);
            }
        }
        return Classes(x, ["x1", "x2"], y, classes, "spirals");
    }

    /// <summary>
    /// XOR: features <c>uniform(−1, 1, (n, 2))</c>; label 1 when exactly one feature is positive, else 0 (decided
    /// before noise); then, if <paramref name="noise"/> &gt; 0, <c>normal(0, noise, (n, 2))</c> added to the features.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n or noise is negative.</exception>
    public static LabeledTable Xor(int n, double noise = 0.0, RandomState? random = null)
    {
        Check(n, noise);
        random ??= RandomState.Default;
        double[] x = random.Uniform(-1, 1, n, 2);
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = (x[2 * i] > 0) != (x[2 * i + 1] > 0) ? 1 : 0;
        return Finish(x, y, noise, random, shuffle: false, classes: 2, "xor");
    }

    /// <summary>
    /// A sine wave for regression, after <c>nnfs.datasets.sine_data</c>: x = i / n for i = 0 … n − 1 and
    /// y = sin(2πx), plus <c>normal(0, noise, n)</c> when <paramref name="noise"/> &gt; 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">n or noise is negative.</exception>
    public static LabeledTable Sine(int n, double noise = 0.0, RandomState? random = null)
    {
        Check(n, noise);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) (x[i], y[i]) = ((double)i / n, Math.Sin(2 * Math.PI * ((double)i / n)));
        if (noise > 0)
        {
            double[] e = (random ?? RandomState.Default).Normal(0, noise, n);
            for (int i = 0; i < n; i++) y[i] += e[i];
        }
        return new LabeledTable(new Table(["x"], x), y, TaskKind.Regression, [], "y") { Description = "sine" };
    }

    private static LabeledTable Finish(double[] x, double[] y, double noise, RandomState random, bool shuffle, int classes, string description)
    {
        int n = y.Length;
        if (shuffle)
        {
            int[] order = random.Permutation(n);
            double[] xs = new double[x.Length], ys = new double[n];
            for (int i = 0; i < n; i++) (xs[2 * i], xs[2 * i + 1], ys[i]) = (x[2 * order[i]], x[2 * order[i] + 1], y[order[i]]);
            (x, y) = (xs, ys);
        }
        if (noise > 0)
        {
            double[] e = random.Normal(0, noise, n, 2);
            for (int i = 0; i < x.Length; i++) x[i] += e[i];
        }
        return Classes(x, ["x1", "x2"], y, classes, description);
    }

    /// <summary>The names of classes 0 … <paramref name="classes"/> − 1: "0", "1", ….</summary>
    internal static string[] NumberedClasses(int classes) =>
        [.. Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture))];

    private static LabeledTable Classes(double[] x, string[] names, double[] y, int classes, string description) =>
        new(new Table(names, x), y, TaskKind.Classification, NumberedClasses(classes), "label") { Description = description };

    private static void Check(int n, double noise)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!(noise >= 0)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be non-negative.");
    }
}
