using System.Collections.Concurrent;
using System.Text;

namespace Nabla.IO;

/// <summary>
/// Writes files so that a reader sees either the complete old content or the complete new content, never a mix.
/// The bytes go to a temporary file in the target's directory (named <c>.{name}.{32 hex digits}.tmp</c>), are
/// flushed to the disk with <see cref="FileStream.Flush(bool)"/>, and the temporary file is then renamed over the
/// target. If anything throws before the rename, the temporary file is deleted and the old target is left untouched;
/// temporary files of the same target left by a killed process are deleted by the next write. While a write is in
/// progress the target is claimed with an advisory lock (see <see cref="Acquire"/>), so a second writer to the same
/// path fails with an error instead of both succeeding silently.
/// </summary>
internal static partial class AtomicFile
{
    // Temporary files this process is writing now: never stale, whatever another thread's cleanup finds.
    private static readonly ConcurrentDictionary<string, byte> InProgress = new(StringComparer.Ordinal);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="bytes"/>, atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        // A span cannot be captured by the lambda, so copy once; files written this way are small.
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> encoded as UTF-8 without a byte-order mark, atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>
    /// Replaces <paramref name="path"/> with whatever <paramref name="write"/> writes to the stream it is given,
    /// atomically. The stream must not be disposed by <paramref name="write"/>.
    /// </summary>
    /// <exception cref="NablaException">The target's directory does not exist, another writer holds the target,
    /// or the file system refused the write (disk full, no permission); the message names the target, not the
    /// temporary file, and says the old content is unchanged.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = CheckDirectory(path, full);
        Acquire(path, full);
        var temporary = TemporaryPath(directory, Path.GetFileName(full));
        InProgress.TryAdd(temporary, 0);
        try
        {
            RemoveStaleTemporaries(directory, Path.GetFileName(full));
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            // The temporary file is an implementation detail: name the file the user asked for.
            var reason = e.Message.Replace(temporary, full, StringComparison.Ordinal);
            throw new NablaException($"{path}: the file could not be written ({reason}); its previous content, if any, is unchanged", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        finally
        {
            InProgress.TryRemove(temporary, out _);
            Release(full);
        }
    }

    /// <summary>
    /// Checks, before any long work, that <paramref name="path"/> can be written: its directory exists and accepts a
    /// new file (a probe file is created and deleted), the path is not a directory, and no other writer holds it.
    /// </summary>
    /// <exception cref="NablaException">The path cannot be written; the message says why.</exception>
    public static void EnsureWritable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = CheckDirectory(path, full);
        if (Directory.Exists(full)) throw new NablaException($"{path}: is a directory, not a file that can be written");
        Acquire(path, full);
        var probe = TemporaryPath(directory, Path.GetFileName(full));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            throw new NablaException($"{path}: cannot write in the directory '{directory}' ({e.Message.Replace(probe, directory, StringComparison.Ordinal)})", e);
        }
        finally
        {
            Release(full);
        }
    }

    /// <summary>The temporary name used while writing <paramref name="fileName"/> in <paramref name="directory"/>.</summary>
    internal static string TemporaryPath(string directory, string fileName) =>
        Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");

    private static string CheckDirectory(string path, string full)
    {
        var directory = Path.GetDirectoryName(full) ?? throw new NablaException($"{path}: cannot write a file at the root of a drive");
        if (!Directory.Exists(directory))
            throw new NablaException($"{path}: cannot write the file because the directory '{directory}' does not exist");
        return directory;
    }

    /// <summary>
    /// Deletes <c>.{fileName}.{32 hex digits}.tmp</c> files in <paramref name="directory"/>: the caller holds the
    /// target's claim, so no live writer owns them; they were left by a process that was killed mid-write.
    /// </summary>
    private static void RemoveStaleTemporaries(string directory, string fileName)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, $".{fileName}.*.tmp").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // the write itself will report a directory it cannot use
        }
        foreach (var candidate in candidates)
        {
            var middle = Path.GetFileName(candidate)[(fileName.Length + 2)..^4];
            if (middle.Length == 32 && middle.All(char.IsAsciiHexDigitLower) && !InProgress.ContainsKey(candidate)) TryDelete(candidate);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
