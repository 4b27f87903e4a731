using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Nabla.Explain;

/// <summary>
/// Plain expression text (as <see cref="ExpressionText"/> and the ops' derivative texts write it)
/// turned into LaTeX math: names become symbols (<c>beta0</c> → <c>\beta_0</c>, <c>omega3</c> →
/// <c>\omega_3</c>, <c>l</c> → <c>\ell</c>, <c>f3</c> → <c>f_3</c>, <c>t12</c> → <c>t_{12}</c>), known
/// functions become operators (<c>\cos</c>), <c>·</c> becomes <c>\cdot</c>, <c>^(b - 1)</c> becomes <c>^{b - 1}</c>.
/// </summary>
public static partial class LatexText
{
    private static readonly string[] GreekLower =
    [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
        "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    ];

    private static readonly HashSet<string> Greek =
    [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
        "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    ];

    private const string GreekLetters = "αβγδεζηθικλμνξπρστυφχψω";

    private static readonly HashSet<string> Operators = ["sin", "cos", "tan", "exp", "log", "ln", "tanh"];

    [GeneratedRegex(@"^(?<base>[A-Za-z]+|\p{L})_?(?<index>[0-9]+)?$")]
    private static partial Regex NamePattern();

    /// <summary>A name as a LaTeX symbol: Greek names and letters as Greek, <c>l</c> as <c>\ell</c>, a trailing number as a subscript, longer words upright.</summary>
    public static string Name(string name)
    {
        var m = NamePattern().Match(name);
        if (!m.Success) return $"\\mathrm{{{Escape(name)}}}";
        string b = m.Groups["base"].Value, index = m.Groups["index"].Value;
        int greek = b.Length == 1 ? GreekLetters.IndexOf(b[0]) : -1;
        string symbol = b == "l" ? "\\ell"
            : Greek.Contains(b) ? "\\" + b
            : greek >= 0 ? "\\" + GreekLower[greek]
            : b.Length == 1 ? b
            : $"\\mathrm{{{b}}}";
        if (index.Length == 0) return symbol;
        return index.Length == 1 ? $"{symbol}_{index}" : $"{symbol}_{{{index}}}";
    }

    /// <summary>A number for LaTeX: <c>1.5E-05</c> → <c>1.5 \times 10^{-5}</c>.</summary>
    public static string Number(string text)
    {
        int e = text.IndexOfAny(['E', 'e']);
        if (e < 0) return text;
        int exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{text[..e]} \\times 10^{{{exponent.ToString(CultureInfo.InvariantCulture)}}}";
    }

    /// <summary>Converts expression text to LaTeX math.</summary>
    public static string Math(string text)
    {
        var s = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                string word = text[start..i];
                bool call = i < text.Length && text[i] == '(';
                s.Append(call ? (Operators.Contains(word) ? "\\" + word : $"\\operatorname{{{word}}}") : Name(word));
                if (call) s.Append("\\left(");
                if (call) { i = CloseCall(text, i, s); }
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
                if (i + 1 < text.Length && text[i] is 'E' or 'e' && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] is '+' or '-'))
                {
                    i += 2;
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                }
                s.Append(Number(text[start..i]));
                continue;
            }
            if (c == '^')
            {
                i++;
                if (i < text.Length && text[i] == '(')
                {
                    int close = Matching(text, i);
                    s.Append("^{").Append(Math(text[(i + 1)..close])).Append('}');
                    i = close + 1;
                }
                else
                {
                    int start = i;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.')) i++;
                    s.Append("^{").Append(Math(text[start..i])).Append('}');
                }
                continue;
            }
            if (c == '>' && i + 1 < text.Length && text[i + 1] == '=') { s.Append("\\geq"); i += 2; continue; }
            if (c == '<' && i + 1 < text.Length && text[i + 1] == '=') { s.Append("\\leq"); i += 2; continue; }
            s.Append(c switch
            {
                '·' => " \\cdot ",
                '×' => " \\times ",
                '{' => "\\{",
                '}' => "\\}",
                '%' or '&' or '#' or '$' => "\\" + c,
                _ => c.ToString(),
            });
            i++;
        }
        return s.ToString().Replace("  ", " ");
    }

    // Converts a call's argument list (text[open] is '(') and closes it; returns the index after ')'.
    private static int CloseCall(string text, int open, StringBuilder s)
    {
        int close = Matching(text, open);
        s.Append(Math(text[(open + 1)..close])).Append("\\right)");
        return close + 1;
    }

    // The index of the ')' matching the '(' at text[open], or the end of the text if it is unbalanced.
    private static int Matching(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')' && --depth == 0) return i;
        }
        return text.Length;
    }

    private static string Escape(string name) => name.Replace("_", "\\_");
}
