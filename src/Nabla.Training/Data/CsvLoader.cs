using System.Globalization;
using CsvHelper;
using Nabla.Training;

namespace Nabla.Data;

/// <summary>
/// Loads numeric CSV data: a header row naming the columns, then one data row per record. Cells are parsed as
/// doubles in the invariant culture (surrounding whitespace allowed; NaN and infinities refused). Quoting follows
/// RFC 4180 (tokenised by CsvHelper); empty lines are skipped. Every error is a <see cref="NablaException"/> of the
/// form <c>data.csv:7: column 3 ("x2"): "abc" is not a number</c>, where 7 is the 1-based line (the header is line 1,
/// blank lines and lines inside quoted fields count) on which the cell starts.
/// </summary>
public static class CsvLoader
{
    /// <summary>
    /// Loads the features and the target column <see cref="CsvOptions.Target"/> of the file at <paramref name="path"/>;
    /// errors name it as given. The target is a regression's value, or with <see cref="CsvOptions.ClassTarget"/> a
    /// class label (<see cref="LabeledTable.Classes"/> in index order).
    /// </summary>
    /// <exception cref="ArgumentException">The options name no target column (<see cref="LoadTable(string, CsvOptions?)"/> reads features alone).</exception>
    public static LabeledTable Load(string path, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Labeled(LoadRows(path, RequireTarget(options)), options, path);
    }

    /// <summary>Loads CSV text from <paramref name="text"/> as <see cref="Load(string, CsvOptions)"/> does; errors name it <paramref name="source"/>.</summary>
    public static LabeledTable Load(TextReader text, CsvOptions options, string source = "<csv>")
    {
        ArgumentNullException.ThrowIfNull(options);
        return Labeled(LoadRows(text, RequireTarget(options), source), options, source);
    }

    /// <summary>Loads the feature columns of the file at <paramref name="path"/> (a target column named by the options is skipped); errors name it as given.</summary>
    public static Table LoadTable(string path, CsvOptions? options = null) => LoadRows(path, options ?? new CsvOptions()).Features;

    /// <summary>Loads the feature columns of CSV text from <paramref name="text"/>; errors name it <paramref name="source"/>.</summary>
    public static Table LoadTable(TextReader text, CsvOptions? options = null, string source = "<csv>") =>
        LoadRows(text, options ?? new CsvOptions(), source).Features;

    private static CsvOptions RequireTarget(CsvOptions options) => options.Target is not null ? options
        : throw new ArgumentException("the options name no target column; LoadTable reads features alone", nameof(options));

    private static LabeledTable Labeled(Rows rows, CsvOptions options, string source) =>
        new(rows.Features, rows.Targets!, options.ClassTarget ? TaskKind.Classification : TaskKind.Regression, rows.Classes ?? [], rows.TargetName!)
            { Description = Path.GetFileName(source) };

    // The kept rows: features (with their lines), and the target column when the options name one.
    private sealed record Rows(Table Features, string? TargetName, double[]? Targets, IReadOnlyList<string>? Classes);

    private static Rows LoadRows(string path, CsvOptions options)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NablaException($"{path}: file not found", ex);
        }
        using (reader) return LoadRows(reader, options, path);
    }

    private static Rows LoadRows(TextReader text, CsvOptions options, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        char separator;
        if (options.Separator is { } given) separator = given;
        else
        {
            (string header, text) = CsvHeaderPeek.Open(text);
            separator = CsvSeparator.Detect(header);
        }
        using var csv = CsvReader.Create(text, ReaderOptions(options, separator), leaveOpen: true);
        try
        {
            return Read(csv, options, source, separator);
        }
        catch (CsvFormatException ex)
        {
            throw new NablaException($"{source}:{ex.LineNumber}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The tokeniser settings for <paramref name="options"/>: a header row, blank lines skipped, line numbers tracked,
    /// malformed quoting an error; fields separated by <paramref name="detected"/>, else by the options' separator, else by a comma.
    /// </summary>
    internal static CsvReaderOptions ReaderOptions(CsvOptions options, char? detected = null) => CsvReaderOptions.Default with
    {
        Separator = detected ?? options.Separator ?? ',',
        HasHeader = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private static Rows Read(CsvReader csv, CsvOptions options, string source, char separator)
    {
        csv.ReadHeader();
        var header = csv.Headers.ToArray();
        if (header.Length == 0)
            throw new NablaException($"{source}: the file is empty; a header row naming the columns is required");
        var columns = CsvColumns.Resolve(header, options, source, separator);

        var features = new List<double>();
        var targets = columns.Target >= 0 ? new List<double>() : null;
        var labels = options.ClassTarget && columns.Target >= 0 ? new List<string>() : null;
        var lines = new List<int>();
        var dropped = new List<int>();
        var row = new double[columns.Features.Length];
        while (csv.Read())
        {
            var line = checked((int)csv.LineNumber);
            if (csv.FieldCount == 1 && csv.GetString(0).AsSpan().Trim().IsEmpty)
                continue; // a line of spaces is as blank as an empty one
            if (csv.FieldCount != header.Length)
                throw new NablaException($"{source}:{line}: {csv.FieldCount} field{(csv.FieldCount == 1 ? "" : "s")}, but the header has {header.Length} columns");
            var cells = new CsvCells(csv, header, source, line);
            if (columns.Selected.Any(cells.IsEmpty))
            {
                if (options.MissingValues == MissingValues.Drop)
                {
                    dropped.Add(line);
                    continue;
                }
                var first = columns.Selected.First(cells.IsEmpty);
                throw new NablaException($"{cells.Where(first)}: missing value (empty cell)");
            }
            for (var j = 0; j < row.Length; j++) row[j] = cells.Number(columns.Features[j]);
            features.AddRange(row);
            if (labels is not null)
                labels.Add(cells.Label(columns.Target, options.KnownClasses));
            else
                targets?.Add(cells.Number(columns.Target));
            lines.Add(line);
        }

        if (lines.Count == 0)
            throw new NablaException(dropped.Count == 0
                ? $"{source}: the file has a header but no data rows"
                : $"{source}: all {dropped.Count} data rows have missing values and were dropped");

        IReadOnlyList<string>? classes = null;
        if (labels is not null)
        {
            var order = options.KnownClasses?.ToArray() ?? CsvClassLabels.Order(labels);
            var index = order.Select((label, k) => (label, k)).ToDictionary(p => p.label, p => p.k, StringComparer.Ordinal);
            targets = labels.Select(l => (double)index[l]).ToList();
            classes = order;
        }
        var table = new Table(columns.Features.Select(c => header[c]).ToArray(), features.ToArray()) { Lines = lines.ToArray(), DroppedLines = dropped.ToArray() };
        return new Rows(table, columns.Target >= 0 ? header[columns.Target] : null, targets?.ToArray(), classes);
    }
}
