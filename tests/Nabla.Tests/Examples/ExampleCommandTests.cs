using System.Text.Json;
using Nabla.Tests.Cli;

namespace Nabla.Tests.Examples;

public class ExampleCommandTests
{
    [Fact]
    public void An_unknown_name_exits_2_and_lists_every_example()
    {
        var (exit, stdout, stderr) = CliRunner.Run("example", "nope");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        foreach (var name in new[] { "sin-network", "deep-relu", "dense-layer", "sigmoid-sgd", "toy-model" })
            Assert.Contains(name, stderr);
    }

    [Fact]
    public void Data_given_to_an_example_that_reads_none_exits_2()
    {
        var (exit, _, stderr) = CliRunner.Run("example", "deep-relu", "--data", "x.csv");
        Assert.Equal(2, exit);
        Assert.Contains("only read by sin-network", stderr);
    }

    [Fact]
    public void Deep_relu_text_prints_the_notebooks_lines_and_arrays()
    {
        var (exit, stdout, _) = CliRunner.Run("example", "deep-relu");
        Assert.Equal(0, exit);
        Assert.Contains("Output = 1.907\n", stdout);
        Assert.Contains("y = 20.000 Loss = 327.371\n", stdout);
        Assert.Contains(DeepReluNotebookText.AllWeights3, stdout);
        Assert.Contains("Bias 2, derivatives from backprop:\n" + DeepReluNotebookText.BiasBackprop[2] + "\n", stdout);
        Assert.Contains("Bias 2, derivatives from finite differences\n" + DeepReluNotebookText.BiasFiniteDifferences[2] + "\n", stdout);
        Assert.Contains("Weight 1, derivatives from backprop:\n" + DeepReluNotebookText.WeightBackprop[1] + "\n", stdout);
        Assert.Contains("allclose (rtol 1e-5, atol 1e-8): True", stdout);
    }

    [Fact]
    public void Deep_relu_json_has_the_output_loss_and_nested_gradient_matrices()
    {
        var (exit, stdout, _) = CliRunner.Run("example", "deep-relu", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(1.907, root.GetProperty("output").GetDouble(), 0.0005);
        Assert.Equal(327.371, root.GetProperty("loss").GetDouble(), 0.0005);
        var weights = root.GetProperty("weightGradients");
        var biases = root.GetProperty("biasGradients");
        Assert.Equal(6, weights.GetArrayLength());
        Assert.Equal(6, biases.GetArrayLength());
        Assert.Equal(6, weights[1].GetArrayLength());
        Assert.Equal(6, weights[1][1].GetArrayLength());
        Assert.Equal(-42.196, weights[1][1][4].GetDouble(), 0.0005);   // the notebook's Weight 1, row 1, column 4
        Assert.Equal(-24.935, biases[0][4][0].GetDouble(), 0.0005);    // the notebook's Bias 0, row 4
        Assert.Equal(6, weights[5][0].GetArrayLength());               // Ω_K is 1×6
    }

    [Fact]
    public void Dense_layer_json_holds_the_three_arrays()
    {
        var (exit, stdout, _) = CliRunner.Run("example", "dense-layer", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(1.37, root.GetProperty("dinputs")[0][3].GetDouble(), 1e-12);
        Assert.Equal(5.48, root.GetProperty("dinputs")[3][3].GetDouble(), 1e-12);
        Assert.Equal(16.1, root.GetProperty("dweights")[1][2].GetDouble(), 1e-12);
        Assert.Equal(4, root.GetProperty("dweights").GetArrayLength());
        Assert.Equal(10.0, root.GetProperty("dbiases")[0][2].GetDouble());
        Assert.Equal(6.0, root.GetProperty("neuron").GetProperty("z").GetDouble());
    }

    [Fact]
    public void Dense_layer_text_prints_the_notebooks_arrays()
    {
        var (exit, stdout, _) = CliRunner.Run("example", "dense-layer");
        Assert.Equal(0, exit);
        Assert.Contains("[[ 0.44 -0.38 -0.07  1.37]\n [ 0.88 -0.76 -0.14  2.74]\n", stdout);
        Assert.Contains("[[-9.1 -9.1 -9.1]\n [16.1 16.1 16.1]\n", stdout);
        Assert.Contains("[[10. 10. 10.]]", stdout);
        Assert.Contains("z = 6\ny = 6\n", stdout);
    }

    [Fact]
    public void Sigmoid_sgd_json_has_twelve_errors_and_numpys_final_weights()
    {
        var (exit, stdout, _) = CliRunner.Run("example", "sigmoid-sgd", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var errors = doc.RootElement.GetProperty("errors");
        Assert.Equal(12, errors.GetArrayLength());
        Assert.Equal(55000, errors[11].GetProperty("iteration").GetInt32());
        Assert.Equal(SigmoidSgdNumPyReference.Errors[11].Error, errors[11].GetProperty("error").GetDouble(), 1e-15);
        Assert.Equal(SigmoidSgdNumPyReference.W1[2], doc.RootElement.GetProperty("W1")[2][0].GetDouble(), 1e-12);
        Assert.Equal(4, doc.RootElement.GetProperty("W0")[0].GetArrayLength());
    }

    [Fact]
    public void Sigmoid_sgd_text_prints_the_error_lines_as_the_notebook_formats_them()
    {
        var (exit, stdout, _) = CliRunner.Run("example", "sigmoid-sgd");
        Assert.Equal(0, exit);
        // "Error: %.6f" of NumPy's errors at iterations 0, 5000 and 55000.
        Assert.StartsWith("Error: 0.415164\nError: 0.002024\n", stdout);
        Assert.Contains("Error: 0.000573\nW0\n", stdout);
    }

    [Fact]
    public void Toy_model_prints_both_engines_and_json_names_every_quantity()
    {
        var (exit, stdout, _) = CliRunner.Run("example", "toy-model");
        Assert.Equal(0, exit);
        Assert.Contains("dldomega2: value = -8.530   (tensor engine: -8.530)", stdout);
        var (jsonExit, json, _) = CliRunner.Run("example", "toy-model", "--json");
        Assert.Equal(0, jsonExit);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(0.657, doc.RootElement.GetProperty("forward").GetProperty("h3").GetDouble(), 0.0005);
        Assert.Equal(6.824, doc.RootElement.GetProperty("backward").GetProperty("dldh1").GetDouble(), 0.0005);
        Assert.Equal(8, doc.RootElement.GetProperty("parameters").EnumerateObject().Count());
        Assert.True(doc.RootElement.GetProperty("maxEngineDifference").GetDouble() <= 1e-12);
    }
}
