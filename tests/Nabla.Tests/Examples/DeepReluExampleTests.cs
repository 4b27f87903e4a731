using System.Globalization;
using Nabla.Examples;
using Nabla.Tensors;

namespace Nabla.Tests.Examples;

public class DeepReluExampleTests
{
    private static readonly DeepReluResult Result = DeepRelu.Run();

    [Fact]
    public void Output_and_loss_are_the_notebooks_1_907_and_327_371()
    {
        Assert.Equal("1.907", Result.Output.ToString("F3", CultureInfo.InvariantCulture));
        Assert.Equal("327.371", Result.Loss.ToString("F3", CultureInfo.InvariantCulture));
        Assert.Equal(Math.Pow(Result.Output - 20, 2), Result.Loss, 12);
    }

    [Fact]
    public void All_weights_3_prints_as_the_notebook_prints_it()
    {
        var w3 = Result.Weights[3];
        Assert.Equal(DeepReluNotebookText.AllWeights3, NumPyRepr.Format(w3.Values, w3.Rows, w3.Columns));
    }

    [Fact]
    public void Bias_gradients_print_as_the_notebooks_backprop_arrays_including_its_negative_zeros()
    {
        for (int k = 0; k < 5; k++)
            Assert.Equal(DeepReluNotebookText.BiasBackprop[k], Result.BiasGradients[k].Format());
    }

    [Fact]
    public void Bias_finite_differences_print_as_the_notebooks_finite_difference_arrays()
    {
        for (int k = 0; k < 4; k++)
            Assert.Equal(DeepReluNotebookText.BiasFiniteDifferences[k], Result.BiasDifferences[k].Format());
        Assert.StartsWith(DeepReluNotebookText.BiasFiniteDifferences[4], Result.BiasDifferences[4].Format());
    }

    [Fact]
    public void Weight_gradients_and_finite_differences_print_as_the_notebooks_arrays()
    {
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(DeepReluNotebookText.WeightBackprop[k], Result.WeightGradients[k].Format());
            Assert.Equal(DeepReluNotebookText.WeightFiniteDifferences[k], Result.WeightDifferences[k].Format());
        }
        Assert.StartsWith(DeepReluNotebookText.WeightBackprop[2], Result.WeightGradients[2].Format());
    }

    [Fact]
    public void Every_gradient_is_allclose_to_its_forward_difference_as_the_notebook_checks()
    {
        Assert.True(Result.FiniteDifferencesAgree);
        var pairs = Result.WeightGradients.Zip(Result.WeightDifferences).Concat(Result.BiasGradients.Zip(Result.BiasDifferences)).ToList();
        Assert.Equal(12, pairs.Count);
        foreach (var (backprop, fd) in pairs)
            for (int i = 0; i < fd.Values.Length; i++)
                Assert.True(Math.Abs(backprop.Values[i] - fd.Values[i]) <= 1e-8 + 1e-5 * Math.Abs(fd.Values[i]),
                    $"element {i}: backprop {backprop.Values[i]:R}, finite difference {fd.Values[i]:R}");
    }

    [Fact]
    public void Gradients_have_the_shapes_of_their_parameters()
    {
        int[][] weightShapes = [[6, 1], [6, 6], [6, 6], [6, 6], [6, 6], [1, 6]];
        for (int k = 0; k <= 5; k++)
        {
            Assert.Equal(weightShapes[k], new[] { Result.WeightGradients[k].Rows, Result.WeightGradients[k].Columns });
            Assert.Equal(new[] { k == 5 ? 1 : 6, 1 }, new[] { Result.BiasGradients[k].Rows, Result.BiasGradients[k].Columns });
        }
    }

    [Fact]
    public void The_engines_relu_op_gives_the_same_gradient_values_with_positive_zeros()
    {
        var (weights, biases) = DeepRelu.InitialParameters();
        foreach (var p in weights.Concat(biases)) p.RequireGrad();
        var h = Tensor<double>.Full(DeepRelu.Input, 1, 1);
        for (int k = 0; k < 5; k++) h = (biases[k] + weights[k].MatMul(h)).Relu();
        DeepRelu.Loss(biases[5] + weights[5].MatMul(h), DeepRelu.Target).Backward();

        for (int k = 0; k <= 5; k++)
        {
            Assert.Equal(Result.BiasGradients[k].Values, biases[k].Grad!.ToArray()); // -0.0 == 0.0
            Assert.Equal(Result.WeightGradients[k].Values, weights[k].Grad!.ToArray());
        }
        // Relu's backward adds 0·dy into a zeroed buffer, and 0 + (−0) = +0: its text is the finite-difference text.
        for (int k = 0; k < 4; k++)
            Assert.Equal(DeepReluNotebookText.BiasFiniteDifferences[k], Matrix.From(biases[k].Grad!).Format());
    }
}
