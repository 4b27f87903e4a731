using System.Buffers;
using System.Globalization;
using System.Text;

namespace Nabla.Data;

/// <summary>
/// The characters of a text, sorted by code point, each with its id (its position in that order) — nanoGPT's
/// <c>chars = sorted(set(text))</c>. Characters are Unicode scalar values (a character outside the Basic Multilingual
/// Plane is one character, as in Python, not two UTF-16 halves). Encoding a character that is not in the vocabulary,
/// or decoding an id outside [0, <see cref="Size"/>), is refused with a message naming it.
/// </summary>
public sealed class CharVocabulary
{
    private const int Bmp = 0x10000;
    private readonly int[] codePoints;
    private readonly int[] bmpIds; // id + 1 of each code point below U+10000 up to the largest used (0: not in the vocabulary)
    private readonly Dictionary<int, int> otherIds; // the rest: encoding a corpus is one table read per character

    private CharVocabulary(int[] sortedCodePoints)
    {
        codePoints = sortedCodePoints;
        int bmpCount = Array.FindLastIndex(codePoints, c => c < Bmp) + 1;
        bmpIds = new int[bmpCount == 0 ? 0 : codePoints[bmpCount - 1] + 1];
        otherIds = [];
        for (int i = 0; i < codePoints.Length; i++)
        {
            if (i < bmpCount) bmpIds[codePoints[i]] = i + 1;
            else otherIds.Add(codePoints[i], i);
        }
    }

    private bool TryGetId(int codePoint, out int id)
    {
        if ((uint)codePoint < (uint)bmpIds.Length)
        {
            id = bmpIds[codePoint] - 1;
            return id >= 0;
        }
        return otherIds.TryGetValue(codePoint, out id);
    }

    /// <summary>The vocabulary of <paramref name="text"/>: its distinct characters in code-point order.</summary>
    /// <exception cref="NablaException">The text is empty or holds a lone UTF-16 surrogate (not a character).</exception>
    public static CharVocabulary Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new NablaArgumentException(nameof(text), "CharVocabulary.Of: the text is empty; a vocabulary needs at least one character");
        var seenBmp = new bool[Bmp];
        var seenOther = new HashSet<int>();
        var rest = text.AsSpan();
        for (int position = 0; !rest.IsEmpty; position++)
        {
            int c = Next(ref rest, position).Value;
            if (c < Bmp) seenBmp[c] = true;
            else seenOther.Add(c);
        }
        var sorted = new List<int>();
        for (int c = 0; c < Bmp; c++)
            if (seenBmp[c]) sorted.Add(c);
        sorted.AddRange(seenOther.Order());
        return new CharVocabulary([.. sorted]);
    }

    /// <summary>The number of distinct characters (ids are 0 … Size − 1).</summary>
    public int Size => codePoints.Length;

    /// <summary>The character with id <paramref name="id"/>, as a string (two UTF-16 units outside the BMP).</summary>
    public string this[int id] => CheckedRune(id, nameof(id), "id").ToString();

    /// <summary>The id of <paramref name="character"/>.</summary>
    /// <exception cref="NablaException">The character is not in the vocabulary.</exception>
    public int IdOf(Rune character) => TryGetId(character.Value, out int id) ? id
        : throw new NablaException($"CharVocabulary: {Describe(character)} is not in the vocabulary of {Size} characters");

    /// <summary>The ids of the characters of <paramref name="text"/>, one per character, in order.</summary>
    /// <exception cref="NablaException">A character is not in the vocabulary (named, with its position) or a surrogate is unpaired.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new int[CountCharacters(text)];
        var rest = text.AsSpan();
        for (int position = 0; !rest.IsEmpty; position++)
        {
            var rune = Next(ref rest, position);
            if (!TryGetId(rune.Value, out result[position]))
                throw new NablaException($"CharVocabulary.Encode: {Describe(rune)} at character {position} is not in the vocabulary of {Size} characters");
        }
        return result;
    }

    /// <summary>The text whose character ids are <paramref name="idsToDecode"/>.</summary>
    /// <exception cref="NablaArgumentException">An id is outside [0, <see cref="Size"/>) (named, with its position).</exception>
    public string Decode(ReadOnlySpan<int> idsToDecode)
    {
        var text = new StringBuilder(idsToDecode.Length);
        for (int i = 0; i < idsToDecode.Length; i++)
            text.Append(CheckedRune(idsToDecode[i], nameof(idsToDecode), $"idsToDecode[{i}]").ToString());
        return text.ToString();
    }

    /// <summary>The number of characters (scalar values) in <paramref name="text"/>.</summary>
    internal static int CountCharacters(ReadOnlySpan<char> text)
    {
        int count = 0;
        for (int position = 0; !text.IsEmpty; position++, count++) Next(ref text, position);
        return count;
    }

    private Rune CheckedRune(int id, string parameter, string what) => (uint)id < (uint)codePoints.Length ? new Rune(codePoints[id])
        : throw new NablaArgumentException(parameter, $"CharVocabulary: {what} is {id}, outside [0, {Size})");

    private static Rune Next(ref ReadOnlySpan<char> rest, int position)
    {
        if (Rune.DecodeFromUtf16(rest, out var rune, out int used) != OperationStatus.Done)
            throw new NablaException($"CharVocabulary: character {position} is a lone UTF-16 surrogate U+{(int)rest[0]:X4}, not a character");
        rest = rest[used..];
        return rune;
    }

    private static string Describe(Rune rune) =>
        Rune.IsControl(rune) || Rune.IsWhiteSpace(rune)
            ? string.Create(CultureInfo.InvariantCulture, $"character U+{rune.Value:X4}")
            : string.Create(CultureInfo.InvariantCulture, $"character '{rune}' (U+{rune.Value:X4})");
}
