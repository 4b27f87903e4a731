using System.Globalization;
using Nabla.Tests.Examples;

namespace Nabla.Tests.Samples;

/// <summary>Each notebook sample, run with <c>dotnet run</c>, prints the numbers its notebook prints.</summary>
[Collection(SampleRunner.Collection)]
public class NotebookSampleTests
{
    [Fact]
    public void Deep_relu_sample_prints_notebook_001s_output_loss_and_gradient_arrays()
    {
        string output = SampleRunner.Run("deep-relu.cs");
        Assert.StartsWith(DeepReluNotebookText.AllWeights3 + "\n", output);
        Assert.Contains("Your answer = 1.907\n", output);
        Assert.Contains("y = 20.000 Loss = 327.371\n", output);
        for (int k = 0; k < 4; k++)
            Assert.Contains($"Bias {k}, derivatives from backprop:\n{DeepReluNotebookText.BiasBackprop[k]}\n"
                + $"Bias {k}, derivatives from finite differences\n{DeepReluNotebookText.BiasFiniteDifferences[k]}\n", output);
        Assert.Contains($"Bias 4, derivatives from backprop:\n{DeepReluNotebookText.BiasBackprop[4]}\n"
            + $"Bias 4, derivatives from finite differences\n{DeepReluNotebookText.BiasFiniteDifferences[4]}", output);
        for (int k = 0; k < 2; k++)
            Assert.Contains($"Weight {k}, derivatives from backprop:\n{DeepReluNotebookText.WeightBackprop[k]}\n"
                + $"Weight {k}, derivatives from finite differences\n{DeepReluNotebookText.WeightFiniteDifferences[k]}\n", output);
        Assert.Contains($"Weight 2, derivatives from backprop:\n{DeepReluNotebookText.WeightBackprop[2]}", output);
        Assert.Contains("allclose: True", output);
    }

    [Fact]
    public void Dense_layer_sample_prints_notebook_002s_neuron_and_arrays()
    {
        string output = SampleRunner.Run("dense-layer.cs");
        Assert.Contains("xw = [-3.  2.  6.]\n", output); // the notebook: (-3.0, 2.0, 6.0)
        Assert.Contains("z = 6.0\n", output);
        Assert.Contains("y = 6.0\n", output);
        Assert.Contains("[[ 0.44 -0.38 -0.07  1.37]\n [ 0.88 -0.76 -0.14  2.74]\n [ 1.32 -1.14 -0.21  4.11]\n [ 1.76 -1.52 -0.28  5.48]]\n", output);
        Assert.Contains("[[-9.1 -9.1 -9.1]\n [16.1 16.1 16.1]\n [ 9.7  9.7  9.7]\n [-5.1 -5.1 -5.1]]\n", output);
        Assert.Contains("[[10. 10. 10.]]\n", output);
    }

    [Fact]
    public void Sigmoid_sgd_sample_prints_numpys_errors_every_5000_iterations()
    {
        string output = SampleRunner.Run("sigmoid-sgd.cs");
        string expected = string.Concat(SigmoidSgdNumPyReference.Errors.Select(e =>
            "Error: " + e.Error.ToString("F6", CultureInfo.InvariantCulture) + "\n"));
        Assert.StartsWith(expected, output);
        Assert.Contains("W1\n[[-3.069]\n [-1.851]\n [-3.55 ]\n [-1.647]]", output);
    }

    [Fact]
    public void Sin_network_sample_prints_the_gradient_numpy_gets_from_the_notebooks_code_on_the_same_csv()
    {
        string output = SampleRunner.Run("sin-network.cs", Path.Combine("samples", "data", "sin.csv"));
        Assert.Contains("W = [0.5353451968548101, 1.0115632484315744]\n", output);
        // /usr/bin/python3 running the notebook's neural_network and dldw on samples/data/sin.csv (NumPy 1.24.2):
        // The derivatives of w1 w2 wrt L are [-0.2730946849175987, -0.1962561458976089]
        const string prefix = "The derivatives of w1 w2 wrt L are [";
        int start = output.IndexOf(prefix, StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        var numbers = output[(start + prefix.Length)..output.IndexOf(']', start)].Split(", ")
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(-0.2730946849175987, numbers[0], 1e-12 * 0.28);
        Assert.Equal(-0.1962561458976089, numbers[1], 1e-12 * 0.2);
    }
}
