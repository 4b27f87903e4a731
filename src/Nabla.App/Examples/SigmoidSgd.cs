using System.Runtime.CompilerServices;
using Nabla.Kernels;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Examples;

/// <summary>The mean absolute error |Y − output| at one iteration, measured after its forward pass and before its update.</summary>
public sealed record SigmoidSgdError(int Iteration, double Error);

/// <summary>Notebook 003's training run: the errors it prints and the final weights.</summary>
/// <param name="Errors">The error every <see cref="SigmoidSgd.ReportEvery"/> iterations, from iteration 0.</param>
/// <param name="W0">The input-to-hidden weights (3×4) after the last update.</param>
/// <param name="W1">The hidden-to-output weights (4×1) after the last update.</param>
public sealed record SigmoidSgdResult(IReadOnlyList<SigmoidSgdError> Errors, Matrix W0, Matrix W1);

/// <summary>
/// Notebook 003: a 3-4-1 sigmoid network without biases, X = [[0, 0, 1]], Y = [[0]], <c>np.random.seed(2)</c>,
/// W0 = 2·random((3, 4)) − 1, W1 = 2·random((4, 1)) − 1, trained by gradient descent on E = ½(Y − out)² with α = 10.
/// Each iteration: l1 = σ(X·W0), out = σ(l1·W1), δ2 = (out − Y)·out·(1 − out), δ1 = (δ2·W1ᵀ)·l1·(1 − l1),
/// W1 −= α·l1ᵀ·δ2, W0 −= α·Xᵀ·δ1 (the operation order of the NumPy reference loop, so the numbers agree).
/// </summary>
public static class SigmoidSgd
{
    /// <summary>The notebook's iteration count.</summary>
    public const int Iterations = 60_000;

    /// <summary>How often the notebook prints the error.</summary>
    public const int ReportEvery = 5_000;

    /// <summary>The step size α.</summary>
    public const double Alpha = 10.0;

    /// <summary>The initial weights drawn as the notebook draws them.</summary>
    public static (Tensor<double> W0, Tensor<double> W1) InitialWeights()
    {
        var rng = new RandomState(2);
        var w0 = rng.RandomSample(3, 4).Select(r => 2 * r - 1).ToArray();
        var w1 = rng.RandomSample(4, 1).Select(r => 2 * r - 1).ToArray();
        return (new Tensor<double>(w0, 3, 4), new Tensor<double>(w1, 4, 1));
    }

    /// <summary>
    /// The training loop on tensors allocated once: products through <see cref="Gemm"/> and the sigmoid through the
    /// tensor engine's <see cref="Ops.Sigmoid"/> kernel, both writing into the tensors' storage, so an iteration
    /// allocates nothing. This is the fast path (benchmark W1). Compiled fully optimised at once (no tiering), since a
    /// command runs it once: tier-0 code with on-stack replacement made the first run ~20× slower than later ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SigmoidSgdResult Run(int iterations = Iterations, int reportEvery = ReportEvery)
    {
        var (w0t, w1t) = InitialWeights();
        Span<double> x = [0, 0, 1];
        const double y = 0;
        Span<double> w0 = w0t.AsSpan(), w1 = w1t.AsSpan();
        Span<double> l1 = stackalloc double[4], delta1 = stackalloc double[4];
        Span<double> out2 = stackalloc double[1];
        var errors = new List<SigmoidSgdError>();
        for (int i = 0; i < iterations; i++)
        {
            Gemm.Multiply<double>(false, false, 1, 4, 3, x, 3, w0, 4, l1, 4);        // X·W0
            Ops.Sigmoid.Apply<double>(l1, l1);                                          // l1 = σ(X·W0)
            Gemm.Multiply<double>(false, false, 1, 1, 4, l1, 4, w1, 1, out2, 1);      // l1·W1
            Ops.Sigmoid.Apply<double>(out2, out2);                                      // out = σ(l1·W1)
            double output = out2[0];
            if (i % reportEvery == 0) errors.Add(new SigmoidSgdError(i, Math.Abs(y - output)));
            double delta2 = -(y - output) * output * (1 - output);
            for (int j = 0; j < 4; j++)
                delta1[j] = delta2 * w1[j] * l1[j] * (1 - l1[j]);                       // (δ2·W1ᵀ)·l1·(1 − l1), W1 before its update
            for (int j = 0; j < 4; j++) w1[j] -= Alpha * (l1[j] * delta2);             // W1 −= α·l1ᵀ·δ2
            for (int r = 0; r < 3; r++)
                for (int j = 0; j < 4; j++) w0[r * 4 + j] -= Alpha * (x[r] * delta1[j]); // W0 −= α·Xᵀ·δ1
        }
        return new SigmoidSgdResult(errors, Matrix.From(w0t), Matrix.From(w1t));
    }

    /// <summary>
    /// The same loop written op by op with tensor operators under <see cref="NoGrad"/> (a new tensor per op), kept to
    /// measure the tensor engine's per-op cost on 1×4 matrices against <see cref="Run"/>.
    /// </summary>
    public static SigmoidSgdResult RunWithTensorOps(int iterations = Iterations, int reportEvery = ReportEvery)
    {
        var (w0, w1) = InitialWeights();
        var x = Tensor.FromArray(new double[,] { { 0, 0, 1 } });
        var y = Tensor.FromArray(new double[,] { { 0 } });
        var xT = x.Transpose();
        var errors = new List<SigmoidSgdError>();
        using var noGrad = NoGrad.Scope();
        for (int i = 0; i < iterations; i++)
        {
            var l1 = x.MatMul(w0).Sigmoid();
            var output = l1.MatMul(w1).Sigmoid();
            var dEdOut = -(y - output);
            if (i % reportEvery == 0) errors.Add(new SigmoidSgdError(i, (y - output).Abs().Mean().ToScalar()));
            var delta2 = dEdOut * output * (1.0 - output);
            var delta1 = delta2.MatMul(w1.Transpose()) * l1 * (1.0 - l1);
            w1.CopyFrom(w1 - Alpha * l1.Transpose().MatMul(delta2));
            w0.CopyFrom(w0 - Alpha * xT.MatMul(delta1));
        }
        return new SigmoidSgdResult(errors, Matrix.From(w0), Matrix.From(w1));
    }
}
