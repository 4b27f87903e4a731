namespace Nabla.Cli;

/// <summary>
/// The command line's flag for each setting a library error names (<see cref="NablaException.Setting"/>): the
/// libraries know nothing of flags, so the error a user reads names the flag they typed.
/// </summary>
public static class SettingFlags
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["at"] = "--at",
        ["row"] = "--row",
        ["resume"] = "--resume",
        ["distributed"] = "--distributed",
    };

    /// <summary>
    /// The message of <paramref name="e"/> as the command line shows it: a leading setting name ("row 3: …") becomes
    /// the flag ("--row 3: …"); otherwise the flag goes in front ("--at: no value given for y …").
    /// </summary>
    public static string Message(NablaException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Setting is not { } setting || !Flags.TryGetValue(setting, out var flag)) return e.Message;
        string message = e.Message;
        bool named = message.StartsWith(setting, StringComparison.Ordinal) && message.Length > setting.Length
            && message[setting.Length] is ' ' or ':';
        return named ? flag + message[setting.Length..] : $"{flag}: {message}";
    }
}
