using Nabla.IO;

namespace Nabla.Tests.IO;

public sealed class AtomicFileReplaceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nabla-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
