using Nabla.Checking;
using Nabla.Examples;
using Nabla.Tensors;

namespace Nabla.Explain.Attention;

/// <summary>
/// One attention head (3 tokens, d = 2, Q, K, V given directly) and the loss L = ½‖O − T‖², explained twice — without
/// a mask and with the causal one — by the formulas of <see cref="AttentionHead"/>. Beside every gradient stand the tensor
/// engine's (Backward through the fused <see cref="Tensor{T}.ScaledDotProductAttention(Tensor{T}, Tensor{T}, Tensor{T}, bool, Tensor{T}?, double?)"/>)
/// and central differences of L computed by <see cref="GradCheck"/> from the engine's forward pass.
/// </summary>
public sealed class AttentionExplanation
{
    /// <summary>Formulas and engine must agree to this (both are exact up to rounding).</summary>
    public const double EngineTolerance = 1e-12;
    /// <summary>Formulas and central differences must agree to this (|a − n| ≤ 1e-6; the differences' own error is near 1e-10).</summary>
    public const double DifferenceTolerance = 1e-6;
    /// <summary>The central-difference step h.</summary>
    public const double Step = 1e-6;
    /// <summary>The row whose softmax Jacobian is written out.</summary>
    public const int JacobianRow = 0;

    /// <summary>The queries, one row per token.</summary>
    public Matrix Q { get; } = new(3, 2, [1, 0, 0, 1, 1, 1]);
    /// <summary>The keys, one row per token.</summary>
    public Matrix K { get; } = new(3, 2, [1, 1, 2, -1, -1, 1]);
    /// <summary>The values, one row per token.</summary>
    public Matrix V { get; } = new(3, 2, [1, 0, 0, 2, 2, 1]);
    /// <summary>The target T of the loss.</summary>
    public Matrix T { get; } = new(3, 2, [1, 1, 0, 1, 1, 0]);

    /// <summary>The head without a mask.</summary>
    public AttentionHeadCheck Full { get; }
    /// <summary>The same head with the causal mask.</summary>
    public AttentionHeadCheck Causal { get; }
    /// <summary>diag(p) − p·pᵀ for p = row <see cref="JacobianRow"/> of the full head's P.</summary>
    public Matrix Jacobian { get; }
    /// <summary>J·dp, dp = row <see cref="JacobianRow"/> of dP: the same numbers as that row of dS.</summary>
    public double[] JacobianTimesUpstream { get; }

    private AttentionExplanation()
    {
        Full = Check(causal: false);
        Causal = Check(causal: true);
        Jacobian = Full.Head.SoftmaxJacobian(JacobianRow);
        JacobianTimesUpstream = Full.Head.JacobianTimesUpstream(Jacobian, JacobianRow);
    }

    /// <summary>The example at its fixed numbers.</summary>
    public static AttentionExplanation Create() => new();

    /// <summary>|J·dp − dS[row, :]|, largest entry: the Jacobian route and the shortcut agree.</summary>
    public double JacobianError
    {
        get
        {
            double worst = 0;
            for (int j = 0; j < JacobianTimesUpstream.Length; j++)
                worst = Math.Max(worst, Math.Abs(JacobianTimesUpstream[j] - Full.Head.ScoreGradient[JacobianRow, j]));
            return worst;
        }
    }

    /// <summary>True when, for both heads, the engine agrees with the formulas to <see cref="EngineTolerance"/> and the
    /// formulas with central differences to <see cref="DifferenceTolerance"/>, and J·dp equals the shortcut.</summary>
    public bool Passed => Full.Passed && Causal.Passed && JacobianError <= EngineTolerance;

    private AttentionHeadCheck Check(bool causal)
    {
        var head = AttentionHead.Compute(Q, K, V, T, causal);
        var q = Leaf(Q);
        var k = Leaf(K);
        var v = Leaf(V);
        var o = Tensor<double>.ScaledDotProductAttention(q, k, v, causal);
        var diff = o - new Tensor<double>(T.Values, T.Rows, T.Columns);
        var loss = (diff * diff).Sum() * 0.5;
        loss.Backward();
        var engine = new AttentionGradients(Matrix.From(q.Grad!), Matrix.From(k.Grad!), Matrix.From(v.Grad!));
        var (numeric, report) = Differences(head, causal);
        return new AttentionHeadCheck(head, Matrix.From(o.Detach()), loss.ToScalar(), engine, numeric, report);
    }

    private static Tensor<double> Leaf(Matrix m) => new Tensor<double>((double[])m.Values.Clone(), m.Rows, m.Columns).RequireGrad();

    // Central differences of L through the engine's forward pass, one variable per entry of Q, K and V ("Q[0,1]").
    private (AttentionGradients Gradients, GradCheckReport Report) Differences(AttentionHead head, bool causal)
    {
        var inputs = new[] { ("Q", Q), ("K", K), ("V", V) };
        var at = new Dictionary<string, double>();
        var analytic = new Dictionary<string, double>();
        var formulas = new[] { head.QueryGradient, head.KeyGradient, head.ValueGradient };
        for (int n = 0; n < inputs.Length; n++)
        {
            var (name, m) = inputs[n];
            for (int i = 0; i < m.Rows; i++)
                for (int j = 0; j < m.Columns; j++)
                {
                    at[Entry(name, i, j)] = m[i, j];
                    analytic[Entry(name, i, j)] = formulas[n][i, j];
                }
        }
        var options = GradCheckOptions.Central with { Step = Step, AbsoluteTolerance = DifferenceTolerance, RelativeTolerance = 0 };
        var report = GradCheck.Check(values => EngineLoss(values, causal), at, analytic, options);
        var numeric = report.Entries.ToDictionary(e => e.Name, e => e.Numeric);
        Matrix Of(string name, Matrix m) =>
            new(m.Rows, m.Columns, [.. Enumerable.Range(0, m.Values.Length).Select(e => numeric[Entry(name, e / m.Columns, e % m.Columns)])]);
        return (new AttentionGradients(Of("Q", Q), Of("K", K), Of("V", V)), report);
    }

    private double EngineLoss(IReadOnlyDictionary<string, double> values, bool causal)
    {
        Tensor<double> Read(string name, Matrix shape) => new(
            [.. Enumerable.Range(0, shape.Values.Length).Select(e => values[Entry(name, e / shape.Columns, e % shape.Columns)])], shape.Rows, shape.Columns);
        using (NoGrad.Scope())
        {
            var o = Tensor<double>.ScaledDotProductAttention(Read("Q", Q), Read("K", K), Read("V", V), causal);
            var diff = o - new Tensor<double>(T.Values, T.Rows, T.Columns);
            return (diff * diff).Sum().ToScalar() * 0.5;
        }
    }

    private static string Entry(string matrix, int i, int j) => $"{matrix}[{i},{j}]";
}

/// <summary>dQ, dK, dV from one route: the engine's Backward, or central differences.</summary>
/// <param name="Query">∂L/∂Q.</param>
/// <param name="Key">∂L/∂K.</param>
/// <param name="Value">∂L/∂V.</param>
public sealed record AttentionGradients(Matrix Query, Matrix Key, Matrix Value);

/// <summary>One head by the formulas, the engine's gradients and central differences, and how far apart they are.</summary>
/// <param name="Head">The formulas' numbers.</param>
/// <param name="EngineOutput">O from the engine's forward pass.</param>
/// <param name="EngineLoss">L from the engine.</param>
/// <param name="Engine">The engine's gradients (Backward through the fused op).</param>
/// <param name="Numeric">Central differences of L.</param>
/// <param name="Report">The check of the formulas' gradients against central differences.</param>
public sealed record AttentionHeadCheck(AttentionHead Head, Matrix EngineOutput, double EngineLoss, AttentionGradients Engine, AttentionGradients Numeric, GradCheckReport Report)
{
    /// <summary>The largest |formula − engine| over O, L, dQ, dK and dV.</summary>
    public double EngineError =>
        new[] { (Head.Output, EngineOutput), (Head.QueryGradient, Engine.Query), (Head.KeyGradient, Engine.Key), (Head.ValueGradient, Engine.Value) }
            .SelectMany(pair => pair.Item1.Values.Zip(pair.Item2.Values, (a, b) => Math.Abs(a - b)))
            .Append(Math.Abs(Head.Loss - EngineLoss)).Max();

    /// <summary>The largest |formula − central difference| over dQ, dK and dV.</summary>
    public double DifferenceError => Report.Entries.Max(e => e.AbsError);

    /// <summary>Engine within <see cref="AttentionExplanation.EngineTolerance"/> of the formulas, and every gradient within
    /// <see cref="AttentionExplanation.DifferenceTolerance"/> of central differences.</summary>
    public bool Passed => EngineError <= AttentionExplanation.EngineTolerance && Report.Passed;
}
