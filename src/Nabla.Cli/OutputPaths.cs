namespace Nabla.Cli;

/// <summary>
/// The one rule for every file a command writes: a missing folder on its path is created (as <c>train</c> always
/// did), and a path that cannot be written is an error naming the option that gave it.
/// </summary>
public static class OutputPaths
{
    /// <summary>The sentence each writing option's help ends with.</summary>
    public const string HelpNote = "Missing folders are created.";

    /// <summary>
    /// Creates the folders <paramref name="path"/> needs; refuses a path that is a folder, or whose folder cannot be
    /// made, with a message that starts with <paramref name="option"/>.
    /// </summary>
    public static void Prepare(string option, string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{option}: '{path}' is a folder; give a file name");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: cannot create the folder '{folder}' for {path} ({Reason(e)})");
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/>, which writes <paramref name="path"/>; a failure to write it (a system error, or
    /// Nabla's own error about that path) becomes one error that starts with <paramref name="option"/>. Other errors
    /// pass unchanged.
    /// </summary>
    public static void Write(string option, string path, Action write)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option}: cannot write {path} ({Reason(e)})");
        }
        catch (NablaException e) when (e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new CliException($"{option}: {e.Message}");
        }
    }

    // .NET's text repeats the path, which the message already names, or names the wrong one (a missing folder as a file).
    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException or FileNotFoundException => "the system cannot make a folder there",
        _ => e.Message.TrimEnd('.'),
    };
}
