using System.Security.Cryptography;
using System.Text;

namespace Nabla.IO;

public static partial class AtomicFile
{
    // The paths this process has claimed, with a count, so a run that claims its outputs can still write them.
    private static readonly Dictionary<string, (FileStream Lock, int Count)> Claimed = new(StringComparer.Ordinal);

    /// <summary>
    /// Claims the given output paths (null entries are skipped) for as long as the returned object is not disposed,
    /// after checking each with <see cref="EnsureWritable"/>. A claim is an exclusive advisory lock on a file named
    /// after the target's full path in the system's temporary directory (<c>nabla-locks/</c>), so the target's own
    /// directory gets no extra file. While one process holds a claim, a write or a claim of the same path from
    /// another process fails with a <see cref="NablaException"/> that says so: the first run wins and the second
    /// stops before it overwrites anything. A process that dies releases its locks.
    /// </summary>
    /// <exception cref="NablaException">A path cannot be written or is claimed by another process.</exception>
    public static IDisposable Claim(params string?[] paths)
    {
        var held = new List<string>();
        try
        {
            foreach (var path in paths)
            {
                if (path is null) continue;
                var full = Path.GetFullPath(path);
                if (held.Contains(full)) continue;
                Acquire(path, full);
                held.Add(full);
                EnsureWritable(path);
            }
        }
        catch
        {
            foreach (var full in held) Release(full);
            throw;
        }
        return new Releaser(held);
    }

    private static void Acquire(string path, string full)
    {
        lock (Claimed)
        {
            if (Claimed.TryGetValue(full, out var entry))
            {
                Claimed[full] = (entry.Lock, entry.Count + 1);
                return;
            }
            var lockPath = LockPath(full);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
                // FileShare.None takes an exclusive advisory lock (flock on Unix) that a second opener cannot get.
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
                var owner = Encoding.UTF8.GetBytes($"{Environment.ProcessId} {full}\n");
                stream.SetLength(0);
                stream.Write(owner);
                stream.Flush();
                Claimed[full] = (stream, 1);
            }
            catch (IOException e)
            {
                throw new NablaException(
                    $"{path}: another process is writing this file right now (it holds the lock {lockPath}{Owner(lockPath)}); " +
                    $"this write was not done, so the other process's file stands ({e.Message})", e);
            }
            catch (UnauthorizedAccessException)
            {
                // No lock directory we may use (a locked-down temporary directory): write without the advisory lock.
            }
        }
    }

    private static void Release(string full)
    {
        lock (Claimed)
        {
            if (!Claimed.TryGetValue(full, out var entry)) return;
            if (entry.Count > 1) { Claimed[full] = (entry.Lock, entry.Count - 1); return; }
            Claimed.Remove(full);
            entry.Lock.Dispose();
        }
    }

    /// <summary>The lock file of a target: its full path hashed, in the temporary directory.</summary>
    internal static string LockPath(string full)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..32];
        return Path.Combine(Path.GetTempPath(), "nabla-locks", hash + ".lock");
    }

    private static string Owner(string lockPath)
    {
        try
        {
            using var reader = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[64];
            int n = reader.Read(buffer);
            var text = Encoding.UTF8.GetString(buffer, 0, n).Split(' ')[0];
            return int.TryParse(text, out int pid) ? $", process {pid}" : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private sealed class Releaser(List<string> held) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var full in held) Release(full);
        }
    }
}
