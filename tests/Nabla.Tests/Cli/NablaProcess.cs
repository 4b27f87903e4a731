using System.Diagnostics;
using System.Text;

namespace Nabla.Tests.Cli;

/// <summary>
/// Runs nabla as a user does — a separate process in a folder of the test's own — so relative paths in documented
/// command lines ("out/model.safetensors", "samples/data/sin.csv") mean what they say and land in a temporary folder.
/// </summary>
public sealed class NablaProcess : IDisposable
{
    /// <summary>The temporary folder the commands run in; it holds a link to the repository's samples/.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("nabla-process-").FullName;

    public NablaProcess() =>
        Directory.CreateSymbolicLink(Path.Combine(Folder, "samples"), Path.Combine(Samples.SampleRunner.RepositoryRoot(), "samples"));

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Runs a command line as written in documentation, starting with "nabla".</summary>
    /// <param name="commandLine">The words, starting with "nabla".</param>
    /// <param name="environment">Variables to set (a null value removes one); COLUMNS is removed unless given, so the
    /// width of the terminal the tests run in does not change what nabla prints.</param>
    public (int Exit, string Out, string Err) Run(string commandLine, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var words = Split(commandLine);
        Assert.Equal("nabla", words[0]);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("COLUMNS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nabla.dll"));
        foreach (var word in words.Skip(1)) start.ArgumentList.Add(word);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Splits a command line into words as a POSIX shell does for plain words and double or single quotes.</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else word.Append(c);
            }
            else if (c is '"' or '\'') { quote = c; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else { word.Append(c); inWord = true; }
        }
        Assert.True(quote == '\0', $"unclosed quote in: {line}");
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
