using Nabla.Serialization;
using Nabla.Tests.Cli;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// A model file that records an architecture is validated before it is trusted: a description that does not parse,
/// does not fit the tensors or claims more values than the file holds is an error naming the file and the field.
/// </summary>
public sealed class ModelFileArchitectureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-model-arch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private const string Layers = "conv 3 3, relu, maxpool 2, flatten, linear 4";

    private SafetensorsFile Trained()
    {
        var train = CliRunner.Run("train", "--dataset", "shapes", "--samples", "40", "--layers", Layers, "--epochs", "1", "--save", P("m.safetensors"));
        Assert.True(train.Exit == 0, train.Err);
        return SafetensorsFile.Load(P("m.safetensors"));
    }

    private string Rewrite(SafetensorsFile file, Action<Dictionary<string, string>> edit)
    {
        var metadata = file.Metadata.ToDictionary();
        edit(metadata);
        SafetensorsFile.Save(P("edited.safetensors"), file.Names.Select(n => file.Tensors[n]), metadata);
        return P("edited.safetensors");
    }

    [Fact]
    public void The_file_records_the_architecture_and_image_and_loads_them_back()
    {
        Trained();
        var model = ModelFile.Load(P("m.safetensors"));
        Assert.Equal(Layers, model.Architecture);
        Assert.Equal(new Nabla.Data.ImageShape(1, 16, 16), model.Image);
        Assert.Equal([256, 4], model.LayerSizes);
    }

    [Theory]
    [InlineData("conv 3 3, relu, maxpol 2, flatten, linear 4", "unknown layer \"maxpol\"")]
    [InlineData("conv 3 5, relu, maxpool 2, flatten, linear 4", "shape mismatch for \"1.weight\"")]
    [InlineData("conv 3 3, relu, maxpool 2, flatten", "outputs of shape (147,)")]
    [InlineData("conv 3 3, relu, maxpool 2, flatten, linear 1000000", "more than the")]
    [InlineData("conv 300000 3, flatten, linear 4", "more than the")]
    [InlineData("", "is empty")]
    public void A_bad_architecture_is_an_error_naming_the_file_and_field(string architecture, string why)
    {
        string path = Rewrite(Trained(), m => m["nabla.architecture"] = architecture);
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(path));
        Assert.Contains("edited.safetensors", e.Message);
        Assert.Contains(why, e.Message);
        if (architecture.Length > 0 && why != "shape mismatch for \"1.weight\"") Assert.Contains("nabla.architecture", e.Message);

        var cli = CliRunner.Run("predict", "--model", path, "--data", P("none.csv"));
        Assert.Equal(2, cli.Exit);
        Assert.DoesNotContain("   at ", cli.Err);
    }

    [Theory]
    [InlineData("1x15x16", "holds 240 pixels")]
    [InlineData("banana", "nabla.image")]
    public void A_bad_image_shape_is_an_error_naming_the_field(string image, string why)
    {
        string path = Rewrite(Trained(), m => m["nabla.image"] = image);
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(path));
        Assert.Contains("edited.safetensors", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Without_its_image_shape_a_conv_model_is_refused()
    {
        string path = Rewrite(Trained(), m => m.Remove("nabla.image"));
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(path));
        Assert.Contains("nabla.architecture", e.Message);
        Assert.Contains("needs images", e.Message);
    }

    [Fact]
    public void Layers_that_list_more_than_inputs_and_outputs_are_refused_with_an_architecture()
    {
        string path = Rewrite(Trained(), m => m["nabla.layers"] = "256,8,4");
        var e = Assert.Throws<NablaException>(() => ModelFile.Load(path));
        Assert.Contains("nabla.layers", e.Message);
    }
}
