using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Nabla.Tests.Samples;

namespace Nabla.Tests.Packaging;

/// <summary>
/// The NuGet packages work as a user would use them: <c>dotnet pack</c> every packable project (the engine
/// <c>Nabla.Core</c>, the training library <c>Nabla.Training</c>, the <c>nabla</c> tool) into a temporary feed, install
/// the tool from it into a temporary tool path and run it, and build a fresh console app against the local
/// <c>Nabla.Training</c> package (which brings <c>Nabla.Core</c>) that runs README's library example. Offline: the only package sources are the temporary
/// feed and this machine's NuGet cache, and the installs use their own empty cache so a stale copy of the same
/// version can never be picked up.
/// </summary>
[Collection(SampleRunner.Collection)]   // pack builds the library project, as the samples' dotnet run does
public sealed class PackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Every_package_carries_its_metadata_and_works_once_installed()
    {
        string root = SampleRunner.RepositoryRoot();
        string feed = P("feed");
        // Every project under src/ that says it is packable, so a new package cannot be left out of this test.
        var packable = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("<IsPackable>true</IsPackable>", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(Path.GetDirectoryName(f))!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Nabla.Cli", "Nabla.Core", "Nabla.Training"], packable);
        // Packing uses the repository's own restore (and cache), like a developer's dotnet pack.
        foreach (var project in packable)
            Run("dotnet", root, isolated: false, "pack", Path.Combine("src", project), "-c", "Release", "-o", feed);

        var engine = Nuspec(feed, "Nabla.Core");
        var library = Nuspec(feed, "Nabla.Training");
        var tool = Nuspec(feed, "nabla");
        foreach (var (nuspec, id) in new[] { (engine, "Nabla.Core"), (library, "Nabla.Training"), (tool, "nabla") })
        {
            Assert.Equal(id, Field(nuspec, "id"));
            Assert.Matches(@"^\d+\.\d+\.\d+", Field(nuspec, "version"));
            Assert.Equal("The Nabla developers", Field(nuspec, "authors"));
            Assert.Equal("MIT", Field(nuspec, "license"));
            Assert.Equal("README.md", Field(nuspec, "readme"));
            Assert.True(Field(nuspec, "description").Length > 40, "a description that says what the package is");
            Assert.Contains("backpropagation", Field(nuspec, "tags"));
        }
        Assert.Contains("DotnetTool", tool.ToString());
        foreach (var id in new[] { "Nabla.Core", "Nabla.Training" })
        {
            using var zip = ZipFile.OpenRead(Directory.GetFiles(feed, id + ".*.nupkg").Single(f => Regex.IsMatch(Path.GetFileName(f), $@"^{Regex.Escape(id)}\.\d")));
            // Each library package ships the assembly its id names, with its XML documentation for IntelliSense,
            // and nothing of the application.
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            Assert.Single(zip.Entries, e => e.FullName.EndsWith(".dll", StringComparison.Ordinal));
        }
        // The training library depends on the engine's package of the same version.
        var dependency = library.Descendants().Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Nabla.Core");
        Assert.Equal(Field(engine, "version"), (string?)dependency.Attribute("version"));

        string config = WriteNuGetConfig(feed);
        string version = Field(tool, "version");
        Dotnet(_dir, "tool", "install", "nabla", "--version", version, "--tool-path", P("tools"), "--configfile", config);
        string json = Run(P("tools/nabla"), _dir, isolated: true, "grad", "x*y", "--at", "x=1,y=2", "--json");
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal(2, doc.RootElement.GetProperty("value").GetDouble());
            Assert.Equal(2, doc.RootElement.GetProperty("gradient").GetProperty("x").GetDouble());   // ∂(xy)/∂x = y
            Assert.Equal(1, doc.RootElement.GetProperty("gradient").GetProperty("y").GetDouble());   // ∂(xy)/∂y = x
        }
        Assert.StartsWith(version, Run(P("tools/nabla"), _dir, isolated: true, "--version"));

        string app = Directory.CreateDirectory(P("app")).FullName;
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Nabla.Training" Version="{Field(library, "version")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeLibraryExample(root));
        string output = Dotnet(app, "run", "-c", "Release", "--configfile", config);
        // README's PyTorch-style program: its own module, two parameter groups, clipping, warm-up + cosine, a DataLoader.
        Assert.Contains("(blocks): ModuleList(", output);
        var losses = Regex.Matches(output, @"epoch (\d+): loss (\d+\.\d+)").Select(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, losses.Count);
        Assert.True(losses[2] < losses[0] && losses[2] < 0.05, $"two moons with noise 0.1 are nearly separable, so the loss must fall near 0: {output}");
        Assert.True(File.Exists(Path.Combine(app, "classifier.safetensors")), "the program saves its state dict");
    }

    /// <summary>The first C# block under README's "The library" heading, as a reader would paste it.</summary>
    private static string ReadmeLibraryExample(string root)
    {
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        int section = readme.IndexOf("## The library", StringComparison.Ordinal);
        Assert.True(section >= 0, "README has a 'The library' section");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    private string WriteNuGetConfig(string feed)
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = P("nuget.config");
        new XDocument(new XElement("configuration", new XElement("packageSources",
            new XElement("clear"),
            new XElement("add", new XAttribute("key", "feed"), new XAttribute("value", feed)),
            new XElement("add", new XAttribute("key", "cache"), new XAttribute("value", cache))))).Save(path);
        return path;
    }

    private static XElement Nuspec(string feed, string id)
    {
        var package = Directory.GetFiles(feed, id + ".*.nupkg").Single(f => Regex.IsMatch(Path.GetFileName(f), $@"^{Regex.Escape(id)}\.\d"));
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Field(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? throw new Xunit.Sdk.XunitException($"the nuspec has no <{name}>");

    private string Dotnet(string workingDirectory, params string[] args) => Run("dotnet", workingDirectory, isolated: true, args);

    /// <summary>
    /// Runs a program, <paramref name="isolated"/> with its own empty NuGet cache; asserts it succeeded and returns
    /// what it printed.
    /// </summary>
    private string Run(string program, string workingDirectory, bool isolated, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (isolated) start.Environment["NUGET_PACKAGES"] = P("nuget-cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
