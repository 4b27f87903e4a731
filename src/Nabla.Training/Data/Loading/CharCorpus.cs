using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace Nabla.Data;

/// <summary>
/// A UTF-8 text as a character-level corpus: its <see cref="CharVocabulary"/>, the id of every character, and a split
/// into a training head and a held-out validation tail (nanoGPT's <c>n = int(0.9 * len(data))</c>: the first
/// ⌊(1 − f)·len⌋ characters train, the rest validate). Memory: 4 bytes per character for the ids, plus the text
/// while it is encoded.
/// </summary>
public sealed class CharCorpus
{
    private readonly int[] ids;

    private CharCorpus(string source, string text, double validationFraction)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new NablaArgumentException(nameof(validationFraction), $"CharCorpus: validationFraction is {validationFraction.ToString(CultureInfo.InvariantCulture)}; it must be in [0, 1)");
        if (text.Length == 0) throw new NablaException($"{source}: the text is empty; a character corpus needs at least two characters");
        Source = source;
        Vocabulary = CharVocabulary.Of(text);
        ids = Vocabulary.Encode(text);
        TrainingLength = (int)((1 - validationFraction) * ids.Length);
        ValidationFraction = validationFraction;
    }

    /// <summary>
    /// Reads the UTF-8 file at <paramref name="path"/> (a leading byte-order mark is skipped). Refuses, naming the file:
    /// a missing or empty file, a NUL byte or an invalid UTF-8 sequence (a binary file; the byte offset is given), and a
    /// file larger than <see cref="Limits.MaxCorpusBytes"/>, before anything is read.
    /// </summary>
    public static CharCorpus Load(string path, double validationFraction = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            if (file.Length > Limits.MaxCorpusBytes)
                throw new NablaException($"{path}: {file.Length:N0} bytes is more than the {Limits.MaxCorpusBytes:N0} a character corpus may read (see docs/limits.md)");
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NablaException($"{path}: file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NablaException($"{path}: cannot read ({e.Message})", e);
        }
        return new CharCorpus(path, Decode(bytes, path), validationFraction);
    }

    /// <summary>The corpus of <paramref name="text"/>; messages name it <paramref name="source"/>.</summary>
    public static CharCorpus FromText(string text, double validationFraction = 0, string source = "<text>")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CharCorpus(source, text, validationFraction);
    }

    /// <summary>The file name (or the name given with the text), as used in messages.</summary>
    public string Source { get; }

    /// <summary>The sorted distinct characters and their ids.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The fraction of the text held out at its end.</summary>
    public double ValidationFraction { get; }

    /// <summary>The id of every character of the text, in order.</summary>
    public ReadOnlySpan<int> Ids => ids;

    /// <summary>The number of characters of the text.</summary>
    public int Length => ids.Length;

    /// <summary>The number of leading characters used for training.</summary>
    public int TrainingLength { get; }

    /// <summary>The number of trailing characters held out for validation.</summary>
    public int ValidationLength => ids.Length - TrainingLength;

    /// <summary>Windows of <paramref name="context"/> ids over the training head (never reaching into the held-out tail).</summary>
    public TextWindows Training(int context) => new(ids, 0, TrainingLength, context, $"{Source} (training part)");

    /// <summary>Windows of <paramref name="context"/> ids over the held-out tail.</summary>
    /// <exception cref="NablaException">The corpus holds nothing out (<see cref="ValidationFraction"/> is 0).</exception>
    public TextWindows Validation(int context) => ValidationLength == 0
        ? throw new NablaException($"{Source}: there is no validation part; give a validationFraction > 0")
        : new(ids, TrainingLength, ValidationLength, context, $"{Source} (validation part)");

    /// <summary>The text of UTF-8 <paramref name="bytes"/>, refusing NUL bytes and invalid sequences with their offset.</summary>
    private static string Decode(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        if (bytes.IsEmpty) throw new NablaException($"{path}: the file is empty; a character corpus needs text");
        int nul = bytes.IndexOf((byte)0);
        if (nul >= 0) throw new NablaException($"{path}: byte {nul} is NUL (0x00): a binary file, not UTF-8 text");
        var chars = new char[bytes.Length]; // UTF-8 never takes fewer bytes than UTF-16 takes chars
        var status = Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
            throw new NablaException($"{path}: byte {read} (0x{bytes[read]:X2}) starts an invalid UTF-8 sequence: a binary file, not UTF-8 text");
        return new string(chars, 0, written);
    }
}
