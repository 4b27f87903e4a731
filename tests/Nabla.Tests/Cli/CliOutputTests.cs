using System.Diagnostics;
using Nabla.Cli;
using Nabla.Cli.Rendering;

namespace Nabla.Tests.Cli;

/// <summary>
/// What reaches a log: no hard wrap and no terminal control codes in a file, a pipe or mpirun's output, COLUMNS
/// honoured, counts with their nouns in the right number, and mpirun without --distributed refused by rank 0 alone.
/// </summary>
public sealed class CliOutputTests
{
    [Fact]
    public void A_line_longer_than_any_terminal_is_not_wrapped_into_a_pipe_and_one_epoch_is_singular()
    {
        // The settings line is longer than 120 columns, the width output used to be wrapped at.
        var (exit, stdout, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "1", "--early-stopping", "5", "--hidden", "4");
        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n');
        string settings = Assert.Single(lines, l => l.StartsWith("Training ", StringComparison.Ordinal));
        Assert.True(settings.Length > 120, settings);
        Assert.EndsWith("early stopping after 5 epochs without improvement", settings.TrimEnd());
        Assert.Contains(", 1 epoch, ", settings);
        Assert.Contains(lines, l => l.StartsWith("1 epoch in ", StringComparison.Ordinal));
        Assert.DoesNotContain("1 epochs", stdout);
        Assert.Contains("task: classification into 2 classes", stdout);
    }

    [Fact]
    public void COLUMNS_sets_the_width_and_without_it_a_pipe_is_not_wrapped()
    {
        using var nabla = new NablaProcess();
        var narrow = nabla.Run("nabla explain", new Dictionary<string, string?> { ["COLUMNS"] = "60" });
        Assert.True(narrow.Exit == 0, narrow.Err);
        var wide = nabla.Run("nabla explain");
        Assert.True(wide.Exit == 0, wide.Err);
        int Widest(string text) => text.Split('\n').Max(l => l.TrimEnd().Length);
        Assert.True(Widest(narrow.Out) <= 60, $"COLUMNS=60, but a line is {Widest(narrow.Out)} wide:\n{narrow.Out}");
        Assert.True(Widest(wide.Out) > 60, "the explanation's tables are wider than 60 columns when nothing narrows them");
        string inputs = Assert.Single(wide.Out.Split('\n'), l => l.StartsWith("at beta0 = 1,", StringComparison.Ordinal));
        Assert.EndsWith("y = 2", inputs); // the whole list of inputs on one line
    }

    [Fact]
    public void Under_mpirun_a_rank_whose_output_is_a_pseudo_terminal_writes_no_control_codes()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/script")) Assert.Skip("needs util-linux 'script' to give nabla a pseudo-terminal");
        string nabla = Path.Combine(AppContext.BaseDirectory, "nabla.dll");
        string InTerminal(bool mpi)
        {
            var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var word in new[] { "-qec", $"dotnet '{nabla}' explain \"y = sin(x) * x\" --at x=2", "/dev/null" }) start.ArgumentList.Add(word);
            start.Environment.Remove("COLUMNS");
            start.Environment["TERM"] = "xterm-256color";
            start.Environment.Remove("NO_COLOR");
            // What Open MPI sets in each rank's environment (mpirun gives a rank's stdout a pseudo-terminal).
            if (mpi) { start.Environment["OMPI_COMM_WORLD_SIZE"] = "1"; start.Environment["OMPI_COMM_WORLD_RANK"] = "0"; }
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {error.Result}{output}");
            return output;
        }
        // Colours and styles (SGR sequences, ESC [ … m) are nabla's own; the runtime itself may switch a terminal's
        // keypad mode on start, which is not nabla's output and is not looked for here.
        var style = new System.Text.RegularExpressions.Regex(@"\u001b\[[0-9;]*m");
        // The control: in a pseudo-terminal outside mpirun the heading is drawn in bold.
        Assert.Matches(style, InTerminal(mpi: false));
        string log = InTerminal(mpi: true);
        Assert.Contains("Explaining y = ", log);
        Assert.DoesNotMatch(style, log);
    }

    [Fact]
    public void Train_under_mpirun_without_distributed_is_refused_once_by_rank_0()
    {
        using var nabla = new NablaProcess();
        var rank0 = nabla.Run("nabla train --dataset moons --epochs 1 --save out/m.safetensors",
            new Dictionary<string, string?> { ["OMPI_COMM_WORLD_SIZE"] = "2", ["OMPI_COMM_WORLD_RANK"] = "0" });
        Assert.Equal(NablaCli.BadInput, rank0.Exit);
        Assert.Equal("", rank0.Out);
        string line = Assert.Single(rank0.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: this process is one of 2 MPI ranks", line);
        Assert.Contains("add --distributed", line);
        Assert.False(Directory.Exists(Path.Combine(nabla.Folder, "out")), "nothing is written");

        var rank1 = nabla.Run("nabla train --dataset moons --epochs 1 --save out/m.safetensors",
            new Dictionary<string, string?> { ["OMPI_COMM_WORLD_SIZE"] = "2", ["OMPI_COMM_WORLD_RANK"] = "1" });
        Assert.Equal((NablaCli.BadInput, "", ""), (rank1.Exit, rank1.Out, rank1.Err));

        // A bad command line is the same on every rank: rank 0 alone says so.
        var typo = nabla.Run("nabla train --epochs 0", new Dictionary<string, string?> { ["OMPI_COMM_WORLD_SIZE"] = "2", ["OMPI_COMM_WORLD_RANK"] = "1" });
        Assert.Equal((NablaCli.BadInput, ""), (typo.Exit, typo.Err));
    }

    [Fact]
    public void The_launcher_environment_gives_size_and_rank_and_one_rank_is_allowed()
    {
        Assert.Null(MpiLaunch.FromEnvironment(_ => null));
        var env = new Dictionary<string, string> { ["OMPI_COMM_WORLD_SIZE"] = "4", ["OMPI_COMM_WORLD_RANK"] = "3" };
        Assert.Equal((4, 3), MpiLaunch.FromEnvironment(env.GetValueOrDefault));
        var pmi = new Dictionary<string, string> { ["PMI_SIZE"] = "2", ["PMI_RANK"] = "0" };
        Assert.Equal((2, 0), MpiLaunch.FromEnvironment(pmi.GetValueOrDefault));
        Assert.Null(MpiLaunch.UndistributedTrain((1, 0)));
        Assert.Null(MpiLaunch.UndistributedTrain(null));
        Assert.Contains("one of 3 MPI ranks", MpiLaunch.UndistributedTrain((3, 0)));
    }

    [Theory]
    [InlineData(1, "epoch", "1 epoch")]
    [InlineData(0, "epoch", "0 epochs")]
    [InlineData(2, "MPI rank", "2 MPI ranks")]
    [InlineData(1, "class", "1 class")]
    [InlineData(3, "class", "3 classes")]
    [InlineData(1, "validation row", "1 validation row")]
    [InlineData(2, "prediction", "2 predictions")]
    public void Counts_take_the_right_number(long count, string noun, string expected) => Assert.Equal(expected, Plural.Of(count, noun));

    [Fact]
    public void The_width_is_COLUMNS_then_the_terminal_then_unlimited()
    {
        Assert.Equal(300, ConsoleWidth.Of(terminal: false, "300", 80));
        Assert.Equal(300, ConsoleWidth.Of(terminal: true, "300", 80));
        Assert.Equal(80, ConsoleWidth.Of(terminal: true, null, 80));
        Assert.Equal(80, ConsoleWidth.Of(terminal: true, "wide", 80));
        Assert.Equal(ConsoleWidth.Unlimited, ConsoleWidth.Of(terminal: false, null, 80));
        Assert.Equal(ConsoleWidth.Unlimited, ConsoleWidth.Of(terminal: true, null, 0));
    }
}
