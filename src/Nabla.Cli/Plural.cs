using System.Globalization;

namespace Nabla.Cli;

/// <summary>A count with its noun in the right number: "1 epoch", "2 epochs", "1 class", "3 classes".</summary>
public static class Plural
{
    /// <summary>
    /// "<paramref name="count"/> <paramref name="noun"/>" with the noun's last word made plural unless the count is 1:
    /// "es" after s, x, z, ch and sh ("class" → "classes"), else "s" ("MPI rank" → "MPI ranks").
    /// </summary>
    public static string Of(long count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : Many(noun));

    /// <summary>The plural of <paramref name="noun"/>'s last word, as <see cref="Of"/> forms it.</summary>
    public static string Many(string noun) =>
        noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith('z') || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal)
            ? noun + "es" : noun + "s";
}
