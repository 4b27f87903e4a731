using Nabla.Examples;

namespace Nabla.Explain.Attention;

/// <summary>
/// One attention head and the loss L = ½‖O − T‖², forward and backward, written as the formulas a learner reads, with
/// plain loops over small matrices (no tensor engine): S = Q·Kᵀ/√d (−∞ above the diagonal when causal),
/// P = softmax(S) row by row, O = P·V; then dO = O − T, dV = Pᵀ·dO, dP = dO·Vᵀ, c = rowsum(dP ⊙ P),
/// dS = P ⊙ (dP − c), dQ = dS·K/√d, dK = dSᵀ·Q/√d. Q and K are [n, d], V and T are [n, dv].
/// </summary>
public sealed class AttentionHead
{
    private AttentionHead() { }

    /// <summary>True when query i sees keys j ≤ i only.</summary>
    public bool Causal { get; private init; }
    /// <summary>The scores S = Q·Kᵀ/√d, with −∞ where the causal mask hides a key.</summary>
    public required Matrix Scores { get; init; }
    /// <summary>P = softmax(S), each row exp(S[i, j]) / Σ_k exp(S[i, k]); exactly 0 where S is −∞.</summary>
    public required Matrix Probabilities { get; init; }
    /// <summary>Σ_k exp(S[i, k]) for each row i: the softmax's denominators.</summary>
    public required double[] ExpSums { get; init; }
    /// <summary>Σ_j P[i, j] for each row i (1 up to rounding).</summary>
    public required double[] RowSums { get; init; }
    /// <summary>O = P·V.</summary>
    public required Matrix Output { get; init; }
    /// <summary>L = ½·Σ (O − T)².</summary>
    public double Loss { get; private init; }
    /// <summary>dO = ∂L/∂O = O − T.</summary>
    public required Matrix OutputGradient { get; init; }
    /// <summary>dV = Pᵀ·dO.</summary>
    public required Matrix ValueGradient { get; init; }
    /// <summary>dP = dO·Vᵀ.</summary>
    public required Matrix ProbabilityGradient { get; init; }
    /// <summary>c[i] = Σ_j dP[i, j]·P[i, j]: what the shortcut subtracts from each row of dP.</summary>
    public required double[] RowDots { get; init; }
    /// <summary>dS = P ⊙ (dP − c): the gradient of the scores; each row sums to 0.</summary>
    public required Matrix ScoreGradient { get; init; }
    /// <summary>dQ = dS·K/√d.</summary>
    public required Matrix QueryGradient { get; init; }
    /// <summary>dK = dSᵀ·Q/√d.</summary>
    public required Matrix KeyGradient { get; init; }

    /// <summary>The head at <paramref name="q"/>, <paramref name="k"/>, <paramref name="v"/> with target <paramref name="t"/>.</summary>
    /// <exception cref="NablaException">The shapes do not fit together.</exception>
    public static AttentionHead Compute(Matrix q, Matrix k, Matrix v, Matrix t, bool causal)
    {
        if (k.Columns != q.Columns || k.Rows != v.Rows || t.Rows != q.Rows || t.Columns != v.Columns)
            throw new NablaException($"attention head: Q [{q.Rows}, {q.Columns}], K [{k.Rows}, {k.Columns}], V [{v.Rows}, {v.Columns}] and T [{t.Rows}, {t.Columns}] do not fit (K needs Q's columns, V K's rows, T Q's rows and V's columns)");
        int n = q.Rows, m = k.Rows;
        double root = Math.Sqrt(q.Columns);
        var s = Build(n, m, (i, j) => causal && j > i ? double.NegativeInfinity : Dot(q, i, k, j) / root);
        var expSums = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) expSums[i] += Math.Exp(s[i, j]);
        var p = Build(n, m, (i, j) => Math.Exp(s[i, j]) / expSums[i]);
        var o = Product(p, v);
        var dO = Build(n, v.Columns, (i, j) => o[i, j] - t[i, j]);
        var dP = Build(n, m, (i, j) => Dot(dO, i, v, j));
        var rowDots = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) rowDots[i] += dP[i, j] * p[i, j];
        var dS = Build(n, m, (i, j) => p[i, j] * (dP[i, j] - rowDots[i]));
        return new AttentionHead
        {
            Causal = causal, Scores = s, Probabilities = p, ExpSums = expSums, RowSums = Sums(p), Output = o,
            Loss = 0.5 * dO.Values.Sum(e => e * e), OutputGradient = dO,
            ValueGradient = Product(Transpose(p), dO), ProbabilityGradient = dP, RowDots = rowDots, ScoreGradient = dS,
            QueryGradient = Scale(Product(dS, k), 1 / root), KeyGradient = Scale(Product(Transpose(dS), q), 1 / root),
        };
    }

    /// <summary>The softmax Jacobian of row <paramref name="row"/>: J[j, k] = ∂P[row, j]/∂S[row, k] = p_j·(δ_jk − p_k), i.e. diag(p) − p·pᵀ.</summary>
    public Matrix SoftmaxJacobian(int row)
    {
        if ((uint)row >= (uint)Probabilities.Rows)
            throw new NablaArgumentException(nameof(row), $"the softmax Jacobian's row is {row}, outside the {Probabilities.Rows} rows of P");
        var p = Probabilities;
        return Build(p.Columns, p.Columns, (j, k) => (j == k ? p[row, j] : 0) - p[row, j] * p[row, k]);
    }

    /// <summary>J·dP[row, :] for <paramref name="jacobian"/> = <see cref="SoftmaxJacobian"/>(row): the chain rule through the softmax, term by term.</summary>
    public double[] JacobianTimesUpstream(Matrix jacobian, int row)
    {
        var result = new double[jacobian.Rows];
        for (int j = 0; j < jacobian.Rows; j++)
            for (int k = 0; k < jacobian.Columns; k++) result[j] += jacobian[j, k] * ProbabilityGradient[row, k];
        return result;
    }

    /// <summary>Σ_j m[i, j] for each row i.</summary>
    public static double[] Sums(Matrix m)
    {
        var sums = new double[m.Rows];
        for (int i = 0; i < m.Rows; i++)
            for (int j = 0; j < m.Columns; j++) sums[i] += m[i, j];
        return sums;
    }

    private static Matrix Build(int rows, int columns, Func<int, int, double> element)
    {
        var values = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) values[i * columns + j] = element(i, j);
        return new Matrix(rows, columns, values);
    }

    // Row i of a times row j of b: with b = K this is q_i·k_j, with b = V it is dO_i·v_j.
    private static double Dot(Matrix a, int i, Matrix b, int j)
    {
        double sum = 0;
        for (int e = 0; e < a.Columns; e++) sum += a[i, e] * b[j, e];
        return sum;
    }

    private static Matrix Product(Matrix a, Matrix b) => Build(a.Rows, b.Columns, (i, j) =>
    {
        double sum = 0;
        for (int e = 0; e < a.Columns; e++) sum += a[i, e] * b[e, j];
        return sum;
    });

    private static Matrix Transpose(Matrix a) => Build(a.Columns, a.Rows, (i, j) => a[j, i]);
    private static Matrix Scale(Matrix a, double factor) => Build(a.Rows, a.Columns, (i, j) => a[i, j] * factor);
}
