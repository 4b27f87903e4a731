using System.Globalization;

namespace Nabla.Formulas;

/// <summary>
/// Splits a formula into tokens: numbers (<c>2</c>, <c>2.5</c>, <c>1e-3</c>, <c>.5</c>), names (letters,
/// including Greek such as β0, digits and underscores, not starting with a digit), operators,
/// parentheses, commas, <c>=</c>, and statement separators (<c>;</c> or a new line).
/// </summary>
internal static class Lexer
{
    public static List<Token> Tokenize(SourceText source)
    {
        var text = source.Text;
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n' || c == ';') { tokens.Add(new(TokenKind.Separator, new(i, 1), c.ToString())); i++; continue; }
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') { while (i < text.Length && text[i] != '\n') i++; continue; } // comment to end of line
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(Number(source, ref i));
                continue;
            }
            if (IsNameStart(c))
            {
                int start = i;
                while (i < text.Length && IsNamePart(text[i])) i++;
                tokens.Add(new(TokenKind.Name, new(start, i - start), text[start..i]));
                continue;
            }
            var (kind, length) = c switch
            {
                '+' => (TokenKind.Plus, 1),
                '-' or '−' => (TokenKind.Minus, 1),
                '*' when i + 1 < text.Length && text[i + 1] == '*' => (TokenKind.Power, 2),
                '*' or '·' or '×' => (TokenKind.Star, 1),
                '/' => (TokenKind.Slash, 1),
                '^' => (TokenKind.Power, 1),
                '(' => (TokenKind.LeftParen, 1),
                ')' => (TokenKind.RightParen, 1),
                ',' => (TokenKind.Comma, 1),
                '=' => (TokenKind.Assign, 1),
                _ => throw new FormulaException($"unexpected character '{c}'", source, new(i, 1)),
            };
            tokens.Add(new(kind, new(i, length), text.Substring(i, length)));
            i += length;
        }
        tokens.Add(new(TokenKind.End, new(text.Length, 0), ""));
        return tokens;
    }

    private static Token Number(SourceText source, ref int i)
    {
        var text = source.Text;
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int expStart = i;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
                throw new FormulaException("the exponent of this number has no digits", source, new(start, i - start));
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            _ = expStart;
        }
        if (i < text.Length && IsNameStart(text[i]))
            throw new FormulaException("a name cannot start with a digit", source, new(start, i + 1 - start));
        string lexeme = text[start..i];
        double value = double.Parse(lexeme, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new(TokenKind.Number, new(start, i - start), lexeme, value);
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';
}
