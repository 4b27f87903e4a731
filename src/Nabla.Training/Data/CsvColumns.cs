using Nabla.IO;
namespace Nabla.Data;

/// <summary>The 0-based file columns <see cref="CsvLoader"/> reads: features in the order wanted, and the target (−1 if none).</summary>
internal sealed record CsvColumns(int[] Features, int Target)
{
    /// <summary>Feature columns then the target, in the order their cells are checked for missing values.</summary>
    public int[] Selected { get; } = Target >= 0 ? [.. Features, Target] : Features;

    /// <summary>Finds the requested columns in <paramref name="header"/>.</summary>
    /// <exception cref="NablaException">A column name repeats, a requested column is missing, or no feature is left.</exception>
    public static CsvColumns Resolve(string[] header, CsvOptions options, string source, char separator = ',')
    {
        for (var j = 0; j < header.Length; j++)
        {
            var earlier = Array.IndexOf(header, header[j], 0, j);
            if (earlier >= 0)
                throw new NablaException($"{source}:1: column name \"{Excerpt.Of(header[j])}\" appears twice (columns {earlier + 1} and {j + 1})");
        }
        var target = options.Target is null ? -1 : Find(header, options.Target, source, separator);
        int[] features;
        if (options.Features is null)
        {
            features = Enumerable.Range(0, header.Length).Where(j => j != target).ToArray();
        }
        else
        {
            features = options.Features.Select(name => Find(header, name, source, separator)).ToArray();
            if (target >= 0 && features.Contains(target))
                throw new NablaException($"{source}: column \"{Excerpt.Of(header[target])}\" is both the target and a feature");
            var repeated = features.GroupBy(f => f).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
                throw new NablaException($"{source}: feature column \"{Excerpt.Of(header[repeated.Key])}\" is requested more than once");
        }
        if (features.Length == 0)
            throw new NablaException($"{source}: no feature columns: the file's only column is the target \"{Excerpt.Of(options.Target!)}\"");
        return new CsvColumns(features, target);
    }

    private static int Find(string[] header, string name, string source, char separator)
    {
        var index = Array.IndexOf(header, name);
        if (index < 0 && header.Length == 1)
            // One column that is not the one asked for: most likely the file is separated by a character not tried.
            throw new NablaException($"{source}: no column named \"{Excerpt.Of(name)}\"; split by {CsvSeparator.Name(separator)}, the header is one column, " +
                $"\"{Excerpt.Of(header[0])}\" (a comma, semicolon or tab is detected; another separator must be given)");
        if (index < 0)
            throw new NablaException($"{source}: no column named \"{Excerpt.Of(name)}\"; the columns are: {string.Join(", ", header.Take(20).Select(h => $"\"{Excerpt.Of(h)}\"")) + (header.Length > 20 ? $" … ({header.Length} in all)" : "")}");
        return index;
    }
}
