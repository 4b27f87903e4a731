using System.Text;
using Nabla.IO;

namespace Nabla.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void WriteAllBytes_creates_the_file_with_exactly_those_bytes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.bin");
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3, 255 });
        Assert.Equal(new byte[] { 1, 2, 3, 255 }, File.ReadAllBytes(path));
        Assert.Equal(new[] { "a.bin" }, dir.Entries());
    }

    [Fact]
    public void WriteAllText_replaces_an_existing_file_with_utf8_without_bom()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.txt");
        File.WriteAllText(path, "old content that is longer than the new one");
        AtomicFile.WriteAllText(path, "né");
        Assert.Equal(new byte[] { (byte)'n', 0xC3, 0xA9 }, File.ReadAllBytes(path));
        Assert.Equal(new[] { "a.txt" }, dir.Entries());
    }

    [Fact]
    public void Target_is_unchanged_and_no_temporary_file_remains_when_the_writer_throws_midway()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        File.WriteAllText(path, "old");
        var ex = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(Encoding.ASCII.GetBytes("new partial content"));
            stream.Flush();
            throw new InvalidOperationException("disk full, say");
        }));
        Assert.Equal("disk full, say", ex.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(new[] { "model.safetensors" }, dir.Entries());
    }

    [Fact]
    public void No_file_is_created_when_the_writer_throws_and_there_was_no_target()
    {
        using var dir = new TempDirectory();
        var path = dir.File("new.txt");
        Assert.Contains("boom", Assert.Throws<NablaException>(() => AtomicFile.Write(path, _ => throw new IOException("boom"))).Message);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void The_temporary_file_lives_in_the_target_directory_until_the_rename()
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.txt");
        string[] during = [];
        AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(42);
            during = dir.Entries();
        });
        var single = Assert.Single(during);
        Assert.StartsWith(".x.txt.", single);
        Assert.EndsWith(".tmp", single);
        Assert.Equal(new[] { "x.txt" }, dir.Entries());
        Assert.Equal(new byte[] { 42 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_missing_directory_is_reported_by_name()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "no-such-dir", "a.txt");
        var ex = Assert.Throws<NablaException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.Contains("no-such-dir", ex.Message);
        Assert.Contains("does not exist", ex.Message);
    }
}
