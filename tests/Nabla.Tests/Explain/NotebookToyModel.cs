using Nabla.Examples;
namespace Nabla.Tests.Explain;

/// <summary>The 24 numbers notebook 004 prints (3 decimals), by the names the explanation uses.</summary>
internal static class NotebookToyModel
{
    public static readonly (string Name, double Value)[] Forward =
    [
        ("f0", 1.230), ("h1", 0.942), ("f1", 1.623), ("h2", 5.068), ("f2", 7.137), ("h3", 0.657), ("f3", 2.372),
    ];

    public static readonly (string Name, double Value)[] Backward =
    [
        ("f3", 0.745), ("h3", 2.234), ("f2", -1.683), ("h2", -3.366), ("f1", -17.060), ("h1", 6.824), ("f0", 2.281),
    ];

    public static readonly (string Name, double Value)[] Parameters =
    [
        ("beta3", 0.745), ("omega3", 0.489), ("beta2", -1.683), ("omega2", -8.530),
        ("beta1", -17.060), ("omega1", -16.079), ("beta0", 2.281),
    ];

    /// <summary>
    /// ∂ℓ/∂ω0 by the notebook's closed form (its <c>dldomega0_func</c>), the one parameter derivative it
    /// prints without a "true value"; written out here from the notebook, not from Nabla.
    /// </summary>
    public static double OmegaZeroByHand()
    {
        double[] b = Notebook004.Betas, w = Notebook004.Omegas;
        double beta0 = b[0], beta1 = b[1], beta2 = b[2], beta3 = b[3], omega0 = w[0], omega1 = w[1], omega2 = w[2], omega3 = w[3];
        double x = Notebook004.X, y = Notebook004.Y;
        return -2 * (beta3 + omega3 * Math.Cos(beta2 + omega2 * Math.Exp(beta1 + omega1 * Math.Sin(beta0 + omega0 * x))) - y)
            * omega1 * omega2 * omega3 * x * Math.Cos(beta0 + omega0 * x) * Math.Exp(beta1 + omega1 * Math.Sin(beta0 + omega0 * x))
            * Math.Sin(beta2 + omega2 * Math.Exp(beta1 + omega1 * Math.Sin(beta0 + omega0 * x)));
    }

    /// <summary>The loss computed directly with Math, in the order the formula evaluates it.</summary>
    public static double LossByHand()
    {
        double[] b = Notebook004.Betas, w = Notebook004.Omegas;
        double f0 = b[0] + w[0] * Notebook004.X, h1 = Math.Sin(f0), f1 = b[1] + w[1] * h1, h2 = Math.Exp(f1);
        double f2 = b[2] + w[2] * h2, h3 = Math.Cos(f2), f3 = b[3] + w[3] * h3;
        return Math.Pow(f3 - Notebook004.Y, 2);
    }

    /// <summary>True when <paramref name="actual"/> prints as <paramref name="printed"/> with 3 decimals (|a − p| ≤ 0.0005).</summary>
    public static bool PrintsAs(double actual, double printed) => Math.Abs(actual - printed) <= 0.0005 + 1e-12;
}
