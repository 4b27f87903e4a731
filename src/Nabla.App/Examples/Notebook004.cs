namespace Nabla.Explain;

/// <summary>
/// The toy model of notebook 004 (UDL book, notebook 7.1), with the notebook's names and values:
/// f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))), ℓ = (f − y)², written as its
/// intermediates f0, h1, f1, h2, f2, h3, f3 so an explanation reads line by line against the notebook.
/// </summary>
public static class ToyModel
{
    /// <summary>The model as formula statements; its output is <c>l</c>.</summary>
    public const string Formula =
        "f0 = beta0 + omega0*x; h1 = sin(f0); f1 = beta1 + omega1*h1; h2 = exp(f1); " +
        "f2 = beta2 + omega2*h2; h3 = cos(f2); f3 = beta3 + omega3*h3; l = (f3 - y)^2";

    /// <summary>The notebook's values: β = (1, 2, −3, 0.4), ω = (0.1, −0.4, 2, 3), x = 2.3, y = 2.</summary>
    public static IReadOnlyDictionary<string, double> At { get; } = new Dictionary<string, double>
    {
        ["beta0"] = 1.0, ["beta1"] = 2.0, ["beta2"] = -3.0, ["beta3"] = 0.4,
        ["omega0"] = 0.1, ["omega1"] = -0.4, ["omega2"] = 2.0, ["omega3"] = 3.0,
        ["x"] = 2.3, ["y"] = 2.0,
    };
}
