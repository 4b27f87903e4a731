using Nabla.Serialization;
using Nabla.Tests.Cli;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Reliability;

/// <summary>Issue 11, items 2 and 4: a model file's metadata is checked against its tensors before anything is built.</summary>
public class ModelFileReliabilityTests
{
    private static string Write(TempDirectory dir, byte[] bytes, string name = "m.safetensors")
    {
        var path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] WithMeta(string key, string? value) => Files.Edit(Files.Model, new Dictionary<string, string?> { [key] = value });

    [Fact]
    public void The_unedited_model_loads_so_every_refusal_below_is_caused_by_its_edit()
    {
        using var dir = new TempDirectory();
        var model = ModelFile.Load(Write(dir, Files.Model));
        Assert.Equal([2, 3, 1], model.LayerSizes);
        Assert.Equal("bce", model.Loss);
    }

    [Fact]
    public void Layer_sizes_far_larger_than_the_tensors_are_refused_without_allocating_them()
    {
        using var dir = new TempDirectory();
        var path = Write(dir, WithMeta("nabla.layers", "2,20000,20000,1"));
        ModelFile.Load(Write(dir, Files.Model, "good.safetensors")); // warm up what loading always allocates
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("\"0.weight\" has shape [3, 2]", e.Message);
        Assert.Contains("needs [20000, 2]", e.Message);
        // The network the metadata describes would take 3.2 GB; reading the 1 KB file needs well under 10 MB.
        Assert.True(allocated < 10_000_000, $"{allocated:N0} bytes allocated");
    }

    [Theory]
    [InlineData("2,99999999999,1", "item 2 is \"99999999999\"")]
    [InlineData("2,-3,1", "item 2 is \"-3\"")]
    [InlineData("2,,1", "item 2 is \"\"")]
    [InlineData("2", "at least an input and an output size")]
    public void Bad_layer_lists_are_refused_with_the_item_named(string layers, string expected)
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(Write(dir, WithMeta("nabla.layers", layers))));
        Assert.Contains(expected, e.Message);
        Assert.Contains("nabla.layers", e.Message);
    }

    [Fact]
    public void A_layer_list_longer_than_the_limit_is_refused_before_it_is_split()
    {
        using var dir = new TempDirectory();
        var layers = string.Join(",", Enumerable.Repeat("1", ModelFile.MaxLayerSizes + 1));
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(Write(dir, WithMeta("nabla.layers", layers))));
        Assert.Contains($"the limit is {ModelFile.MaxLayerSizes:N0}", e.Message);
    }

    [Theory]
    [InlineData("[]", "loss bce is for 2 classes, but the file lists 0")]
    [InlineData("[\"a\",\"b\",\"c\"]", "loss bce is for 2 classes, but the file lists 3")]
    [InlineData("[\"a\",null]", "not a JSON list of strings")]
    [InlineData("{}", "not a JSON list of strings")]
    public void Class_labels_of_a_bce_model_must_be_exactly_two_strings(string classes, string expected)
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(Write(dir, WithMeta("nabla.classes", classes))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Predict_with_three_class_labels_on_a_bce_model_exits_2_instead_of_writing_a_malformed_csv()
    {
        using var dir = new TempDirectory();
        var model = Write(dir, WithMeta("nabla.classes", "[\"a\",\"b\",\"c\"]"));
        File.WriteAllText(dir.File("in.csv"), "x1,x2\n0,1\n");
        var (exit, stdout, stderr) = CliRunner.Run("predict", "--model", model, "--data", dir.File("in.csv"));
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("loss bce is for 2 classes", stderr);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_weights_are_refused_naming_the_tensor_and_element(double bad)
    {
        using var dir = new TempDirectory();
        var edited = Files.Edit(Files.Model, new Dictionary<string, string?>(), t =>
        {
            if (t.Name != "2.weight") return t;
            var values = t.ToDoubleArray();
            values[1] = bad;
            return SafeTensor.FromDoubles(t.Name, [.. t.Shape], values, t.DType);
        });
        var path = Write(dir, edited);
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(path));
        Assert.Contains("tensor \"2.weight\" holds", e.Message);
        Assert.Contains("at element 1", e.Message);
        File.WriteAllText(dir.File("in.csv"), "x1,x2\n0,1\n");
        var (exit, _, stderr) = CliRunner.Run("predict", "--model", path, "--data", dir.File("in.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("non-finite weights", stderr);
    }

    [Fact]
    public void A_missing_or_extra_tensor_is_named()
    {
        using var dir = new TempDirectory();
        var renamed = Files.Edit(Files.Model, new Dictionary<string, string?>(),
            t => t.Name == "2.bias" ? SafeTensor.FromDoubles("9.bias", [.. t.Shape], t.ToDoubleArray(), t.DType) : t);
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(Write(dir, renamed)));
        Assert.Contains("needs a tensor \"2.bias\"", e.Message);
    }
}
