using System.Diagnostics;

namespace Nabla.Tests.Explain;

/// <summary>
/// The LaTeX that <c>nabla explain --format latex</c> prints is pasted into a worksheet as is: it must typeset.
/// Runs pdflatex (Debian's texlive-latex-base) on a minimal document with amsmath; when pdflatex is absent the
/// test says so and does nothing.
/// </summary>
public sealed class LatexCompileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-latex-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null, null)]
    [InlineData("a = x*x + sin(x); b = a/x - sqrt(x)", "x=2")]
    [InlineData("β0 + ω1*tanh(x)^2", "β0=1,ω1=-0.5,x=0.3")]
    [InlineData("a = x*x + sin(x); b = a/x - sqrt(x)", "x=2", "--mode", "forward", "--wrt", "x")]
    [InlineData(null, null, "--mode", "forward", "--wrt", "omega1")]
    [InlineData(null, null, "--example", "deep-relu")]
    [InlineData(null, null, "--example", "sigmoid-sgd")]
    public void Explanations_typeset_with_pdflatex(string? formula, string? at, params string[] more)
    {
        string[] formulaAndValues = [.. formula is null ? [] : new[] { formula, "--at", at! }, .. more];
        if (!File.Exists("/usr/bin/pdflatex"))
        {
            Assert.Skip("pdflatex is not installed (apt-get install texlive-latex-base), so the LaTeX was not typeset.");
        }
        var (exit, latex, stderr) = Nabla.Tests.Cli.CliRunner.Run(["explain", .. formulaAndValues, "--format", "latex"]);
        Assert.True(exit == 0, stderr);
        File.WriteAllText(Path.Combine(_dir, "body.tex"), latex);
        File.WriteAllText(Path.Combine(_dir, "doc.tex"),
            "\\documentclass{article}\n\\usepackage{amsmath}\n\\allowdisplaybreaks\n\\begin{document}\n\\input{body}\n\\end{document}\n");
        var start = new ProcessStartInfo("/usr/bin/pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"])
        {
            WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        string log = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"pdflatex failed:\n{string.Join('\n', log.Split('\n').Where(l => l.StartsWith('!') || l.StartsWith("l.")))}\n--- LaTeX ---\n{latex}");
        Assert.True(File.Exists(Path.Combine(_dir, "doc.pdf")));
    }
}
