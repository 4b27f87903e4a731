using System.Diagnostics;
using System.Globalization;
using Nabla.Tests.Samples;
using Nabla.Tests.Training;

namespace Nabla.Tests.Readme;

/// <summary>
/// README's first library program, written as a PyTorch user writes it (its own module with a list of blocks, two
/// parameter groups, clipping, warm-up + cosine, a shuffling DataLoader), runs as printed; its saved state dict loads
/// into the same module written in PyTorch with <c>strict=True</c>, and both compute the same outputs.
/// </summary>
[Collection(SampleRunner.Collection)]
public sealed class ReadmeTorchProgramTests
{
    // The PyTorch twin of README's Classifier and Block, written as a PyTorch user would.
    private const string Script = Python.SafetensorsFunctions + """
        import torch.nn as nn

        class Block(nn.Module):
            def __init__(self, width):
                super().__init__()
                self.norm = nn.LayerNorm(width)
                self.linear = nn.Linear(width, width)
            def forward(self, x):
                return x + torch.relu(self.linear(self.norm(x)))

        class Classifier(nn.Module):
            def __init__(self, inputs, width, depth, classes):
                super().__init__()
                self.input = nn.Linear(inputs, width)
                self.blocks = nn.ModuleList([Block(width) for _ in range(depth)])
                self.output = nn.Linear(width, classes)
            def forward(self, x):
                x = torch.relu(self.input(x))
                for block in self.blocks:
                    x = block(x)
                return self.output(x)

        state = load(sys.argv[1])
        net = Classifier(2, 32, 2, 2)
        net.load_state_dict(state, strict=True)
        probe = torch.tensor(json.load(open(sys.argv[2])), dtype=torch.float32).reshape(-1, 2)
        with torch.no_grad():
            print(json.dumps(net(probe).reshape(-1).tolist()))
        """;

    [Fact]
    public async Task The_saved_module_loads_strictly_into_its_PyTorch_twin_and_computes_the_same_outputs()
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the strict load did not run.");
        var lines = LibraryProgram();
        // The probe goes after the program's statements and before its type declarations: Nabla's outputs on a grid.
        int types = Array.FindIndex(lines, l => l.StartsWith("sealed class ", StringComparison.Ordinal) || l.StartsWith("// No registration code", StringComparison.Ordinal));
        Assert.True(types > 0, "README's program declares its module after its statements");
        string[] probe =
        [
            "var probe = new Tensor<float>([.. Enumerable.Range(0, 40).Select(i => (float)(-1.5 + 0.1 * i))], 20, 2);",
            "using (NoGrad.Scope()) File.WriteAllText(\"nabla-out.json\", \"[\" + string.Join(\",\", net.Forward(probe).ToArray().Select(v => v.ToString(\"R\", System.Globalization.CultureInfo.InvariantCulture))) + \"]\");",
            "File.WriteAllText(\"probe.json\", \"[\" + string.Join(\",\", probe.ToArray().Select(v => v.ToString(\"R\", System.Globalization.CultureInfo.InvariantCulture))) + \"]\");",
        ];
        string root = SampleRunner.RepositoryRoot();
        string dir = Directory.CreateTempSubdirectory("nabla-readme-torch-").FullName;
        try
        {
            string file = Path.Combine(dir, "program.cs");
            File.WriteAllLines(file, [$"#:project {Path.Combine(root, "src", "Nabla.Training", "Nabla.Training.csproj")}", "#:property PublishAot=false",
                .. lines[..types], .. probe, .. lines[types..]]);
            var start = new ProcessStartInfo("dotnet", ["run", file]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
            using (var process = Process.Start(start)!)
            {
                var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
                string stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.True(process.ExitCode == 0, $"README's program exited {process.ExitCode}:\n{stdout}\n{await stderr}");
            }

            string torchOut = Python.Run("-c", Script, Path.Combine(dir, "classifier.safetensors"), Path.Combine(dir, "probe.json"));
            var expected = Parse(torchOut);
            var actual = Parse(File.ReadAllText(Path.Combine(dir, "nabla-out.json")));
            Assert.Equal(40, expected.Length);   // 20 points × 2 classes
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])),
                    $"logit {i}: PyTorch {expected[i]:R}, Nabla {actual[i]:R}");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The first C# block under README's "The library" heading.</summary>
    private static string[] LibraryProgram()
    {
        var text = File.ReadAllLines(ReadmeDocument.Path);
        int section = Array.FindIndex(text, l => l == "## The library");
        Assert.True(section >= 0, "README has a 'The library' section");
        var block = ReadmeDocument.Load().Blocks.First(b => b.Language == "csharp" && b.Line > section);
        return block.Lines;
    }

    private static double[] Parse(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<double[]>(json.Trim()) ?? throw new InvalidDataException("no JSON array: " + json);
}
