using System.Text;

namespace Nabla.IO;

/// <summary>
/// Writes files so that a reader sees either the complete old content or the complete new content, never a mix.
/// The bytes go to a temporary file in the target's directory (named <c>.{name}.{random}.tmp</c>), are flushed to
/// the disk with <see cref="FileStream.Flush(bool)"/>, and the temporary file is then renamed over the target.
/// If anything throws before the rename, the temporary file is deleted and the old target is left untouched.
/// </summary>
public static class AtomicFile
{
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
    /// <exception cref="NablaException">The target's directory does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new NablaException($"{path}: cannot write a file at the root of a drive");
        if (!Directory.Exists(directory))
            throw new NablaException($"{path}: cannot write the file because the directory '{directory}' does not exist");
        var temporary = TemporaryPath(directory, Path.GetFileName(full));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>The temporary name used while writing <paramref name="fileName"/> in <paramref name="directory"/>.</summary>
    internal static string TemporaryPath(string directory, string fileName) =>
        Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");

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
