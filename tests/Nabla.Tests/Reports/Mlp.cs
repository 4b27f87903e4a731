namespace Nabla.Tests.Reports;

/// <summary>
/// The demo run's network: relu hidden layers, one sigmoid output, binary cross-entropy, Adam. Weights are [out][in]
/// as in the run file; <see cref="GW"/> and <see cref="GB"/> hold the last mini-batch's mean gradients.
/// </summary>
internal sealed class Mlp
{
    public readonly double[][][] W, GW, MW, VW;
    public readonly double[][] B, GB, MB, VB;
    private int steps;

    public Mlp(int[] sizes, Random rng)
    {
        int n = sizes.Length - 1;
        double[][][] Matrices(Func<int, int, double> f) => Enumerable.Range(0, n).Select(l =>
            Enumerable.Range(0, sizes[l + 1]).Select(_ => Enumerable.Range(0, sizes[l]).Select(_ => f(l, 0)).ToArray()).ToArray()).ToArray();
        double[][] Vectors() => Enumerable.Range(0, n).Select(l => new double[sizes[l + 1]]).ToArray();
        // PyTorch's nn.Linear default: weights and biases uniform in ±1/sqrt(fan_in).
        W = Matrices((l, _) => (2 * rng.NextDouble() - 1) / Math.Sqrt(sizes[l]));
        B = Enumerable.Range(0, n).Select(l => Enumerable.Range(0, sizes[l + 1]).Select(_ => (2 * rng.NextDouble() - 1) / Math.Sqrt(sizes[l])).ToArray()).ToArray();
        GW = Matrices((_, _) => 0); MW = Matrices((_, _) => 0); VW = Matrices((_, _) => 0);
        GB = Vectors(); MB = Vectors(); VB = Vectors();
    }

    /// <summary>Every layer's output for <paramref name="x"/>: relu on hidden layers, the raw logit last.</summary>
    private double[][] Forward(IReadOnlyList<double> x)
    {
        var a = new double[W.Length + 1][];
        a[0] = x.ToArray();
        for (int l = 0; l < W.Length; l++)
        {
            a[l + 1] = new double[W[l].Length];
            for (int o = 0; o < W[l].Length; o++)
            {
                double z = B[l][o];
                for (int i = 0; i < a[l].Length; i++) z += W[l][o][i] * a[l][i];
                a[l + 1][o] = l < W.Length - 1 ? Math.Max(0, z) : z;
            }
        }
        return a;
    }

    public double Predict(IReadOnlyList<double> x) => 1 / (1 + Math.Exp(-Forward(x)[^1][0]));

    public (double Loss, double Accuracy) Evaluate(IEnumerable<(IReadOnlyList<double> X, double Y)> samples)
    {
        double loss = 0, correct = 0;
        int count = 0;
        foreach (var (x, y) in samples)
        {
            double p = Math.Clamp(Predict(x), 1e-12, 1 - 1e-12);
            loss -= y * Math.Log(p) + (1 - y) * Math.Log(1 - p);
            correct += (p >= 0.5 ? 1 : 0) == y ? 1 : 0;
            count++;
        }
        return (loss / count, correct / count);
    }

    public void Step((IReadOnlyList<double> X, double Y)[] batch, double lr)
    {
        foreach (var g in GW) foreach (var r in g) Array.Clear(r);
        foreach (var g in GB) Array.Clear(g);
        foreach (var (x, y) in batch)
        {
            var a = Forward(x);
            var delta = new[] { 1 / (1 + Math.Exp(-a[^1][0])) - y };   // ∂BCE/∂logit
            for (int l = W.Length - 1; l >= 0; l--)
            {
                var below = new double[a[l].Length];
                for (int o = 0; o < delta.Length; o++)
                {
                    GB[l][o] += delta[o] / batch.Length;
                    for (int i = 0; i < a[l].Length; i++)
                    {
                        GW[l][o][i] += delta[o] * a[l][i] / batch.Length;
                        below[i] += W[l][o][i] * delta[o];
                    }
                }
                for (int i = 0; i < below.Length; i++) below[i] *= a[l][i] > 0 ? 1 : 0;   // relu' of the layer below
                delta = below;
            }
        }
        steps++;
        double c1 = 1 - Math.Pow(0.9, steps), c2 = 1 - Math.Pow(0.999, steps);
        void Adam(double[] p, double[] g, double[] m, double[] v)
        {
            for (int i = 0; i < p.Length; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                p[i] -= lr * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + 1e-8);
            }
        }
        for (int l = 0; l < W.Length; l++)
        {
            for (int o = 0; o < W[l].Length; o++) Adam(W[l][o], GW[l][o], MW[l][o], VW[l][o]);
            Adam(B[l], GB[l], MB[l], VB[l]);
        }
    }
}
