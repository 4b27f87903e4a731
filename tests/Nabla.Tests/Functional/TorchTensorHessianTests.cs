using Nabla.Explain;
using Nabla.Functional;
using Nabla.Tensors;
using Nabla.Examples;

namespace Nabla.Tests.Functional;

/// <summary>
/// Hessians from the tensor engine (reverse-over-forward: a backward pass over the recorded tangent sweep) against
/// PyTorch's <c>torch.autograd.functional.hessian</c> (<see cref="TorchHessians"/>): notebook 004's toy model and the
/// loss of a small MLP, each as a function of all its parameters packed in one vector. Skipped when torch is missing.
/// </summary>
public class TorchTensorHessianTests
{
    private static void AssertClose(double[][] expected, Tensor<double> actual, string what)
    {
        int n = expected.Length;
        Assert.Equal([n, n], actual.Shape);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i, j]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i][j])),
                    $"{what} H[{i},{j}]: PyTorch {expected[i][j]:R}, Nabla {actual[i, j]:R}");
    }

    [Fact]
    public void Toy_model_hessian_equals_pytorchs()
    {
        TorchHessians.Require();
        var expected = TorchHessians.ToyModel();
        var at = Notebook004.At;
        // The notebook's model on 0-d tensors picked out of the parameter vector.
        Tensor<double> Loss(Tensor<double> p)
        {
            Tensor<double> P(int i) => p.Select(0, i);
            var f3 = P(6) + P(7) * (P(4) + P(5) * (P(2) + P(3) * (P(0) + P(1) * at["x"]).Sin()).Exp()).Cos();
            return Tensor<double>.Mse(f3, Tensor<double>.Scalar(at["y"]), Nabla.Losses.Reduction.Sum);
        }
        var point = Tensor<double>.FromArray(TorchHessians.ToyParameters.Select(n => at[n]).ToArray());
        AssertClose(expected, TensorFunctional.Hessian(Loss, point), "toy model");
    }

    [Fact]
    public void Small_mlp_loss_hessian_and_hvp_equal_pytorchs()
    {
        TorchHessians.Require();
        var expected = TorchHessians.Mlp();
        var x = Tensor<double>.FromArray(TorchHessians.MlpInputs.SelectMany(r => r).ToArray(), 4, 2);
        var y = Tensor<double>.FromArray(TorchHessians.MlpTargets);
        // The same network twice: with the fused layer ops (Linear, LinearActivation as Sequential uses them) and with matmul.
        Tensor<double> Fused(Tensor<double> p)
        {
            var hidden = Tensor<double>.LinearActivation<Nabla.Ops.Tanh>(x, p.Slice(0, 0, 6).Reshape(3, 2), p.Slice(0, 6, 9));
            var output = Tensor<double>.Linear(hidden, p.Slice(0, 9, 12).Reshape(1, 3), p.Slice(0, 12, 13)).Reshape(-1);
            return Tensor<double>.Mse(output, y);
        }
        Tensor<double> Plain(Tensor<double> p)
        {
            var hidden = (x.MatMul(p.Slice(0, 0, 6).Reshape(3, 2).Transpose()) + p.Slice(0, 6, 9)).Tanh();
            var d = (hidden.MatMul(p.Slice(0, 9, 12).Reshape(1, 3).Transpose()) + p.Slice(0, 12, 13)).Reshape(-1) - y;
            return (d * d).Mean();
        }
        var point = Tensor<double>.FromArray(TorchHessians.MlpParameters);
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
