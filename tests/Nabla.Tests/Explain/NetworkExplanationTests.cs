using Nabla.Examples;
using Nabla.Explain.Networks;
using Nabla.Tests.Examples;

namespace Nabla.Tests.Explain;

/// <summary>
/// The matrix-form explanation of the notebooks' networks: its numbers against notebook 001's printed tables,
/// against the tensor engine's backward pass, against the notebooks' own formulas, and against central differences
/// of the loss for every weight and bias (not only the sampled ones the explanation checks itself).
/// </summary>
public class NetworkExplanationTests
{
    [Fact]
    public void Deep_relu_bias_and_weight_gradients_print_as_notebook_001_prints_them()
    {
        var e = NetworkExamples.Explain("deep-relu");
        Assert.Equal(6, e.Backward.Count);
        // The notebook's layer k (0-based Ω_k, β_k) is layer k + 1 here; Backward runs from the last layer.
        Matrix BiasGradient(int k) => e.Backward.Single(b => b.Layer == k + 1).BiasGradient!;
        Matrix WeightGradient(int k) => e.Backward.Single(b => b.Layer == k + 1).WeightGradient;
        for (int k = 0; k < DeepReluNotebookText.BiasBackprop.Length; k++)
            Assert.Equal(DeepReluNotebookText.BiasBackprop[k], BiasGradient(k).Format(3));
        Assert.Equal(DeepReluNotebookText.WeightBackprop[0], WeightGradient(0).Format(3));
        Assert.Equal(DeepReluNotebookText.WeightBackprop[1], WeightGradient(1).Format(3));
        Assert.StartsWith(DeepReluNotebookText.WeightBackprop[2], WeightGradient(2).Format(3));
        // "True output = 1.907, Your answer = 1.907" and "y = 20.000 Loss = 327.371".
        Assert.Equal("1.907", e.Forward[^1].A.Values[0].ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("327.371", e.Loss.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Deep_relu_text_output_holds_the_notebook_tables()
    {
        var (exit, text, stderr) = Nabla.Tests.Cli.CliRunner.Run("explain", "--example", "deep-relu");
        Assert.True(exit == 0, stderr);
        string Indented(string table) => string.Join("\n", table.Split('\n').Select(l => "    " + l));
        for (int k = 0; k < DeepReluNotebookText.BiasBackprop.Length; k++)
            Assert.Contains($"∂L/∂b{k + 1} = δ{k + 1} (6×1) =\n" + Indented(DeepReluNotebookText.BiasBackprop[k]), text);
        Assert.Contains($"∂L/∂W2 = δ2·a1ᵀ (6×6) =\n" + Indented(DeepReluNotebookText.WeightBackprop[1]), text);
        Assert.Contains("all ", text);
        Assert.Contains("sampled parameters passed", text);
    }

    [Fact]
    public void Deep_relu_gradients_equal_the_tensor_engines_backward_pass()
    {
        var e = NetworkExamples.Explain("deep-relu");
        var reference = DeepRelu.Run(); // the tensor engine's autograd on the same network
        for (int k = 0; k < reference.WeightGradients.Count; k++)
        {
            var step = e.Backward.Single(b => b.Layer == k + 1);
            AssertClose(reference.WeightGradients[k].Values, step.WeightGradient.Values, $"∂L/∂W{k + 1}");
            AssertClose(reference.BiasGradients[k].Values, step.BiasGradient!.Values, $"∂L/∂b{k + 1}");
        }
        Assert.Equal(reference.Loss, e.Loss, 12);
    }

    [Fact]
    public void Dense_layer_neuron_gives_notebook_002s_gradients()
    {
        var e = NetworkExamples.Explain("dense-layer");
        var reference = DenseLayer.Run();
        Assert.Equal(reference.Z, e.Forward[0].Z.Values[0]);
        Assert.Equal(reference.Y, e.Forward[0].A.Values[0]);
        var step = e.Backward[0];
        Assert.Equal(reference.NeuronDw, step.WeightGradient.Values);
        Assert.Equal(reference.NeuronDx, step.InputGradient.Values);
        Assert.Equal(reference.NeuronDb, step.BiasGradient!.Values[0]);
    }

    [Fact]
    public void Sigmoid_sgd_backward_steps_equal_notebook_003s_row_vector_formulas()
    {
        var e = NetworkExamples.Explain("sigmoid-sgd");
        var (w0t, w1t) = SigmoidSgd.InitialWeights();
        var w0 = Matrix.From(w0t); // 3×4
        var w1 = Matrix.From(w1t); // 4×1
        double[] x = [0, 0, 1];
        static double S(double v) => 1 / (1 + Math.Exp(-v));
        // l1 = σ(X·W0), out = σ(l1·W1), δ2 = (out − Y)·out·(1 − out), δ1 = (δ2·W1ᵀ)·l1·(1 − l1).
        var l1 = Enumerable.Range(0, 4).Select(j => S(Enumerable.Range(0, 3).Sum(i => x[i] * w0[i, j]))).ToArray();
        double output = S(Enumerable.Range(0, 4).Sum(j => l1[j] * w1[j, 0]));
        double delta2 = (output - 0) * output * (1 - output);
        var delta1 = Enumerable.Range(0, 4).Select(j => delta2 * w1[j, 0] * l1[j] * (1 - l1[j])).ToArray();
        var last = e.Backward.Single(b => b.Layer == 2);
        var first = e.Backward.Single(b => b.Layer == 1);
        AssertClose([delta2], last.Delta.Values, "δ2");
        AssertClose(delta1, first.Delta.Values, "δ1");
        // W1 −= α·l1ᵀ·δ2 and W0 −= α·Xᵀ·δ1: here the layers are W0ᵀ and W1ᵀ, so their gradients are the transposes.
        AssertClose(l1.Select(v => v * delta2).ToArray(), last.WeightGradient.Values, "∂L/∂W2");
        AssertClose(Enumerable.Range(0, 4).SelectMany(j => x.Select(xi => xi * delta1[j])).ToArray(), first.WeightGradient.Values, "∂L/∂W1");
        Assert.Null(first.BiasGradient);
    }

    [Theory]
    [InlineData("deep-relu"), InlineData("dense-layer"), InlineData("sigmoid-sgd")]
    public void Every_weight_and_bias_gradient_matches_central_differences(string name)
    {
        var e = NetworkExamples.Explain(name);
        Assert.True(e.Passed, NetworkTextRenderer.Summary(e));
        Assert.NotEmpty(e.Checks);
        double[] input = e.Input.Values, target = e.Target.Values;
        const double h = 1e-6;
        foreach (var step in e.Backward)
        {
            var layer = e.Network.Layers[step.Layer - 1];
            var pairs = new List<(Matrix Parameter, Matrix Gradient, string Name)> { (layer.Weight, step.WeightGradient, $"W{step.Layer}") };
            if (layer.Bias is { } b) pairs.Add((b, step.BiasGradient!, $"b{step.Layer}"));
            foreach (var (parameter, gradient, label) in pairs)
                for (int i = 0; i < parameter.Values.Length; i++)
                {
                    double original = parameter.Values[i];
                    parameter.Values[i] = original + h;
                    double plus = e.Network.LossAt(input, target);
                    parameter.Values[i] = original - h;
                    double minus = e.Network.LossAt(input, target);
                    parameter.Values[i] = original;
                    double numeric = (plus - minus) / (2 * h);
                    Assert.True(Math.Abs(gradient.Values[i] - numeric) <= 1e-5 + 1e-3 * Math.Abs(numeric),
                        $"{name} {label}[{i}]: backward {gradient.Values[i]:R}, central differences {numeric:R}");
                }
        }
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
