using System.Diagnostics;
using Nabla.IO;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;

namespace Nabla.Tests.Reliability;

/// <summary>Issue 11, item 7: stale temporaries, the disk-full message, read-only folders and concurrent writers.</summary>
public class AtomicFileReliabilityTests
{
    [Fact]
    public void Temporaries_left_by_a_killed_save_are_removed_by_the_next_save_of_the_same_target_only()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        // What a kill -9 during a save leaves: temporaries named like the writer's, for this target and another.
        string[] stale = [$".m.safetensors.{Guid.NewGuid():N}.tmp", $".m.safetensors.{Guid.NewGuid():N}.tmp"];
        foreach (var name in stale) File.WriteAllText(dir.File(name), "partial");
        var otherTarget = $".other.csv.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(dir.File(otherTarget), "partial");
        File.WriteAllText(dir.File(".m.safetensors.notes.tmp"), "a user's file that only looks similar");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([".m.safetensors.notes.tmp", otherTarget, "m.safetensors"], dir.Entries().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_write_failure_names_the_target_not_the_hidden_temporary_file_and_leaves_nothing_behind()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        File.WriteAllText(path, "old");
        // The runtime's message for ENOSPC names the file being written, which is the temporary one.
        var e = Assert.Throws<NablaException>(() => AtomicFile.Write(path, stream =>
            throw new IOException($"No space left on device : '{((FileStream)stream).Name}'")));
        Assert.Contains($"No space left on device : '{path}'", e.Message);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Contains("unchanged", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["m.safetensors"], dir.Entries());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_read_only_output_folder_is_reported_before_training_starts()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix permissions: a Windows read-only folder works differently");
        using var dir = new TempDirectory();
        var ro = Directory.CreateDirectory(dir.File("ro")).FullName;
        File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            if (CanCreateFileIn(ro)) Assert.Skip("permissions are not enforced for this user (running as root), so a read-only folder cannot be made");
            var e = Assert.Throws<NablaException>(() => AtomicFile.EnsureWritable(Path.Combine(ro, "m.safetensors")));
            Assert.Contains("cannot write in the directory", e.Message);
            var (exit, stdout, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "1", "--save", Path.Combine(ro, "m.safetensors"));
            Assert.Equal(2, exit);
            Assert.DoesNotContain("epoch", stdout);
            Assert.Contains("cannot write in the directory", stderr);
        }
        finally
        {
            File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void EnsureWritable_refuses_a_missing_directory_and_a_directory_target_and_leaves_no_file()
    {
        using var dir = new TempDirectory();
        Assert.Contains("does not exist", Assert.Throws<NablaException>(() => AtomicFile.EnsureWritable(dir.File("nope/m.bin"))).Message);
        Directory.CreateDirectory(dir.File("d"));
        Assert.Contains("is a directory", Assert.Throws<NablaException>(() => AtomicFile.EnsureWritable(dir.File("d"))).Message);
        AtomicFile.EnsureWritable(dir.File("ok.bin"));
        Assert.Equal(["d"], dir.Entries());
    }

    [Fact]
    public void A_second_process_writing_the_same_path_is_told_that_the_first_one_holds_it()
    {
        using var dir = new TempDirectory();
        var path = Path.GetFullPath(dir.File("m.safetensors"));
        var lockPath = AtomicFile.LockPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        // util-linux flock takes the same flock(2) lock the runtime takes for FileShare.None; -o keeps the lock in
        // flock itself (not in the shell it starts), so killing the tree releases it at once.
        Process holder;
        try
        {
            holder = Process.Start(new ProcessStartInfo("flock", ["-x", "-o", lockPath, "-c", "echo held; sleep 60"]) { RedirectStandardOutput = true })!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Skip("the flock command (util-linux) is not installed");
            return;
        }
        try
        {
            Assert.Equal("held", holder.StandardOutput.ReadLine());
            var e = Assert.Throws<NablaException>(() => AtomicFile.WriteAllText(path, "second"));
            Assert.Contains("another process is writing this file right now", e.Message);
            Assert.False(File.Exists(path));
            var (exit, _, stderr) = CliRunner.Run("train", "--dataset", "moons", "--epochs", "1", "--save", path);
            Assert.Equal(2, exit);
            Assert.Contains("another process is writing this file", stderr);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
        AtomicFile.WriteAllText(path, "after");
        Assert.Equal("after", File.ReadAllText(path));
    }

    [Fact]
    public void A_run_that_claims_its_outputs_can_still_write_them_itself()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.bin");
        using (Nabla.Cli.OutputClaim.Of(path, null, dir.File("r.json")))
        {
            AtomicFile.WriteAllText(path, "1");
            AtomicFile.WriteAllText(path, "2");
        }
        Assert.Equal("2", File.ReadAllText(path));
        Assert.Equal(["m.bin"], dir.Entries());
    }

    private static bool CanCreateFileIn(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, "probe");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
