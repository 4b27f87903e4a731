using System.Security.Cryptography;
using System.Text;

namespace Nabla.IO;

/// <summary>
/// The advisory locks behind <see cref="AtomicFile"/>: one lock file per target in the temporary directory, counted
/// per process, so a second process writing the same path fails with a clear message instead of racing.
/// </summary>
internal static partial class AtomicFile
{
    // The paths this process has claimed, with a count, so a run that claims its outputs can still write them.
    private static readonly Dictionary<string, (FileStream Lock, int Count)> Claimed = new(StringComparer.Ordinal);

    internal static void Acquire(string path, string full)
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

    internal static void Release(string full)
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
}
