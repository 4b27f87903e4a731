using System.Text;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Serialization;

/// <summary>
/// Checks every string and property name of a JSON document before anything reads it. System.Text.Json checks
/// a string's UTF-8 and its escapes only when the string is read, and then throws InvalidOperationException, so a
/// file holding invalid UTF-8 or a lone surrogate escape such as <c>"\ud800"</c> would fail deep inside a reader
/// with an error that names neither the file nor the field.
/// </summary>
public static class JsonStrings
{
    /// <summary>
    /// Throws a <see cref="NablaException"/> naming <paramref name="source"/>, <paramref name="what"/> and the JSON
    /// path of the first string or property name that is not valid UTF-8 or decodes to a lone surrogate.
    /// Malformed JSON is left to the caller's parser (this check stops quietly at the first syntax error).
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> utf8, string source, string what)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip });
        var path = new List<(bool IsArray, int Index, string? Name)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = Decode(ref reader, source, what, Path(path) + " (a field name)");
                        path[^1] = (false, 0, name);
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextArrayItem(path);
                        path.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        continue;
                    case JsonTokenType.String:
                        NextArrayItem(path);
                        Decode(ref reader, source, what, Path(path));
                        continue;
                    default:
                        NextArrayItem(path);
                        continue;
                }
            }
        }
        catch (JsonException)
        {
            // Syntax errors are reported by the parser that reads the document, with its own position.
        }
    }

    /// <summary><see cref="Validate(ReadOnlySpan{byte}, string, string)"/> for JSON held as a string.</summary>
    public static void Validate(string json, string source, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!json.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !json.Contains('\\')) return; // nothing to decode
        var bytes = Encoding.UTF8.GetBytes(json);
        Validate(bytes, source, what);
    }

    private static void NextArrayItem(List<(bool IsArray, int Index, string? Name)> path)
    {
        if (path.Count > 0 && path[^1].IsArray) path[^1] = (true, path[^1].Index + 1, null);
    }

    private static string Decode(ref Utf8JsonReader reader, string source, string what, string where)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new NablaException(
                $"{source}: {what}: the string at {where} is not valid UTF-8 or holds a lone surrogate escape such as \\ud800");
        }
    }

    private static string Path(List<(bool IsArray, int Index, string? Name)> path)
    {
        var text = new StringBuilder("$");
        foreach (var (isArray, index, name) in path)
        {
            if (isArray && index >= 0) text.Append('[').Append(index).Append(']');
            else if (!isArray && name is not null) text.Append('.').Append(Excerpt.Of(name));
        }
        return text.ToString();
    }
}
