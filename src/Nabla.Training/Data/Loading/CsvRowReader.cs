using System.Globalization;
using System.Numerics;
using System.Text;
using CsvHelper;

namespace Nabla.Data;

/// <summary>
/// One pass over a <see cref="CsvStreamDataset{T}"/>'s file in file order: each data row is parsed from the reader's
/// UTF-8 bytes straight into the caller's spans (no string per cell). On any doubt — a cell that does not parse, a
/// label that matches no known class, non-ASCII padding — the row is handed to <see cref="CsvCells"/>, which is what
/// <see cref="CsvLoader"/> uses, so the outcome and the message are the same as loading the whole file.
/// </summary>
internal sealed class CsvRowReader<T> : ISampleReader<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CsvReader csv;
    private readonly string path;
    private readonly string[] header;
    private readonly int[] features, selected;
    private readonly int target;
    private readonly bool classTarget, dropMissing;
    private readonly IReadOnlyList<string>? known;
    private readonly byte[][] knownUtf8;

    public CsvRowReader(CsvReader csv, CsvStreamDataset<T> dataset)
    {
        this.csv = csv;
        path = dataset.Path;
        header = dataset.Header;
        features = dataset.Columns.Features;
        selected = dataset.Columns.Selected;
        target = dataset.Columns.Target;
        classTarget = dataset.Options.ClassTarget && target >= 0;
        dropMissing = dataset.Options.MissingValues == MissingValues.Drop;
        known = dataset.Options.KnownClasses;
        knownUtf8 = known is null ? [] : [.. known.Select(k => Encoding.UTF8.GetBytes(k))];
    }

    public bool ReadNext(SampleBuffers<T> into) => ReadRow(into.Inputs, into.Targets, into.TargetIndices);

    /// <summary>Parses the next kept data row into the spans; false at the end of the file.</summary>
    public bool ReadRow(Span<T> inputs, Span<T> targets, Span<int> targetIndices)
    {
        while (Advance())
        {
            if (csv.FieldCount == 1 && IsBlank(0))
                continue; // a line of spaces is as blank as an empty one
            long line = csv.LineNumber;
            if (csv.FieldCount != header.Length)
                throw new NablaException($"{path}:{line}: {csv.FieldCount} field{(csv.FieldCount == 1 ? "" : "s")}, but the header has {header.Length} columns");
            if (HasMissing(line)) continue;
            for (int j = 0; j < features.Length; j++) inputs[j] = Number(features[j], line);
            if (classTarget) targetIndices[0] = ClassIndex(line);
            else if (target >= 0) targets[0] = Number(target, line);
            return true;
        }
        return false;
    }

    private bool Advance()
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new NablaException($"{path}:{e.LineNumber}: {e.Message}", e);
        }
    }

    /// <summary>Whether a selected cell is empty: true when such rows are dropped, an error otherwise.</summary>
    private bool HasMissing(long line)
    {
        for (int k = 0; k < selected.Length; k++)
        {
            if (!IsBlank(selected[k])) continue;
            if (dropMissing) return true;
            throw new NablaException($"{Cells(line).Where(selected[k])}: missing value (empty cell)");
        }
        return false;
    }

    private bool IsBlank(int column)
    {
        var cell = Trimmed(column);
        if (cell.IsEmpty) return true;
        if (cell[0] < 0x80 && cell[^1] < 0x80) return false;
        return Cells(csv.LineNumber).IsEmpty(column); // Unicode spaces: CsvLoader's test decides
    }

    private T Number(int column, long line)
    {
        if (!double.TryParse(csv.GetSpan(column), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            value = Cells(line).Number(column); // throws CsvLoader's message
        return T.CreateTruncating(value);
    }

    private int ClassIndex(long line)
    {
        var cell = Trimmed(target);
        for (int k = 0; k < knownUtf8.Length; k++)
            if (cell.SequenceEqual(knownUtf8[k])) return k;
        var label = Cells(line).Label(target, known); // throws CsvLoader's message unless Unicode trimming finds it
        for (int k = 0; k < known!.Count; k++)
            if (known[k] == label) return k;
        throw new NablaException($"{Cells(line).Where(target)}: class \"{label}\" is not one of the known classes");
    }

    /// <summary>The cell's UTF-8 bytes without surrounding ASCII whitespace.</summary>
    private ReadOnlySpan<byte> Trimmed(int column)
    {
        var cell = csv.GetSpan(column);
        return cell[Ascii.Trim(cell)];
    }

    private CsvCells Cells(long line) => new(csv, header, path, line);

    public void Dispose() => csv.Dispose();
}
