namespace Nabla.Examples;

/// <summary>
/// The numbers of notebook 004 (UDL book, notebook 7.1), in one place for the examples, the CLI's default formula,
/// the tests and the benchmarks: f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))), ℓ = (f − y)², at
/// β = (1, 2, −3, 0.4), ω = (0.1, −0.4, 2, 3), x = 2.3, y = 2.
/// </summary>
public static class Notebook004
{
    /// <summary>β0 … β3.</summary>
    public static double[] Betas => [1.0, 2.0, -3.0, 0.4];

    /// <summary>ω0 … ω3.</summary>
    public static double[] Omegas => [0.1, -0.4, 2.0, 3.0];

    /// <summary>The data point's input.</summary>
    public const double X = 2.3;

    /// <summary>The data point's target.</summary>
    public const double Y = 2.0;

    /// <summary>
    /// The model as formula statements with the notebook's names, written as its intermediates f0, h1, f1, h2, f2,
    /// h3, f3 so an explanation reads line by line against the notebook; its output is <c>l</c>.
    /// </summary>
    public const string Formula =
        "f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1; h2 = exp(f1); " +
        "f2 = beta2 + omega2*h2; h3 = cos(f2); f3 = beta3 + omega3*h3; l = (f3 - y)^2";

    /// <summary>The notebook's values for every variable of <see cref="Formula"/>.</summary>
    public static IReadOnlyDictionary<string, double> At { get; } = Values();

    private static Dictionary<string, double> Values()
    {
        var at = new Dictionary<string, double>();
        for (int i = 0; i < 4; i++) at[$"beta{i}"] = Betas[i];
        for (int i = 0; i < 4; i++) at[$"omega{i}"] = Omegas[i];
        at["x"] = X;
        at["y"] = Y;
        return at;
    }
}
