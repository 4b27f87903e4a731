using System.Diagnostics;
using System.Xml.Linq;
using Nabla.Serialization;

namespace Nabla.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-cli-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Training_on_moons_writes_the_model_plot_record_and_report()
    {
        var (exit, stdout, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "30", "--save", P("m.safetensors"),
            "--plot", P("loss.svg"), "--record", P("run.json"), "--report", P("report.html"));
        Assert.True(exit == 0, stderr);
        Assert.Contains("MLP 2-16-16-1 (relu), loss bce, adam", stdout);
        Assert.Contains("epoch 30/30", stdout);
        Assert.Contains("accuracy", stdout);
        foreach (var f in new[] { "m.safetensors", "m.safetensors.ckpt", "loss.svg", "run.json", "report.html" })
            Assert.True(File.Exists(P(f)), $"{f} missing; stdout:\n{stdout}");

        var svg = XDocument.Load(P("loss.svg"));
        var lines = svg.Descendants().Where(e => e.Name.LocalName == "polyline").ToList();
        Assert.Equal(2, lines.Count); // training and validation loss
        Assert.All(lines, l => Assert.Equal(30, l.Attribute("points")!.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.Equal(30, Nabla.Records.RunRecord.Load(P("run.json")).Epochs.Count);
        Assert.Contains("<svg", File.ReadAllText(P("report.html")));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Predict_writes_a_prediction_and_a_probability_per_class_for_each_row_ignoring_extra_columns()
    {
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "moons", "--epochs", "60", "--save", P("m.safetensors")).Exit);
        // (0, 1) is on the outer moon (class 0), (1, -0.5) on the inner one (class 1); "note" is not a feature.
        File.WriteAllText(P("in.csv"), "note,x2,x1\na,1.0,0.0\nb,-0.5,1.0\n");
        var (exit, stdout, stderr) = CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("in.csv"));
        Assert.True(exit == 0, stderr);
        var rows = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("prediction,p_0,p_1", rows[0]);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("0,", rows[1]);
        Assert.StartsWith("1,", rows[2]);
        foreach (var row in rows.Skip(1))
        {
            var p = row.Split(',').Skip(1).Select(double.Parse).ToArray();
            Assert.Equal(1.0, p.Sum(), 12);
        }
        Assert.Equal(0, CliRunner.Run("predict", "--model", P("m.safetensors"), "--data", P("in.csv"), "--out", P("out.csv")).Exit);
        Assert.Equal(stdout, File.ReadAllText(P("out.csv")));
    }

    [Fact]
    public void A_csv_classifier_with_text_labels_predicts_the_labels()
    {
        var lines = new List<string> { "size,weight,animal" };
        var random = new System.Random(3);
        for (int i = 0; i < 120; i++)
        {
            bool dog = i % 2 == 0;
            lines.Add($"{(dog ? 5 : 1) + random.NextDouble():R},{(dog ? 20 : 4) + random.NextDouble() * 2:R},{(dog ? "dog" : "cat")}");
        }
        File.WriteAllLines(P("pets.csv"), lines);
        var (exit, _, stderr) = CliRunner.Run("train", "--data", P("pets.csv"), "--target", "animal", "--loss", "ce", "--epochs", "40", "--save", P("pets.safetensors"));
        Assert.True(exit == 0, stderr);
        File.WriteAllText(P("new.csv"), "size,weight\n5.5,21\n1.2,4.5\n");
        var (_, stdout, _) = CliRunner.Run("predict", "--model", P("pets.safetensors"), "--data", P("new.csv"));
        var rows = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("prediction,p_cat,p_dog", rows[0]);
        Assert.StartsWith("dog,", rows[1]);
        Assert.StartsWith("cat,", rows[2]);
    }

    [Fact]
    public void A_csv_regression_predicts_values_in_the_targets_units()
    {
        var lines = new List<string> { "x,y" };
        for (int i = 0; i <= 200; i++) { double x = i / 20.0; lines.Add($"{x:R},{300 + 40 * x:R}"); }
        File.WriteAllLines(P("line.csv"), lines);
        var (exit, _, stderr) = CliRunner.Run("train", "--data", P("line.csv"), "--target", "y", "--epochs", "80", "--save", P("line.safetensors"));
        Assert.True(exit == 0, stderr);
        File.WriteAllText(P("q.csv"), "x\n2.5\n7.5\n");
        var (_, stdout, _) = CliRunner.Run("predict", "--model", P("line.safetensors"), "--data", P("q.csv"));
        var values = stdout.TrimEnd('\n').Split('\n').Skip(1).Select(double.Parse).ToArray();
        Assert.Equal(400, values[0], 0);   // within ±0.5 of 300 + 40·2.5
        Assert.Equal(600, values[1], 0);
    }

    [Theory]
    [InlineData(new[] { "train" }, "nothing to train on")]
    [InlineData(new[] { "train", "--data", "x.csv" }, "--data: there is no file 'x.csv'")]
    [InlineData(new[] { "train", "--dataset", "planets" }, "--dataset must be one of moons, circles, spirals, xor, sine, shapes; got 'planets'")]
    [InlineData(new[] { "train", "--dataset", "moons", "--hidden", "16,x" }, "--hidden must be layer sizes separated by commas")]
    [InlineData(new[] { "train", "--dataset", "moons", "--lr", "-1" }, "--lr must be a number > 0, got -1")]
    [InlineData(new[] { "train", "--dataset", "moons", "--resume" }, "--resume needs a checkpoint")]
    [InlineData(new[] { "train", "--dataset", "sine", "--loss", "bce" }, "needs class labels")]
    [InlineData(new[] { "train", "--dataset", "moons", "--activation", "gelu" }, "error:")]
    [InlineData(new[] { "train", "--data", "/nonexistent/d.csv", "--target", "y" }, "d.csv")]
    [InlineData(new[] { "predict", "--model", "/nonexistent/m.safetensors", "--data", "x.csv" }, "there is no file")]
    [InlineData(new[] { "train", "--dataset", "moons", "--epochs", "500", "--save", "/dev/null/m.safetensors" }, "--save: '/dev/null' is a file")]
    public void Bad_input_exits_2_with_a_clear_message(string[] args, string message)
    {
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void A_bad_cell_in_the_training_csv_is_reported_with_its_line_and_column()
    {
        File.WriteAllText(P("bad.csv"), "a,b,y\n1,2,3\n4,oops,6\n");
        var (exit, _, stderr) = CliRunner.Run("train", "--data", P("bad.csv"), "--target", "y");
        Assert.Equal(2, exit);
        Assert.Contains("bad.csv:3: column 2 (\"b\"): \"oops\" is not a number", stderr);
    }

    [Fact]
    public void Text_labels_train_a_classifier_without_extra_flags_and_the_header_says_why()
    {
        File.WriteAllLines(P("pets.csv"), ["size,animal", .. Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? $"{5 + i % 3},dog" : $"{1 + i % 3},cat")]);
        var (exit, stdout, stderr) = CliRunner.Run("train", "--data", P("pets.csv"), "--target", "animal", "--epochs", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains("task: classification into 2 classes, because 'animal' holds text labels", stdout);
        Assert.Contains("loss bce", stdout);
    }

    [Fact]
    public void Text_labels_asked_to_regress_are_a_one_line_error_that_says_what_to_do()
    {
        File.WriteAllText(P("pets.csv"), "size,animal\n5,dog\n1,cat\n");
        var (exit, _, stderr) = CliRunner.Run("train", "--data", P("pets.csv"), "--target", "animal", "--task", "regress");
        Assert.Equal(2, exit);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("'animal' holds text", stderr);
        Assert.Contains("use --task classify", stderr);
    }

    [Fact]
    public void A_checkpoint_given_as_a_model_is_refused_by_predict()
    {
        Assert.Equal(0, CliRunner.Run("train", "--dataset", "moons", "--epochs", "2", "--save", P("m.safetensors")).Exit);
        File.WriteAllText(P("in.csv"), "x1,x2\n0,0\n");
        var (exit, _, stderr) = CliRunner.Run("predict", "--model", P("m.safetensors.ckpt"), "--data", P("in.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("not a model", stderr);
    }

    [Fact]
    public void A_training_process_killed_mid_run_and_resumed_ends_with_the_weights_of_an_uninterrupted_run()
    {
        // Clipping and a warm-up that lasts past the kill (about 5 epochs of 563 steps) must resume exactly too.
        string[] run = ["train", "--dataset", "moons", "--samples", "20000", "--epochs", "40", "--checkpoint-every", "1", "--validation", "0.1",
            "--clip-grad", "0.5", "--warmup", "3000", "--schedule", "cosine"];
        // The reference: the same run, never interrupted.
        Assert.Equal(0, CliRunner.Run([.. run, "--save", P("whole.safetensors")]).Exit);

        // The same run in its own process, killed as soon as its first checkpoint exists.
        string save = P("killed.safetensors");
        int epochAtKill = CliRunner.KillAtFirstCheckpoint(run, save);
        Assert.InRange(epochAtKill, 1, 39); // killed mid-way, not after the end

        var (exit, stdout, stderr) = CliRunner.Run([.. run, "--save", save, "--resume"]);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"after epoch {epochAtKill}", stdout);
        var whole = SafetensorsFile.Load(P("whole.safetensors"));
        var resumed = SafetensorsFile.Load(save);
        foreach (var name in whole.Names)
            Assert.True(whole.Tensors[name].Data.SequenceEqual(resumed.Tensors[name].Data), $"tensor {name} differs after the resume");
    }
}
