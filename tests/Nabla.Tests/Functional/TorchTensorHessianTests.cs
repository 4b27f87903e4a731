using System.Globalization;
using System.Text.Json;
using Nabla.Explain;
using Nabla.Functional;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Functional;

/// <summary>
/// Hessians from the tensor engine (reverse-over-forward: a backward pass over the recorded tangent sweep) against
/// PyTorch's <c>torch.autograd.functional.hessian</c>, computed by a script here: notebook 004's toy model and the loss
/// of a small MLP, each as a function of all its parameters packed in one vector. Skipped when torch is missing.
/// </summary>
public class TorchTensorHessianTests
{
    private static void RequireTorch()
    {
        if (!Python.Has("torch")) Assert.Skip("python3 with torch is not installed (apt-get install python3-torch), so the tensor Hessians were not compared with PyTorch.");
    }

    private static double[][] Torch(string script)
    {
        using var doc = JsonDocument.Parse(Python.Run("-c", script));
        return doc.RootElement.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
    }

    private static void AssertClose(double[][] expected, Tensor<double> actual, string what)
    {
        int n = expected.Length;
        Assert.Equal([n, n], actual.Shape);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i, j]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i][j])),
                    $"{what} H[{i},{j}]: PyTorch {expected[i][j]:R}, Nabla {actual[i, j]:R}");
    }

    private static string Py(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void Toy_model_hessian_equals_pytorchs()
    {
        RequireTorch();
        string[] names = ["beta0", "omega0", "beta1", "omega1", "beta2", "omega2", "beta3", "omega3"];
        var at = ToyModel.At;
        string script = $$"""
            import json, torch
            from torch.autograd.functional import hessian
            x, y = {{Py(at["x"])}}, {{Py(at["y"])}}
            def l(p):
                b0, w0, b1, w1, b2, w2, b3, w3 = p
                f3 = b3 + w3 * torch.cos(b2 + w2 * torch.exp(b1 + w1 * torch.sin(b0 + w0 * x)))
                return (f3 - y) ** 2
            p = torch.tensor([{{string.Join(", ", names.Select(n => Py(at[n])))}}], dtype=torch.float64)
            print(json.dumps(hessian(l, p).tolist()))
            """;
        var expected = Torch(script);

        // The notebook's model on 0-d tensors picked out of the parameter vector.
        Tensor<double> Loss(Tensor<double> p)
        {
            Tensor<double> P(int i) => p.Select(0, i);
            var f3 = P(6) + P(7) * (P(4) + P(5) * (P(2) + P(3) * (P(0) + P(1) * at["x"]).Sin()).Exp()).Cos();
            return Tensor<double>.SquaredError(f3, Tensor<double>.Scalar(at["y"]), Nabla.Losses.Reduction.Sum);
        }
        var point = Tensor<double>.FromArray(names.Select(n => at[n]).ToArray());
        AssertClose(expected, TensorFunctional.Hessian(Loss, point), "toy model");
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

        var x = Tensor<double>.FromArray(xs.SelectMany(r => r).ToArray(), 4, 2);
        var y = Tensor<double>.FromArray(ys);
        // The same network twice: with the fused layer ops (Linear, LinearActivation as Sequential uses them) and with matmul.
        Tensor<double> Fused(Tensor<double> p)
        {
            var hidden = Tensor<double>.LinearActivation<Nabla.Ops.Tanh>(x, p.Slice(0, 0, 6).Reshape(3, 2), p.Slice(0, 6, 9));
            var output = Tensor<double>.Linear(hidden, p.Slice(0, 9, 12).Reshape(1, 3), p.Slice(0, 12, 13)).Reshape(-1);
            return Tensor<double>.SquaredError(output, y);
        }
        Tensor<double> Plain(Tensor<double> p)
        {
            var hidden = (x.MatMul(p.Slice(0, 0, 6).Reshape(3, 2).Transpose()) + p.Slice(0, 6, 9)).Tanh();
            var output = (hidden.MatMul(p.Slice(0, 9, 12).Reshape(1, 3).Transpose()) + p.Slice(0, 12, 13)).Reshape(-1);
            var d = output - y;
            return (d * d).Mean();
        }
        var point = Tensor<double>.FromArray(p0);
        AssertClose(expected, TensorFunctional.Hessian(Fused, point), "MLP loss (linear ops)");
        AssertClose(expected, TensorFunctional.Hessian(Plain, point), "MLP loss (matmul)");

        var v = Tensor<double>.FromArray(Enumerable.Range(0, 13).Select(i => Math.Cos(i * 0.9)).ToArray());
        var hv = TensorFunctional.Hvp(Fused, point, v);
        for (int i = 0; i < 13; i++)
        {
            double reference = Enumerable.Range(0, 13).Sum(j => expected[i][j] * v[j]);
            Assert.True(Math.Abs(reference - hv[i]) <= 1e-9 * Math.Max(1, Math.Abs(reference)), $"(H·v)[{i}]: PyTorch {reference:R}, Nabla {hv[i]:R}");
        }
    }
}
