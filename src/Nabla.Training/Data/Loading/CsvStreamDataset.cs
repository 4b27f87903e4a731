using System.Numerics;
using CsvHelper;
using Nabla.Rng;

namespace Nabla.Data;

/// <summary>
/// A numeric CSV file read as a stream of samples, for files too large to load (<see cref="CsvLoader"/> holds every
/// row): each pass reads the rows in file order, parsing each straight into the batch, with the column selection,
/// missing-value handling and error messages (<c>file:line: column c ("name"): …</c>) of <see cref="CsvLoader"/>.
/// Input: values [F] (the feature columns). Target: a class index (batched as an
/// <see cref="Nabla.Tensors.IndexTensor"/> [B]) with <see cref="CsvOptions.ClassTarget"/>, which here needs
/// <see cref="CsvOptions.KnownClasses"/> since the classes cannot be learned without reading the whole file; values [1]
/// for a numeric target; values [0] when there is no target.
/// <para>
/// With <see cref="ShuffleBuffer"/> K &gt; 0 the order is shuffled approximately, as tf.data does: the first K rows fill
/// a buffer, and each sample is a uniformly drawn buffer row, whose slot the next row of the file takes; a row can
/// therefore move at most K − 1 places earlier. A full shuffle would need every row's byte offset (an index of the file,
/// 8 bytes a row, itself large for billions of rows) and random reads all over a file that does not fit in the page
/// cache; a buffer keeps reads sequential and memory fixed. Larger K shuffles better; shuffle the file once offline when
/// the order within it is strongly sorted.
/// </para>
/// <para>
/// Memory, independent of the file's length: K·(F + t)·sizeof(T) bytes for the shuffle buffer (t = 1 with a target,
/// else 0), plus the CSV reader's buffer (64 KiB, growing to hold the longest record, at most
/// <see cref="MaxRecordBytes"/>), plus the header. A <see cref="DataLoader{T}"/> adds its batches.
/// </para>
/// </summary>
public sealed class CsvStreamDataset<T> : IIterableDataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The longest record the reader buffers, in bytes: a missing closing quote fails here rather than reading the file into memory.</summary>
    public const int MaxRecordBytes = 16 << 20;

    /// <summary>The largest <see cref="ShuffleBuffer"/> (rows).</summary>
    public const int MaxShuffleBuffer = 1 << 24;

    private readonly RandomState random;

    private CsvStreamDataset(string path, CsvOptions options, string[] header, CsvColumns columns, int shuffleBuffer, RandomState random)
    {
        Path = path;
        Options = options;
        Header = header;
        Columns = columns;
        ShuffleBuffer = shuffleBuffer;
        this.random = random;
        FeatureNames = [.. columns.Features.Select(c => header[c])];
        TargetName = columns.Target >= 0 ? header[columns.Target] : null;
        Input = SampleField.Values(columns.Features.Length);
        Target = columns.Target < 0 ? SampleField.Values(0) : options.ClassTarget ? SampleField.Indices() : SampleField.Values(1);
    }

    /// <summary>
    /// Reads the header of <paramref name="path"/> and resolves the columns (as <see cref="CsvLoader"/> does); the rows
    /// are read by each pass.
    /// </summary>
    /// <param name="path">The CSV file: a header row, then data rows.</param>
    /// <param name="options">Columns, separator and missing-value handling; <see cref="CsvOptions.ClassTarget"/> needs <see cref="CsvOptions.KnownClasses"/>.</param>
    /// <param name="shuffleBuffer">K: rows held to shuffle within, 0 (file order) … <see cref="MaxShuffleBuffer"/>.</param>
    /// <param name="random">The generator for the shuffle; <see cref="RandomState.Default"/> when null. Each pass draws anew.</param>
    /// <exception cref="NablaException">The file is missing, has no header, or a requested column is not in it.</exception>
    public static CsvStreamDataset<T> FromFile(string path, CsvOptions? options = null, int shuffleBuffer = 0, RandomState? random = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new CsvOptions();
        if (shuffleBuffer is < 0 or > MaxShuffleBuffer)
            throw new NablaArgumentException(nameof(shuffleBuffer), $"CsvStreamDataset: shuffleBuffer is {shuffleBuffer}; it must be in [0, {MaxShuffleBuffer}]");
        if (options.ClassTarget && options.KnownClasses is null)
            throw new NablaArgumentException(nameof(options), $"{path}: a streamed class target needs CsvOptions.KnownClasses: the classes cannot be learned without reading the whole file");
        using var csv = OpenReader(path, options);
        string[] header = ReadHeader(csv, path);
        var columns = CsvColumns.Resolve(header, options, path);
        return new CsvStreamDataset<T>(path, options, header, columns, shuffleBuffer, random ?? RandomState.Default);
    }

    /// <summary>The file, as named in messages.</summary>
    public string Path { get; }

    /// <summary>The names of the feature columns, in input order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The target column's name, or null when there is none.</summary>
    public string? TargetName { get; }

    /// <summary>K, the rows of the shuffle buffer; 0 reads in file order.</summary>
    public int ShuffleBuffer { get; }

    /// <summary>Values [F]: the feature columns.</summary>
    public SampleField Input { get; }

    /// <summary>Indices [] for a class target, values [1] for a numeric one, values [0] without a target.</summary>
    public SampleField Target { get; }

    internal CsvOptions Options { get; }

    internal string[] Header { get; }

    internal CsvColumns Columns { get; }

    /// <summary>Starts a pass at the first data row (with a shuffle buffer, a fresh shuffle from the generator).</summary>
    public ISampleReader<T> Open()
    {
        var csv = OpenReader(Path, Options);
        try
        {
            if (!ReadHeader(csv, Path).AsSpan().SequenceEqual(Header))
                throw new NablaException($"{Path}: the header row changed since the dataset was opened; open the file again");
            var rows = new CsvRowReader<T>(csv, this);
            return ShuffleBuffer == 0 ? rows : new ShuffledRows<T>(rows, ShuffleBuffer, Input.Size, Target, random);
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }

    private static CsvReader OpenReader(string path, CsvOptions options)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NablaException($"{path}: file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NablaException($"{path}: cannot read ({e.Message})", e);
        }
        var readerOptions = CsvLoader.ReaderOptions(options) with { MaxRecordSize = MaxRecordBytes };
        return CsvReader.Create(file, readerOptions, leaveOpen: false);
    }

    private static string[] ReadHeader(CsvReader csv, string path)
    {
        try
        {
            csv.ReadHeader();
        }
        catch (CsvFormatException e)
        {
            throw new NablaException($"{path}:{e.LineNumber}: {e.Message}", e);
        }
        var header = csv.Headers.ToArray();
        if (header.Length == 0)
            throw new NablaException($"{path}: the file is empty; a header row naming the columns is required");
        return header;
    }
}
