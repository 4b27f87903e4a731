using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Scalars;
using Nabla.Tests.Functional;
using Nabla.Examples;

namespace Nabla.Tests.Scalars;

/// <summary>
/// Hessians from the scalar engine (forward-over-reverse on the recorded graph, and nested forward mode) against
/// PyTorch's <c>torch.autograd.functional.hessian</c>, computed by a script here: notebook 004's toy model and the
/// loss of a small tanh MLP as functions of their parameters. Reported as skipped (Assert.Skip in TorchHessians.Require) when Python with torch is not installed.
/// </summary>
public class TorchHessianTests
{
    private static double[,] Matrix(double[][] rows)
    {
        var h = new double[rows.Length, rows.Length];
        for (int i = 0; i < rows.Length; i++) for (int j = 0; j < rows.Length; j++) h[i, j] = rows[i][j];
        return h;
    }

    private static void AssertClose(double[,] expected, double[,] actual, string what)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        for (int i = 0; i < expected.GetLength(0); i++)
        for (int j = 0; j < expected.GetLength(1); j++)
            Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i, j])),
                $"{what} H[{i},{j}]: PyTorch {expected[i, j]:R}, Nabla {actual[i, j]:R}");
    }

    [Fact]
    public void Toy_model_hessian_over_its_parameters_equals_pytorchs()
    {
        TorchHessians.Require();
        var parameters = TorchHessians.ToyParameters;
        var at = Notebook004.At;
        var expected = Matrix(TorchHessians.ToyModel());

        var graph = Formula.Parse(Notebook004.Formula).Evaluate(at);
        var leaves = parameters.Select(n => graph.Variables[n]).ToList();
        AssertClose(expected, graph.Output.Hessian(leaves), "toy model, forward-over-reverse");

        double[] point = parameters.Select(n => at[n]).ToArray();
        Dual Loss(Dual[] p)
        {
            Dual Sin(Dual v) => Dual.Apply<Nabla.Ops.Sin>(v);
            Dual Exp(Dual v) => Dual.Apply<Nabla.Ops.Exp>(v);
            Dual Cos(Dual v) => Dual.Apply<Nabla.Ops.Cos>(v);
            var f3 = p[6] + p[7] * Cos(p[4] + p[5] * Exp(p[2] + p[3] * Sin(p[0] + p[1] * at["x"])));
            var d = f3 - at["y"];
            return d * d;
        }
        AssertClose(expected, ForwardMode.Hessian(Loss, point), "toy model, nested forward mode");
    }

    [Fact]
    public void Small_mlp_loss_hessian_and_hvp_equal_pytorchs()
    {
        TorchHessians.Require();
        // A 2-3-1 MLP (tanh hidden layer), mean squared error over four rows, as a function of its 13 parameters.
        double[][] xs = TorchHessians.MlpInputs;
        double[] ys = TorchHessians.MlpTargets;
        var p0 = TorchHessians.MlpParameters;
        var expected = Matrix(TorchHessians.Mlp());

        var parameters = p0.Select((v, i) => new Value(v, $"p{i}")).ToArray();
        Value total = 0.0;
        for (int r = 0; r < xs.Length; r++)
        {
            Value output = parameters[12];
            for (int h = 0; h < 3; h++)
            {
                var hidden = Value.Tanh(parameters[6 + h] + parameters[2 * h] * xs[r][0] + parameters[2 * h + 1] * xs[r][1]);
                output = output + parameters[9 + h] * hidden;
            }
            var d = output - ys[r];
            total = total + d * d;
        }
        var loss = total / xs.Length;
        AssertClose(expected, loss.Hessian(parameters), "MLP loss, forward-over-reverse");

        // H·v in one pass equals the PyTorch Hessian times v.
        var v = Enumerable.Range(0, 13).Select(i => Math.Cos(i * 0.9)).ToArray();
        var hv = loss.Hvp(parameters, v);
        for (int i = 0; i < 13; i++)
        {
            double reference = Enumerable.Range(0, 13).Sum(j => expected[i, j] * v[j]);
            Assert.True(Math.Abs(reference - hv[i]) <= 1e-9 * Math.Max(1, Math.Abs(reference)), $"(H·v)[{i}]: PyTorch {reference:R}, Nabla {hv[i]:R}");
        }
    }
}
