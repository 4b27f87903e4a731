using System.Text.Json;
using Nabla.Scalars;

namespace Nabla.Tests.Notebooks;

/// <summary>
/// micrograd's moons demo on the scalar engine: MLP 2-16-16-1, hinge loss + 1e-4 L2, full batch,
/// SGD with lr 1.0 − 0.9·k/100 for 100 steps, started from micrograd's own initial parameters.
/// TestData/moons_micrograd_init.json is micrograd's recorded run (data, parameters, loss per step).
/// </summary>
public class MicrogradMoonsTests
{
    private sealed record Step(int K, double Loss, double Accuracy);

    private static (double[][] X, double[] Y, double[] Init, Step[] Steps, double[] Final) Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "moons_micrograd_init.json")));
        var r = doc.RootElement;
        return (
            r.GetProperty("X").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray(),
            r.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            r.GetProperty("params_init").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            r.GetProperty("steps").EnumerateArray().Select(s => new Step(s.GetProperty("k").GetInt32(), s.GetProperty("loss").GetDouble(), s.GetProperty("accuracy").GetDouble())).ToArray(),
            r.GetProperty("params_final").EnumerateArray().Select(v => v.GetDouble()).ToArray());
    }

    [Fact]
    public void Loss_curve_matches_micrograds_to_1e_9_and_reaches_full_training_accuracy()
    {
        var (x, y, init, steps, final) = Load();
        var model = new ScalarMlp(2, [16, 16, 1], i => init[i]);
        var parameters = model.Parameters().ToArray();
        Assert.Equal(337, parameters.Length);

        for (int k = 0; k < 100; k++)
        {
            // Hinge loss averaged over the data, plus L2 on every parameter, summed as micrograd sums.
            Value dataLoss = 0.0;
            int correct = 0;
            for (int i = 0; i < x.Length; i++)
            {
                var score = model.Forward([Value.Constant(x[i][0]), Value.Constant(x[i][1])])[0];
                dataLoss = dataLoss + Value.Relu(1.0 + score * -y[i]);
                if (y[i] > 0 == score.Data > 0) correct++;
            }
            dataLoss = dataLoss * (1.0 / x.Length);
            Value reg = 0.0;
            foreach (var p in parameters) reg = reg + p * p;
            var total = dataLoss + 1e-4 * reg;

            Assert.True(Math.Abs(total.Data - steps[k].Loss) <= 1e-9 * Math.Max(1, Math.Abs(steps[k].Loss)),
                $"step {k}: loss {total.Data:R}, micrograd {steps[k].Loss:R}");
            Assert.Equal(steps[k].Accuracy, correct / (double)x.Length, 12);

            model.ZeroGrad();
            total.Backward();
            double lr = 1.0 - 0.9 * k / 100;
            foreach (var p in parameters) p.Data -= lr * p.Grad;
        }

        for (int i = 0; i < final.Length; i++)
            Assert.True(Math.Abs(parameters[i].Data - final[i]) <= 1e-9 * Math.Max(1, Math.Abs(final[i])),
                $"parameter {i}: {parameters[i].Data:R}, micrograd {final[i]:R}");
        int right = x.Select((row, i) => model.Forward([Value.Constant(row[0]), Value.Constant(row[1])])[0].Data > 0 == y[i] > 0).Count(ok => ok);
        Assert.Equal(100, right);
    }
}
