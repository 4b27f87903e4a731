using Nabla.Data;

namespace Nabla.Tests.Reliability;

/// <summary>
/// A text file larger than <see cref="Limits.MaxCorpusBytes"/> is refused from its size, before any of it is read: a
/// 300 MB corpus once needed about 2.7 GB while loading.
/// </summary>
public class CorpusLimitTests
{
    [Fact]
    public void A_corpus_one_byte_over_the_limit_is_refused_before_it_is_read()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-corpus-{Guid.NewGuid():N}.txt");
        try
        {
            // A sparse file: its size is past the limit, its blocks are never written.
            using (var f = File.Create(path)) f.SetLength(Limits.MaxCorpusBytes + 1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<NablaException>(() => CharCorpus.Load(path, 0.1));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Contains(path, e.Message);
            Assert.Contains($"{Limits.MaxCorpusBytes + 1:N0} bytes", e.Message);
            Assert.True(allocated < 1_000_000, $"{allocated:N0} bytes allocated before the refusal");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_corpus_within_the_limit_still_loads()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-corpus-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(path, "abcabcabd");
            var corpus = CharCorpus.Load(path, 0);
            Assert.Equal(9, corpus.Length);
        }
        finally { File.Delete(path); }
    }
}
