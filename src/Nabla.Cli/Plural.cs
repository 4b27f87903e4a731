using System.Globalization;

namespace Nabla.Cli;

/// <summary>A count with its noun in the right number: "1 epoch", "2 epochs", "1 class", "3 classes".</summary>
public static class Plural
{
    /// <summary>
    /// "<paramref name="count"/> <paramref name="noun"/>", the noun made plural unless the count is 1: by
    /// <paramref name="plural"/> when given, else by adding "es" after s, x or sh ("class" → "classes") and "s" after
    /// anything else ("epoch" → "epochs", "MPI rank" → "MPI ranks").
    /// </summary>
    public static string Of(long count, string noun, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : plural ?? Many(noun));

    private static string Many(string noun) =>
        noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith("sh", StringComparison.Ordinal) ? noun + "es" : noun + "s";
}
