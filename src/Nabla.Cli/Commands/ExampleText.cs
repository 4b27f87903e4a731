using System.Globalization;
using System.Text;
using Nabla.Examples;

namespace Nabla.Cli.Commands;

/// <summary>The text reports of <c>nabla example</c>: the notebooks' own print lines, arrays as NumPy prints them.</summary>
public static class ExampleText
{
    private static string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string DeepRelu(DeepReluResult r)
    {
        var s = new StringBuilder();
        s.Append("all_weights[3]\n").Append(NumPyRepr.Format(r.Weights[3].Values, r.Weights[3].Rows, r.Weights[3].Columns)).Append('\n');
        s.Append($"Output = {F3(r.Output)}\n");
        s.Append($"y = {F3(Examples.DeepRelu.Target)} Loss = {F3(r.Loss)}\n");
        for (int k = 0; k < r.BiasGradients.Count; k++)
        {
            s.Append($"Bias {k}, derivatives from backprop:\n{r.BiasGradients[k].Format()}\n");
            s.Append($"Bias {k}, derivatives from finite differences\n{r.BiasDifferences[k].Format()}\n");
        }
        for (int k = 0; k < r.WeightGradients.Count; k++)
        {
            s.Append($"Weight {k}, derivatives from backprop:\n{r.WeightGradients[k].Format()}\n");
            s.Append($"Weight {k}, derivatives from finite differences\n{r.WeightDifferences[k].Format()}\n");
        }
        s.Append($"backprop and finite differences allclose (rtol 1e-5, atol 1e-8): {r.FiniteDifferencesAgree}\n");
        return s.ToString();
    }

    public static string DenseLayer(DenseLayerResult r)
    {
        var s = new StringBuilder();
        s.Append($"z = {R(r.Z)}\ny = {R(r.Y)}\n");
        s.Append($"dx = {NumPyFormat.Format(r.NeuronDx)}\ndw = {NumPyFormat.Format(r.NeuronDw)}\ndb = {R(r.NeuronDb)}\n");
        s.Append($"dinputs\n{r.DInputs.Format()}\n");
        s.Append($"dweights\n{r.DWeights.Format()}\n");
        s.Append($"dbiases\n{r.DBiases.Format()}\n");
        return s.ToString();
    }

    public static string ToyModel(ToyModelResult r)
    {
        var s = new StringBuilder();
        foreach (var group in new[] { r.Forward, r.Backward, r.Parameters })
            foreach (var q in group)
                s.Append($"{q.Name}: value = {F3(q.Scalar)}   (tensor engine: {F3(q.Tensor)})\n");
        s.Append($"largest difference between the engines: {r.MaxEngineDifference.ToString("G3", CultureInfo.InvariantCulture)}\n");
        return s.ToString();
    }

    public static string SigmoidSgd(SigmoidSgdResult r)
    {
        var s = new StringBuilder();
        foreach (var e in r.Errors) s.Append("Error: ").Append(e.Error.ToString("F6", CultureInfo.InvariantCulture)).Append('\n');
        s.Append($"W0\n{r.W0.Format()}\nW1\n{r.W1.Format()}\n");
        return s.ToString();
    }

    public static string SinNetwork(SinNetworkResult r) =>
        $"W = [{R(r.W1)}, {R(r.W2)}] ({r.Rows} rows)\nThe derivatives of w1 w2 wrt L are [{R(r.Gradient1)}, {R(r.Gradient2)}]\n";
}
