namespace Nabla.Data;

/// <summary>
/// Which character separates a CSV file's fields when the caller does not say: the one of comma, semicolon and tab
/// that occurs most often, outside quotes, in the header line (comma on a tie or when none occurs).
/// </summary>
public static class CsvSeparator
{
    /// <summary>The separators <see cref="Detect"/> chooses from, in the order that breaks a tie.</summary>
    public static IReadOnlyList<char> Candidates { get; } = [',', ';', '\t'];

    /// <summary>The separator of a file whose header line is <paramref name="header"/>.</summary>
    public static char Detect(string header)
    {
        Span<int> counts = stackalloc int[3];
        bool quoted = false;
        foreach (char c in header)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c is ',' or ';' or '\t') counts[c == ',' ? 0 : c == ';' ? 1 : 2]++;
        }
        int best = 0;
        for (int k = 1; k < counts.Length; k++)
            if (counts[k] > counts[best]) best = k;
        return Candidates[best];
    }

    /// <summary>"comma", "semicolon", "tab", or the character in quotes: how an error message names a separator.</summary>
    public static string Name(char separator) => separator switch
    {
        ',' => "comma",
        ';' => "semicolon",
        '\t' => "tab",
        _ => $"'{separator}'",
    };

    /// <summary>
    /// The separator a user typed: one character, or the words comma, semicolon, tab (or \t); null when it is none of these.
    /// </summary>
    public static char? Parse(string text) => text switch
    {
        "comma" => ',',
        "semicolon" => ';',
        "tab" or "\\t" => '\t',
        { Length: 1 } when text[0] is not ('"' or '\r' or '\n') => text[0],
        _ => null,
    };
}
