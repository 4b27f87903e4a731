using Nabla.IO;

namespace Nabla.Cli;

/// <summary>
/// A command's claim on its output files for the whole run (a training run's model, checkpoint, plot, record and
/// report), so a second run writing the same files stops at its start instead of after hours of training.
/// </summary>
public static class OutputClaim
{
    /// <summary>
    /// Claims the given output paths (null entries are skipped) for as long as the returned object is not disposed,
    /// after checking each with <see cref="AtomicFile.EnsureWritable"/>. A claim is an exclusive advisory lock on a file named
    /// after the target's full path in the system's temporary directory (<c>nabla-locks/</c>), so the target's own
    /// directory gets no extra file. While one process holds a claim, a write or a claim of the same path from
    /// another process fails with a <see cref="NablaException"/> that says so: the first run wins and the second
    /// stops before it overwrites anything. A process that dies releases its locks.
    /// </summary>
    /// <exception cref="NablaException">A path cannot be written or is claimed by another process.</exception>
    public static IDisposable Of(params string?[] paths)
    {
        var held = new List<string>();
        try
        {
            foreach (var path in paths)
            {
                if (path is null) continue;
                var full = Path.GetFullPath(path);
                if (held.Contains(full)) continue;
                AtomicFile.Acquire(path, full);
                held.Add(full);
                AtomicFile.EnsureWritable(path);
            }
        }
        catch
        {
            foreach (var full in held) AtomicFile.Release(full);
            throw;
        }
        return new Releaser(held);
    }

    private sealed class Releaser(List<string> held) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var full in held) AtomicFile.Release(full);
        }
    }
}
