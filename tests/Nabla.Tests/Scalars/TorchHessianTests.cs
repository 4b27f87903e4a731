using System.Globalization;
using System.Text.Json;
using Nabla.Explain;
using Nabla.Formulas;
using Nabla.Scalars;
using Nabla.Tests.Training;

namespace Nabla.Tests.Scalars;

/// <summary>
/// Hessians from the scalar engine (forward-over-reverse on the recorded graph, and nested forward mode) against
/// PyTorch's <c>torch.autograd.functional.hessian</c>, computed by a script here: notebook 004's toy model and the
/// loss of a small tanh MLP as functions of their parameters. Skipped when Python with torch is not installed.
/// </summary>
public class TorchHessianTests
{
    private static void RequireTorch()
    {
        if (!Python.Has("torch")) Assert.Skip("python3 with torch is not installed (apt-get install python3-torch), so the Hessians were not compared with PyTorch.");
    }

    private static double[,] Torch(string script)
    {
        using var doc = JsonDocument.Parse(Python.Run("-c", script));
        var rows = doc.RootElement.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
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

    private static string Py(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void Toy_model_hessian_over_its_parameters_equals_pytorchs()
    {
        RequireTorch();
        string[] parameters = ["beta0", "omega0", "beta1", "omega1", "beta2", "omega2", "beta3", "omega3"];
        var at = ToyModel.At;
        string script = $$"""
            import json, torch
            from torch.autograd.functional import hessian
            x, y = {{Py(at["x"])}}, {{Py(at["y"])}}
            def l(p):
                b0, w0, b1, w1, b2, w2, b3, w3 = p
                f3 = b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))
                return (f3 - y) ** 2
            p = torch.tensor([{{string.Join(", ", parameters.Select(n => Py(at[n])))}}], dtype=torch.float64)
            print(json.dumps(hessian(l, p).tolist()))
            """;
        var expected = Torch(script);

        var graph = Formula.Parse(ToyModel.Formula).Evaluate(at);
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
        RequireTorch();
        // A 2-3-1 MLP (tanh hidden layer), mean squared error over four rows, as a function of its 13 parameters.
        double[][] xs = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.8], [0.1, 0.3]];
        double[] ys = [0.2, -0.4, 1.0, 0.5];
        var p0 = Enumerable.Range(0, 13).Select(i => Math.Round(Math.Sin(i * 1.7 + 0.3) * 0.8, 6)).ToArray();
        string script = $$"""
            import json, torch
            from torch.autograd.functional import hessian
            X = torch.tensor({{JsonSerializer.Serialize(xs)}}, dtype=torch.float64)
            Y = torch.tensor({{JsonSerializer.Serialize(ys)}}, dtype=torch.float64)
            def loss(p):
                W1 = p[0:6].reshape(3, 2); b1 = p[6:9]; W2 = p[9:12].reshape(1, 3); b2 = p[12:13]
                out = (torch.tanh(X @ W1.T + b1) @ W2.T + b2).reshape(-1)
                return ((out - Y) ** 2).mean()
            p = torch.tensor({{JsonSerializer.Serialize(p0)}}, dtype=torch.float64)
            print(json.dumps(hessian(loss, p).tolist()))
            """;
        var expected = Torch(script);

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
