using Nabla.Examples;
using Nabla.Tensors;

namespace Nabla.Tests.Examples;

public class SigmoidSgdExampleTests
{
    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative difference {Math.Abs(actual - expected) / Math.Abs(expected):G3} > {tolerance:G})");

    private static void AssertMatchesNumPy(SigmoidSgdResult result)
    {
        Assert.Equal(SigmoidSgdNumPyReference.Errors.Select(e => e.Iteration), result.Errors.Select(e => e.Iteration));
        foreach (var (expected, actual) in SigmoidSgdNumPyReference.Errors.Zip(result.Errors))
            AssertRelative(expected.Error, actual.Error, 1e-12, $"error at iteration {expected.Iteration}");
        for (int i = 0; i < 12; i++) AssertRelative(SigmoidSgdNumPyReference.W0[i], result.W0.Values[i], 1e-12, $"W0 element {i}");
        for (int i = 0; i < 4; i++) AssertRelative(SigmoidSgdNumPyReference.W1[i], result.W1.Values[i], 1e-12, $"W1 element {i}");
        Assert.Equal((3, 4, 4, 1), (result.W0.Rows, result.W0.Columns, result.W1.Rows, result.W1.Columns));
    }

    [Fact]
    public void Initial_weights_are_numpys_draws_after_seed_2()
    {
        var (w0, w1) = SigmoidSgd.InitialWeights();
        Assert.Equal(SigmoidSgdNumPyReference.W0Initial, w0.ToArray());
        Assert.Equal(SigmoidSgdNumPyReference.W1Initial, w1.ToArray());
    }

    [Fact]
    public void Sixty_thousand_iterations_give_numpys_errors_and_final_weights()
    {
        AssertMatchesNumPy(SigmoidSgd.Run());
    }

    [Fact]
    public void The_op_by_op_tensor_loop_gives_numpys_errors_and_final_weights_too()
    {
        AssertMatchesNumPy(SigmoidSgd.RunWithTensorOps());
    }

    [Fact]
    public void One_step_is_the_gradient_step_the_tensor_engines_autodiff_computes()
    {
        var (w0, w1) = SigmoidSgd.InitialWeights();
        w0.RequireGrad();
        w1.RequireGrad();
        var x = Tensor.FromArray(new double[,] { { 0, 0, 1 } });
        var output = x.MatMul(w0).Sigmoid().MatMul(w1).Sigmoid();
        var error = 0.5 * (0.0 - output).Pow(2.0).Sum(); // E = ½(Y − out)², Y = 0
        error.Backward();

        var step = SigmoidSgd.Run(iterations: 1);
        Assert.Equal(output.ToScalar(), step.Errors[0].Error, 1e-15);
        var expectedW0 = w0.ToArray().Zip(w0.Grad!.ToArray(), (w, g) => w - SigmoidSgd.Alpha * g).ToArray();
        var expectedW1 = w1.ToArray().Zip(w1.Grad!.ToArray(), (w, g) => w - SigmoidSgd.Alpha * g).ToArray();
        for (int i = 0; i < 12; i++) Assert.Equal(expectedW0[i], step.W0.Values[i], 1e-14);
        for (int i = 0; i < 4; i++) Assert.Equal(expectedW1[i], step.W1.Values[i], 1e-14);
        Assert.NotEqual(SigmoidSgdNumPyReference.W1Initial[0], step.W1.Values[0]); // the step moved the weights
    }

    [Fact]
    public void Errors_are_reported_every_5000_iterations_from_iteration_0()
    {
        var result = SigmoidSgd.Run(iterations: 10_001, reportEvery: 5_000);
        Assert.Equal(new[] { 0, 5000, 10000 }, result.Errors.Select(e => e.Iteration));
    }
}
