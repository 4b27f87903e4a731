using System.Globalization;
using System.Text.Json;
using Nabla.Serialization;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

/// <summary>
/// <c>nabla train --layers</c> as a user runs it: descriptions and JSON files, errors with a caret under the bad
/// token, image data from IDX files, pixel CSVs and the built-in shapes set, and a model file that predict, evaluate
/// and resume read back for any architecture.
/// </summary>
public sealed class TrainArchitectureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-arch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private const string LeNetLike = "conv 4 3, relu, maxpool 2, flatten, linear 8, relu, linear 1";

    [Theory]
    [InlineData("--dataset moons", "conv 6 5, relu, flatten, linear 2", "conv", "needs images", "(2,)")]
    [InlineData("--dataset shapes", "conv 6 5, relu, linear 4", "linear", "put flatten before it", "(6, 12, 12)")]
    [InlineData("--dataset shapes", "conv 6 5, relu, maxpol 2, flatten, linear 4", "maxpol", "unknown layer", null)]
    [InlineData("--dataset shapes", "conv 6 50, flatten, linear 4", "conv", "does not fit", "(1, 16, 16)")]
    [InlineData("--dataset shapes", "conv 6 5 stride=x, flatten, linear 4", "x", "not a number", null)]
    public void A_bad_description_is_an_error_with_a_caret_under_the_token(string data, string layers, string token, string why, string? shape)
    {
        var (exit, _, err) = CliRunner.Run([.. data.Split(' ').Prepend("train"), "--layers", layers, "--epochs", "1", "--samples", "40"]);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", err);
        Assert.Contains(why, err);
        if (shape is not null) Assert.Contains(shape, err);
        var lines = err.TrimEnd('\n').Split('\n');
        Assert.Equal("  " + layers, lines[^2]);
        // The carets sit exactly under the token's characters.
        int at = lines[^1].IndexOf('^');
        Assert.Equal(token, lines[^2].Substring(at, lines[^1].Trim().Length));
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void A_network_whose_output_does_not_fit_the_classes_names_both()
    {
        var (exit, _, err) = CliRunner.Run("train", "--dataset", "shapes", "--samples", "40", "--layers", "flatten, linear 3", "--epochs", "1");
        Assert.Equal(2, exit);
        Assert.Contains("(3,)", err);
        Assert.Contains("4 classes need 4", err);
    }

    [Fact]
    public void Mlp_options_with_layers_are_refused()
    {
        var (exit, _, err) = CliRunner.Run("train", "--dataset", "shapes", "--layers", "flatten, linear 4", "--hidden", "8");
        Assert.Equal(2, exit);
        Assert.Contains("--hidden is for an MLP", err);
    }

    [Fact]
    public void A_json_architecture_trains_the_same_network_as_its_text()
    {
        File.WriteAllText(P("arch.json"), """["conv 4 3", "relu", {"type": "maxpool", "kernel": 2}, "flatten", {"type": "linear", "out": 4}]""");
        var fromJson = CliRunner.Run("train", "--dataset", "shapes", "--samples", "60", "--layers", P("arch.json"), "--epochs", "2", "--save", P("j.safetensors"));
        Assert.True(fromJson.Exit == 0, fromJson.Err);
        var fromText = CliRunner.Run("train", "--dataset", "shapes", "--samples", "60", "--layers", "conv 4 3, relu, maxpool kernel=2, flatten, linear out=4",
            "--epochs", "2", "--save", P("t.safetensors"));
        Assert.True(fromText.Exit == 0, fromText.Err);
        var a = SafetensorsFile.Load(P("j.safetensors"));
        var b = SafetensorsFile.Load(P("t.safetensors"));
        Assert.Equal(b.Names, a.Names);
        foreach (var name in a.Names) Assert.Equal(b.Tensors[name].ToDoubleArray(), a.Tensors[name].ToDoubleArray());

        File.WriteAllText(P("bad.json"), """{"layers": [42]}""");
        var bad = CliRunner.Run("train", "--dataset", "shapes", "--layers", P("bad.json"));
        Assert.Equal(2, bad.Exit);
        Assert.Contains("bad.json", bad.Err);
        Assert.Contains("layer 0", bad.Err);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_images_train_predict_and_evaluate_a_conv_net(bool gzip)
    {
        var (images, labels) = IdxWriter.Bars(_dir, "train", 160, seed: 1, gzip);
        var (testImages, testLabels) = IdxWriter.Bars(_dir, "test", 40, seed: 2, gzip);
        var train = CliRunner.Run("train", "--data", images, "--labels", labels, "--layers", LeNetLike, "--epochs", "15", "--lr", "0.01",
            "--save", P("bars.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        Assert.Contains("160 images of 1x8x8", train.Out);

        var file = SafetensorsFile.Load(P("bars.safetensors"));
        Assert.Equal(LeNetLike, file.Metadata["nabla.architecture"]);
        Assert.Equal("1x8x8", file.Metadata["nabla.image"]);

        var predict = CliRunner.Run("predict", "--model", P("bars.safetensors"), "--data", testImages);
        Assert.True(predict.Exit == 0, predict.Err);
        var rows = predict.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("prediction,p_0,p_1", rows[0]);
        Assert.Equal(41, rows.Length);

        var evaluate = CliRunner.Run("evaluate", "--model", P("bars.safetensors"), "--data", testImages, "--labels", testLabels, "--json");
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        using var json = JsonDocument.Parse(evaluate.Out);
        // Bars are easy: a trained conv net must separate them (chance is 50 %).
        Assert.True(json.RootElement.GetProperty("accuracy").GetDouble() >= 0.9, evaluate.Out);
        // The accuracy agrees with the predictions and the labels file, counted here.
        var truth = File.ReadAllBytes(testLabels);
        if (!gzip)
        {
            int correct = Enumerable.Range(0, 40).Count(r => rows[r + 1].Split(',')[0] == truth[8 + r].ToString(CultureInfo.InvariantCulture));
            Assert.Equal(correct / 40.0, json.RootElement.GetProperty("accuracy").GetDouble(), 12);
        }
    }

    [Fact]
    public void Idx_data_without_labels_or_of_another_shape_is_refused()
    {
        var (images, _) = IdxWriter.Bars(_dir, "train", 20, seed: 1);
        var noLabels = CliRunner.Run("train", "--data", images, "--layers", LeNetLike);
        Assert.Equal(2, noLabels.Exit);
        Assert.Contains("--labels", noLabels.Err);

        var (big, bigLabels) = (IdxWriter.Write(P("big-images"), IdxWriter.Bytes(0x08, [3, 10, 10], new byte[300])), IdxWriter.Write(P("big-labels"), IdxWriter.Bytes(0x08, [3], [0, 1, 0])));
        var (small, smallLabels) = IdxWriter.Bars(_dir, "small", 40, seed: 3);
        Assert.Equal(0, CliRunner.Run("train", "--data", small, "--labels", smallLabels, "--layers", LeNetLike, "--epochs", "1", "--save", P("m.safetensors")).Exit);
        var other = CliRunner.Run("evaluate", "--model", P("m.safetensors"), "--data", big, "--labels", bigLabels);
        Assert.Equal(2, other.Exit);
        Assert.Contains("1x10x10", other.Err);
        Assert.Contains("1x8x8", other.Err);
        var evaluateWithout = CliRunner.Run("evaluate", "--model", P("m.safetensors"), "--data", small);
        Assert.Equal(2, evaluateWithout.Exit);
        Assert.Contains("--labels", evaluateWithout.Err);
    }

    [Fact]
    public void A_csv_of_pixels_with_image_trains_a_conv_net_and_predict_reads_it()
    {
        var (images, labels) = IdxWriter.Bars(_dir, "train", 60, seed: 1);
        var pixels = File.ReadAllBytes(images)[16..];
        var targets = File.ReadAllBytes(labels)[8..];
        using (var writer = new StreamWriter(P("bars.csv")))
        {
            writer.WriteLine(string.Join(",", Enumerable.Range(0, 64).Select(i => $"p{i}")) + ",bar");
            for (int r = 0; r < 60; r++)
                writer.WriteLine(string.Join(",", pixels[(r * 64)..((r + 1) * 64)].Select(b => (b / 255.0).ToString("R", CultureInfo.InvariantCulture)))
                    + "," + (targets[r] == 0 ? "vertical" : "horizontal"));
        }
        var train = CliRunner.Run("train", "--data", P("bars.csv"), "--target", "bar", "--image", "1x8x8", "--layers", LeNetLike, "--epochs", "2",
            "--save", P("csv.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        var predict = CliRunner.Run("predict", "--model", P("csv.safetensors"), "--data", P("bars.csv"));
        Assert.True(predict.Exit == 0, predict.Err);
        Assert.Equal("prediction,p_horizontal,p_vertical", predict.Out.Split('\n')[0]);

        var wrong = CliRunner.Run("train", "--data", P("bars.csv"), "--target", "bar", "--image", "1x9x9", "--layers", LeNetLike);
        Assert.Equal(2, wrong.Exit);
        Assert.Contains("64 feature columns", wrong.Err);
        Assert.Contains("81", wrong.Err);
    }

    [Fact]
    public void A_conv_net_with_dropout_killed_mid_run_and_resumed_ends_with_the_weights_of_an_uninterrupted_run()
    {
        string[] run = ["train", "--dataset", "shapes", "--samples", "2000", "--layers", "conv 2 3, relu, maxpool 2, flatten, dropout 0.2, linear 4",
            "--epochs", "12", "--checkpoint-every", "1", "--dtype", "float32"];
        Assert.Equal(0, CliRunner.Run([.. run, "--save", P("whole.safetensors")]).Exit);

        // The same run in its own process, killed as soon as its first checkpoint exists.
        string save = P("killed.safetensors");
        int epochAtKill = CliRunner.KillAtFirstCheckpoint(run, save);
        Assert.InRange(epochAtKill, 1, 11);

        var (exit, stdout, stderr) = CliRunner.Run([.. run, "--save", save, "--resume"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"after epoch {epochAtKill}", stdout);
        var whole = SafetensorsFile.Load(P("whole.safetensors"));
        var resumed = SafetensorsFile.Load(save);
        Assert.Equal(whole.Names, resumed.Names);
        foreach (var name in whole.Names)
            Assert.True(whole.Tensors[name].Data.SequenceEqual(resumed.Tensors[name].Data), $"tensor {name} differs after the resume");
    }

    [Fact]
    public void Predict_is_deterministic_with_dropout_and_uses_batchnorm_running_statistics()
    {
        File.WriteAllText(P("t.csv"), "a,b,y\n" + string.Concat(Enumerable.Range(0, 120).Select(i =>
        {
            double a = Math.Sin(i * 1.7) * 3, b = Math.Cos(i * 0.9) * 2 + 10;
            return string.Create(CultureInfo.InvariantCulture, $"{a:R},{b:R},{(a + b > 10 ? "hi" : "lo")}\n");
        })));
        var train = CliRunner.Run("train", "--data", P("t.csv"), "--target", "y", "--layers", "linear 6, batchnorm, relu, dropout 0.5, linear 1",
            "--epochs", "5", "--save", P("bn.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        var first = CliRunner.Run("predict", "--model", P("bn.safetensors"), "--data", P("t.csv"));
        var second = CliRunner.Run("predict", "--model", P("bn.safetensors"), "--data", P("t.csv"));
        Assert.True(first.Exit == 0, first.Err);
        Assert.Equal(first.Out, second.Out);

        // The same network computed here from the file's tensors, in evaluation mode: standardise, Linear, BatchNorm with
        // the running mean and variance (not the batch's), ReLU, no dropout, Linear, the logistic sigmoid.
        var file = SafetensorsFile.Load(P("bn.safetensors"));
        double[] T(string name) => file.Tensors[name].ToDoubleArray();
        double[] Numbers(string key) => [.. file.Metadata[key].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        double[] means = Numbers("standardizer.mean"), stds = Numbers("standardizer.std");
        var (w0, b0, gamma, beta, mean, variance, w1, b1) = (T("0.weight"), T("0.bias"), T("1.weight"), T("1.bias"), T("1.running_mean"), T("1.running_var"), T("4.weight"), T("4.bias"));
        Assert.DoesNotContain(mean, m => m == 0);   // trained running statistics, not the initial ones
        var lines = File.ReadAllLines(P("t.csv")).Skip(1).ToArray();
        var printed = first.Out.TrimEnd('\n').Split('\n').Skip(1).ToArray();
        for (int r = 0; r < lines.Length; r++)
        {
            var x = lines[r].Split(',').Take(2).Select((v, j) => (double.Parse(v, CultureInfo.InvariantCulture) - means[j]) / stds[j]).ToArray();
            var h = new double[6];
            for (int o = 0; o < 6; o++)
            {
                double z = b0[o] + w0[o * 2] * x[0] + w0[o * 2 + 1] * x[1];
                z = (z - mean[o]) / Math.Sqrt(variance[o] + 1e-5) * gamma[o] + beta[o];
                h[o] = Math.Max(0, z);
            }
            double score = b1[0] + Enumerable.Range(0, 6).Sum(o => w1[o] * h[o]);
            double pHi = 1 - 1 / (1 + Math.Exp(-score));   // bce: the score is class 1's ("lo") logit
            Assert.Equal(pHi, double.Parse(printed[r].Split(',')[1], CultureInfo.InvariantCulture), 1e-9);
        }
    }
}
