namespace Nabla.Cli;

/// <summary>"Did you mean" for a misspelled command, option or value: the nearest known word by edit distance.</summary>
public static class Suggestions
{
    /// <summary>"; did you mean 'x'?" for the closest of <paramref name="known"/>, or "" when none is close.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> known) =>
        Nearest(typed, known) is { } best ? $"; did you mean '{best}'?" : "";

    /// <summary>
    /// The known word closest to <paramref name="typed"/>: within about a third of its letters (a swap of two
    /// neighbours counts as one), or one that starts with it ("--epoch" → "--epochs"); null when none is.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        string bare = typed.TrimStart('-');
        foreach (var word in known)
        {
            int distance = Distance(typed.ToLowerInvariant(), word.ToLowerInvariant());
            int limit = Math.Max(1, word.TrimStart('-').Length / 3);
            bool prefix = bare.Length >= 3 && word.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase);
            if ((distance <= limit || prefix) && distance < bestDistance) (best, bestDistance) = (word, distance);
        }
        return best;
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
