using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Nabla.Cli;

/// <summary>
/// Turns what the parser found wrong with a command line into one line for stderr: what was wrong, the nearest
/// valid word ("did you mean"), the allowed values inline, and which help to read. Null when the line is fine.
/// </summary>
public static partial class ParseProblems
{
    /// <summary>The first problem with <paramref name="parse"/>, as one line without the "error: " prefix, or null.</summary>
    public static string? First(ParseResult parse)
    {
        if (parse.Action is HelpAction) return null;
        var result = parse.CommandResult;
        var command = result.Command;
        string help = $" (see '{Path(result)} --help')";

        // A misspelled option before an optional argument is taken as the argument ("graph --fromat svg").
        foreach (var argument in result.Children.OfType<ArgumentResult>())
            if (argument.Tokens.FirstOrDefault(t => t.Value.StartsWith("--", StringComparison.Ordinal)) is { } token)
                return Unmatched(token.Value, command) + help;
        if (parse.UnmatchedTokens.Count > 0) return Unmatched(parse.UnmatchedTokens[0], command) + help;
        // An option given twice is refused, not resolved by a rule the user cannot see (first or last wins).
        foreach (var option in result.Children.OfType<OptionResult>())
            if (option.IdentifierTokenCount > 1 && option.Option.Arity.MaximumNumberOfValues <= 1)
                return $"{option.Option.Name} is given {option.IdentifierTokenCount} times" +
                    (option.Tokens.Count > 0 ? $" ({string.Join(", ", option.Tokens.Select(t => t.Value))})" : "") + "; give it once" + help;
        foreach (var child in result.Children)
        {
            var (symbol, tokens) = child switch
            {
                OptionResult o when !o.Implicit => ((Symbol)o.Option, o.Tokens),
                ArgumentResult a => (a.Argument, a.Tokens),
                _ => (null, (IReadOnlyList<Token>)[]),
            };
            if (symbol is null || tokens.Count == 0) continue;
            if (OptionRules.For(command, symbol) is { } rule)
                foreach (var token in tokens)
                    if (rule(Label(symbol), token.Value) is { } problem) return problem + help;
        }
        if (parse.Errors.Count == 0) return null;
        return Translate(parse.Errors[0], parse, command) + help;
    }

    /// <summary>"nabla train", or "nabla" for the root.</summary>
    public static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = r.Parent)
            names.Insert(0, c.Parent is null ? "nabla" : c.Command.Name);
        return string.Join(" ", names);
    }

    private static string Unmatched(string token, Command command)
    {
        if (token.StartsWith('-') && token.Length > 1 && !double.TryParse(token, out _))
        {
            var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Append("--help");
            return $"unknown option '{token}'{Suggestions.DidYouMean(token, names)}";
        }
        if (command.Subcommands.Count > 0)
        {
            var names = command.Subcommands.Select(c => c.Name).ToArray();
            string suggestion = Suggestions.Nearest(token, names) is { } best ? $"did you mean '{best}'?" : $"the commands are {string.Join(", ", names)}";
            return $"unknown command '{token}'; {suggestion}";
        }
        return $"unexpected argument '{token}'";
    }

    private static string Translate(ParseError error, ParseResult parse, Command command)
    {
        // A value the parser could not convert (an option's own rule, if any, has already spoken).
        var symbol = error.SymbolResult switch
        {
            OptionResult o => (Symbol)o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            ArgumentResult a => a.Argument,
            _ => null,
        };
        var token = error.SymbolResult?.Tokens.FirstOrDefault()?.Value;
        if (symbol is not null && token is not null)
        {
            var type = symbol is Option option ? option.ValueType : ((Argument)symbol).ValueType;
            return $"{Label(symbol)} must be {OptionRules.Expected(type)}, got {token}";
        }
        if (RequiredOption().Match(error.Message) is { Success: true })
        {
            var missing = parse.Errors.Select(e => RequiredOption().Match(e.Message)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
            return missing.Count == 1 ? $"{missing[0]} is required" : $"{string.Join(" and ", missing)} are required";
        }
        if (command.Subcommands.Count > 0 && !parse.CommandResult.Children.Any())
            return $"give a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        if (RequiredArgument().Match(error.Message) is { Success: true } required
            && command.Arguments.FirstOrDefault(a => a.Name == required.Groups[1].Value) is { } absent)
            return $"{Label(absent)} is missing: {absent.Description}";
        if (OptionWithoutValue().Match(error.Message) is { Success: true } valueless)
            return $"{valueless.Groups[1].Value} needs a value";
        // Anything else, kept to its first line.
        return error.Message.Split('\n')[0].Trim();
    }

    /// <summary>How an error names an option ("--epochs") or an argument ("&lt;formula&gt;").</summary>
    public static string Label(Symbol symbol) => symbol is Argument ? $"<{symbol.Name}>" : symbol.Name;

    [GeneratedRegex("^Required argument '(.+)' missing for command")]
    private static partial Regex RequiredArgument();

    [GeneratedRegex("^Required argument missing for option: '(.+)'")]
    private static partial Regex OptionWithoutValue();

    [GeneratedRegex("^Option '(.+)' is required")]
    private static partial Regex RequiredOption();
}
