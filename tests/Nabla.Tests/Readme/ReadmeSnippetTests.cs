using System.Diagnostics;
using System.Text.RegularExpressions;
using Nabla.Tests.Samples;

namespace Nabla.Tests.Readme;

/// <summary>
/// Every C# block of README compiles and runs as a .NET 10 single-file program referencing the library, as a reader
/// would paste it; a value README writes in a comment after <c>Console.WriteLine</c> ("// 5.246…") is what it prints.
/// </summary>
[Collection(SampleRunner.Collection)]
public sealed partial class ReadmeSnippetTests
{
    public static TheoryData<int> Snippets()
    {
        var data = new TheoryData<int>();
        foreach (var block in ReadmeDocument.Load().Blocks.Where(b => b.Language == "csharp")) data.Add(block.Line);
        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task The_snippet_compiles_runs_and_prints_what_its_comments_say(int line)
    {
        var block = ReadmeDocument.Load().Blocks.Single(b => b.Line == line);
        string root = SampleRunner.RepositoryRoot();
        string dir = Directory.CreateTempSubdirectory("nabla-readme-").FullName;
        try
        {
            string file = Path.Combine(dir, "snippet.cs");
            File.WriteAllLines(file, [$"#:project {Path.Combine(root, "src", "Nabla.Training", "Nabla.Training.csproj")}", "#:property PublishAot=false", .. block.Lines]);
            var start = new ProcessStartInfo("dotnet", ["run", file]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"README line {line}: the snippet exited {process.ExitCode}:\n{stdout}\n{await stderr}");
            Assert.NotEqual("", stdout.Trim());

            var printed = stdout.TrimEnd('\n').Split('\n');
            var promised = block.Lines.Select(l => PrintedValue().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToArray();
            Assert.True(promised.Length <= printed.Length);
            for (int i = 0; i < promised.Length; i++)
                Assert.StartsWith(promised[i], printed[i]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    // "Console.WriteLine(x);   // 5.246…": the digits README promises, without the ellipsis.
    [GeneratedRegex(@"^Console\.WriteLine\(.*\);\s*//\s*(-?[\d.]+)…")]
    private static partial Regex PrintedValue();
}
