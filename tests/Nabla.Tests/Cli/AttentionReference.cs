namespace Nabla.Tests.Cli;

/// <summary>
/// One attention head and L = ½‖O − T‖² recomputed for the tests with plain loops over <c>double[,]</c>, written from
/// the definitions (no tensor engine, nothing shared with the code under test): S = Q·Kᵀ/√d (−∞ above the diagonal when
/// causal), P = softmax by rows, O = P·V, and the gradients, which <see cref="Differences"/> confirms.
/// </summary>
internal sealed class AttentionReference
{
    public static readonly double[,] Q = { { 1, 0 }, { 0, 1 }, { 1, 1 } };
    public static readonly double[,] K = { { 1, 1 }, { 2, -1 }, { -1, 1 } };
    public static readonly double[,] V = { { 1, 0 }, { 0, 2 }, { 2, 1 } };
    public static readonly double[,] T = { { 1, 1 }, { 0, 1 }, { 1, 0 } };

    public double[,] S = new double[3, 3], P = new double[3, 3], O = new double[3, 2];
    public double[,] DO = new double[3, 2], DV = new double[3, 2], DP = new double[3, 3], DS = new double[3, 3];
    public double[,] DQ = new double[3, 2], DK = new double[3, 2];
    public double[] ExpSums = new double[3], RowSums = new double[3], C = new double[3];
    public double Loss;

    public AttentionReference(bool causal) : this(Q, K, V, causal) { }

    private AttentionReference(double[,] q, double[,] k, double[,] v, bool causal)
    {
        double root = Math.Sqrt(2);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                S[i, j] = causal && j > i ? double.NegativeInfinity : (q[i, 0] * k[j, 0] + q[i, 1] * k[j, 1]) / root;
                ExpSums[i] += Math.Exp(S[i, j]);
            }
            for (int j = 0; j < 3; j++)
            {
                P[i, j] = Math.Exp(S[i, j]) / ExpSums[i];
                RowSums[i] += P[i, j];
            }
            for (int c = 0; c < 2; c++)
            {
                for (int j = 0; j < 3; j++) O[i, c] += P[i, j] * v[j, c];
                DO[i, c] = O[i, c] - T[i, c];
                Loss += 0.5 * DO[i, c] * DO[i, c];
            }
        }
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int c = 0; c < 2; c++)
                {
                    DV[j, c] += P[i, j] * DO[i, c];
                    DP[i, j] += DO[i, c] * v[j, c];
                }
                C[i] += DP[i, j] * P[i, j];
            }
            for (int j = 0; j < 3; j++) DS[i, j] = P[i, j] * (DP[i, j] - C[i]);
        }
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int c = 0; c < 2; c++)
                {
                    DQ[i, c] += DS[i, j] * k[j, c] / root;
                    DK[j, c] += DS[i, j] * q[i, c] / root;
                }
    }

    /// <summary>J[j, k] = ∂P[row, j]/∂S[row, k] = P[row, j]·(δ_jk − P[row, k]).</summary>
    public double[,] Jacobian(int row)
    {
        var j = new double[3, 3];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) j[a, b] = P[row, a] * ((a == b ? 1 : 0) - P[row, b]);
        return j;
    }

    /// <summary>Central differences (h = 1e-6) of L over every entry of Q, K and V: (dQ, dK, dV).</summary>
    public static (double[,] Q, double[,] K, double[,] V) Differences(bool causal)
    {
        double[,] Of(int which)
        {
            var g = new double[3, 2];
            for (int i = 0; i < 3; i++)
                for (int c = 0; c < 2; c++)
                {
                    double Moved(double h)
                    {
                        var inputs = new[] { (double[,])Q.Clone(), (double[,])K.Clone(), (double[,])V.Clone() };
                        inputs[which][i, c] += h;
                        return new AttentionReference(inputs[0], inputs[1], inputs[2], causal).Loss;
                    }
                    g[i, c] = (Moved(1e-6) - Moved(-1e-6)) / 2e-6;
                }
            return g;
        }
        return (Of(0), Of(1), Of(2));
    }
}
