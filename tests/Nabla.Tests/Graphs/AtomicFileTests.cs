using Nabla.Graphs;

namespace Nabla.Tests.Graphs;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nabla-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Writes_the_whole_text_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_directory, "g.svg");
        File.WriteAllText(path, "old");
        AtomicFile.WriteAllText(path, "new content");
        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal(["g.svg"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failure_while_writing_leaves_the_target_untouched_and_removes_the_temporary_file()
    {
        string path = Path.Combine(_directory, "g.svg");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            stream.Flush();
            throw new InvalidOperationException("disk full (simulated)");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["g.svg"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_target_that_cannot_be_replaced_is_untouched_and_the_temporary_file_removed()
    {
        // The target is a non-empty directory: the rename fails after the content was written.
        string path = Path.Combine(_directory, "out");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "keep.txt"), "kept");
        Assert.ThrowsAny<Exception>(() => AtomicFile.WriteAllText(path, "new"));
        Assert.True(Directory.Exists(path));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "keep.txt")));
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
