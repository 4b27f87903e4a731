using System.Text.RegularExpressions;
using Nabla.Data;
using Nabla.Tests.Training;

namespace Nabla.Tests.Readme;

/// <summary>
/// docs/idx.md's recipe for writing IDX files, run as it stands with NumPy: the files it writes load into Nabla with
/// the pixels, shape and labels that were put in.
/// </summary>
public sealed partial class IdxDocTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-idx-doc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex("```python\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    [Fact]
    public void The_documented_writer_makes_files_that_nabla_reads_back()
    {
        string doc = File.ReadAllText(Path.Combine(Samples.SampleRunner.RepositoryRoot(), "docs", "idx.md"));
        var block = PythonBlock().Match(doc);
        Assert.True(block.Success, "docs/idx.md has no ```python block");
        if (!Python.Has("numpy"))
            Assert.Skip("/usr/bin/python3 with NumPy is not installed (apt-get install python3-numpy), so the recipe did not run.");

        // Two 3×4 images with pixels 0 … 23 scaled by 10 (0 … 230) and labels 2, 0, defined before the recipe runs.
        string setup = $"import os, numpy as np\nos.chdir({System.Text.Json.JsonSerializer.Serialize(_dir)})\n" +
                       "images = (np.arange(24).reshape(2, 3, 4) * 10)\nlabels = np.array([2, 0])\n";
        Python.Run("-c", setup + block.Groups[1].Value);

        var data = IdxImages.Load(Path.Combine(_dir, "my-images-idx3-ubyte"), Path.Combine(_dir, "my-labels-idx1-ubyte"));
        Assert.Equal(new ImageShape(1, 3, 4), data.Image);
        Assert.Equal(2, data.Rows);
        for (int i = 0; i < 24; i++) Assert.Equal(i * 10 / 255.0, data.Features.Values[i], 15);
        Assert.Equal([2.0, 0.0], data.Targets);
    }
}
