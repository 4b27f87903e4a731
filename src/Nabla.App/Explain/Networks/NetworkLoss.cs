namespace Nabla.Explain.Networks;

/// <summary>
/// A loss on a network's output column a (and a target), with its gradient ∂L/∂a: the first δ of the backward pass.
/// </summary>
/// <param name="Name">The loss's short name (<c>sum-squares</c>, <c>mse</c>, <c>bce</c> …).</param>
/// <param name="Text">The loss written out, e.g. <c>L = Σ (a − y)²</c>.</param>
/// <param name="GradientText">∂L/∂a written out, e.g. <c>2(a − y)</c>.</param>
/// <param name="Value">L(a, y).</param>
/// <param name="Gradient">∂L/∂a(a, y), one entry per output.</param>
public sealed record NetworkLoss(string Name, string Text, string GradientText,
    Func<double[], double[], double> Value, Func<double[], double[], double[]> Gradient)
{
    /// <summary>L = Σ (a − y)², ∂L/∂a = 2(a − y): notebook 001's least-squares loss.</summary>
    public static NetworkLoss SumSquares { get; } = new("sum-squares", "L = Σ (a − y)²", "2(a − y)",
        (a, y) => a.Select((v, i) => (v - y[i]) * (v - y[i])).Sum(), (a, y) => a.Select((v, i) => 2 * (v - y[i])).ToArray());

    /// <summary>L = ½ Σ (y − a)², ∂L/∂a = a − y: notebook 003's error.</summary>
    public static NetworkLoss HalfSquares { get; } = new("half-squares", "L = ½ Σ (y − a)²", "a − y",
        (a, y) => 0.5 * a.Select((v, i) => (y[i] - v) * (y[i] - v)).Sum(), (a, y) => a.Select((v, i) => v - y[i]).ToArray());

    /// <summary>L = Σ a, ∂L/∂a = 1: the output itself is differentiated (notebook 002's neuron).</summary>
    public static NetworkLoss Output { get; } = new("output", "L = Σ a (the output itself)", "1",
        (a, _) => a.Sum(), (a, _) => a.Select(_ => 1.0).ToArray());

    /// <summary>L = mean (a − y)², ∂L/∂a = 2(a − y)/n: the training loss "mse" on one row (the target standardised).</summary>
    public static NetworkLoss Mse { get; } = new("mse", "L = mean (a − y)²", "2(a − y)/n",
        (a, y) => a.Select((v, i) => (v - y[i]) * (v - y[i])).Average(), (a, y) => a.Select((v, i) => 2 * (v - y[i]) / a.Length).ToArray());

    /// <summary>L = log(1 + eᵃ) − y·a (binary cross-entropy on the logit a), ∂L/∂a = σ(a) − y.</summary>
    public static NetworkLoss Bce { get; } = new("bce", "L = log(1 + e^a) − y·a (binary cross-entropy with logits)", "σ(a) − y",
        (a, y) => a.Select((v, i) => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v))) - y[i] * v).Average(),
        (a, y) => a.Select((v, i) => (1 / (1 + Math.Exp(-v)) - y[i]) / a.Length).ToArray());

    /// <summary>L = −log softmax(a)_c for the class c (y is one-hot), ∂L/∂a = softmax(a) − y.</summary>
    public static NetworkLoss CrossEntropy { get; } = new("ce", "L = −log softmax(a)_c (cross-entropy, y one-hot)", "softmax(a) − y",
        (a, y) => { double m = a.Max(), log = m + Math.Log(a.Sum(v => Math.Exp(v - m))); return a.Select((v, i) => y[i] * (log - v)).Sum(); },
        (a, y) => { var p = Softmax(a); return p.Select((v, i) => v - y[i]).ToArray(); });

    /// <summary>L = max(0, 1 − y·a) with y = ±1, ∂L/∂a = −y where 1 − y·a &gt; 0, else 0.</summary>
    public static NetworkLoss Hinge { get; } = new("hinge", "L = max(0, 1 − y·a), y = ±1", "−y if y·a < 1, else 0",
        (a, y) => a.Select((v, i) => Math.Max(0, 1 - y[i] * v)).Average(),
        (a, y) => a.Select((v, i) => 1 - y[i] * v > 0 ? -y[i] / a.Length : 0).ToArray());

    private static double[] Softmax(double[] a)
    {
        double m = a.Max();
        var e = a.Select(v => Math.Exp(v - m)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
