namespace Nabla.IO;

/// <summary>Quotes untrusted text in an error message without repeating all of it: a 50 MB cell stays one short line.</summary>
internal static class Excerpt
{
    /// <summary>How many characters of a quoted value a message shows before "…".</summary>
    public const int MaxLength = 40;

    /// <summary>
    /// <paramref name="text"/> if it has at most <see cref="MaxLength"/> characters, otherwise its first
    /// <see cref="MaxLength"/> characters, "…" and the full length; line breaks and other control characters
    /// are shown as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>, so the message stays on one line.
    /// </summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool cut = text.Length > MaxLength;
        var shown = cut ? text[..MaxLength] : text;
        if (cut && char.IsHighSurrogate(shown[^1])) shown = shown[..^1];
        var escaped = string.Concat(shown.Select(c => c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        }));
        return cut ? $"{escaped}… ({text.Length:N0} characters)" : escaped;
    }
}
