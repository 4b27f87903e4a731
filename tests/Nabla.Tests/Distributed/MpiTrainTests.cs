using Nabla.Serialization;
using Nabla.Tests.Cli;
using Nabla.Cli.Commands;
using Nabla.Training;
using Nabla.Data;

namespace Nabla.Tests.Distributed;

/// <summary>
/// <c>mpirun -np N nabla train … --distributed</c> for real, on this machine's cores: the weights match one process
/// training on the same global batches, only rank 0 speaks and writes, and failures end every rank with a message.
/// </summary>
public sealed class MpiTrainTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-mpi-").FullName;

    private static Trainer<T> Make<T>(LabeledTable data, TrainSettings settings) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new TrainSetup<T>(data, settings).Trainer;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string[] Run(string dtype, string save, int epochs = 4) =>
        ["train", "--dataset", "moons", "--samples", "150", "--hidden", "8,8", "--batch-size", "11", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--dtype", dtype, "--save", save];

    private static double[] Weights(string path)
    {
        var file = SafetensorsFile.Load(path);
        return [.. file.Names.SelectMany(n => file.Tensors[n].ToDoubleArray())];
    }

    private static double MaxDifference(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    private double[] SingleProcess(string dtype, int epochs = 4)
    {
        string save = PathOf($"single-{dtype}-{epochs}.safetensors");
        var (exit, _, err) = CliRunner.Run(Run(dtype, save, epochs));
        Assert.True(exit == 0, err);
        return Weights(save);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Ranks_end_with_the_single_process_weights_in_float64_and_only_rank_zero_speaks(int ranks)
    {
        Mpirun.Require();
        string save = PathOf($"mpi-{ranks}.safetensors");
        var (exit, output, errors) = Mpirun.Run(ranks, Run("float64", save));
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        double difference = MaxDifference(SingleProcess("float64"), Weights(save));
        Assert.True(difference <= 1e-12, $"{ranks} ranks: max |w - w_single| = {difference:R}");
        // Batches of 11 rows over 2 or 3 ranks: uneven shares every step.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, "wrote model"));
        Assert.Contains($"data-parallel over {ranks} MPI ranks", output);
        Assert.True(File.Exists(save + ".ckpt"));
    }

    [Fact]
    public void Float32_ranks_agree_with_one_process_to_float32_rounding()
    {
        Mpirun.Require();
        // The sum over ranks adds the same float32 terms in another order than one process does, so each step may
        // differ by a few float32 ulps (6e-8 relative); 1e-5 on weights of order 1 allows ~100 ulps after 44 steps.
        string save = PathOf("mpi-f32.safetensors");
        var (exit, output, errors) = Mpirun.Run(3, Run("float32", save));
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        double difference = MaxDifference(SingleProcess("float32"), Weights(save));
        Assert.True(difference <= 1e-5, $"max |w - w_single| = {difference:R}");
    }

    [Fact]
    public void A_killed_rank_stops_the_others_with_a_message_and_leaves_a_whole_checkpoint()
    {
        Mpirun.Require();
        // Far more epochs than the job lives: it is killed mid-run, wherever the machine's speed has got it.
        string save = PathOf("killed.safetensors"), checkpoint = save + ".ckpt";
        string[] args = ["train", "--dataset", "moons", "--samples", "150", "--hidden", "8,8", "--batch-size", "60", "--epochs", "100000",
            "--save", save, "--checkpoint-every", "1"];
        using var job = Mpirun.Start(2, args);
        while (!File.Exists(checkpoint) && !job.HasExited) Thread.Sleep(20);
        var ranks = Mpirun.Ranks(job);
        Assert.True(ranks.ContainsKey(1), $"rank 1 of the job was not found among mpirun's children (found ranks {string.Join(", ", ranks.Keys)})");
        System.Diagnostics.Process.GetProcessById(ranks[1]).Kill();
        var (exit, output, errors) = Mpirun.Finish(job);
        Assert.True(exit != 0, $"the job exited {exit} after a rank was killed\n{output}\n{errors}");
        Assert.Contains("error (rank 0 of 2): stopped because another rank ended", errors);
        Assert.Contains(checkpoint, errors);
        // The checkpoint left behind is whole: the same run loads it.
        var trainer = Make<double>(LabeledTable.FromDataset("moons", 150, 0.1, 0),
            new TrainSettings { Hidden = [8, 8], BatchSize = 60, Epochs = 100000 });
        trainer.LoadCheckpoint(checkpoint);
        Assert.InRange(trainer.CompletedEpochs, 1, 99999);
    }

    [Fact]
    public void Three_ranks_resume_a_checkpoint_one_process_wrote_and_end_with_its_weights()
    {
        Mpirun.Require();
        // The settings the command line below builds; the checkpoint holds global state only, so any rank count resumes it.
        var settings = new TrainSettings { Hidden = [8, 8], BatchSize = 11, Epochs = 4 };
        string save = PathOf("resumed.safetensors");
        var first = Make<double>(LabeledTable.FromDataset("moons", 150, 0.1, 0), settings);
        first.RunEpoch();
        first.RunEpoch();
        first.SaveCheckpoint(save + ".ckpt");
        var (exit, output, errors) = Mpirun.Run(3, [.. Run("float64", save, epochs: 4), "--resume"]);
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Contains("after epoch 2", output);
        double difference = MaxDifference(SingleProcess("float64", epochs: 4), Weights(save));
        Assert.True(difference <= 1e-12, $"max |w - w_single| = {difference:R}");
    }

    [Fact]
    public void Ranks_started_with_other_settings_are_refused_once_by_rank_zero()
    {
        Mpirun.Require();
        string[] common = ["train", "--dataset", "moons", "--epochs", "3"];
        using var job = Mpirun.StartApps([(1, [.. common, "--seed", "0"]), (1, [.. common, "--seed", "1"])]);
        var (exit, output, errors) = Mpirun.Finish(job);
        Assert.True(exit != 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(errors, "rank 1 of 2 started with other settings or data than rank 0"));
        Assert.DoesNotContain("Unhandled", errors);
    }

    [Fact]
    public void A_rank_that_cannot_start_says_so_and_the_others_stop_quietly()
    {
        Mpirun.Require();
        // Rank 1 is given a CSV without the target column: it fails while loading, after MPI has started.
        string csv = PathOf("no-target.csv");
        File.WriteAllText(csv, "x1,x2\n1,2\n3,4\n5,6\n7,8\n");
        using var job = Mpirun.StartApps([
            (1, ["train", "--dataset", "moons", "--epochs", "3"]),
            (1, ["train", "--data", csv, "--target", "label", "--epochs", "3"]),
        ]);
        var (exit, output, errors) = Mpirun.Finish(job);
        Assert.True(exit != 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Contains("error (rank 1 of 2):", errors);
        Assert.Contains("label", errors);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(errors, "^error", System.Text.RegularExpressions.RegexOptions.Multiline));
    }

    [Fact]
    public void Resuming_without_a_checkpoint_is_one_error_from_rank_zero()
    {
        Mpirun.Require();
        string save = PathOf("never.safetensors");
        var (exit, output, errors) = Mpirun.Run(2, [.. Run("float64", save), "--resume"]);
        Assert.True(exit != 0, $"exit {exit}\n{output}\n{errors}");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(errors, "error: --resume: cannot read the checkpoint"));
    }
}
