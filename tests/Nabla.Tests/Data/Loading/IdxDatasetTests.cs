using Nabla.Data;

namespace Nabla.Tests.Data.Loading;

/// <summary>IDX images and labels as a map-style dataset: pixels scaled by 1/255, shapes [B, C, H, W], class indices.</summary>
public sealed class IdxDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-idx-dataset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Images_become_scaled_pixel_tensors_and_labels_class_indices()
    {
        byte[] pixels = [.. Enumerable.Range(0, 5 * 2 * 3).Select(i => (byte)(i * 8))];
        var images = IdxWriter.Write(Path.Combine(_dir, "images"), IdxWriter.Bytes(0x08, [5, 2, 3], pixels));
        var labels = IdxWriter.Write(Path.Combine(_dir, "labels"), IdxWriter.Bytes(0x08, [5], [3, 0, 1, 1, 2]), gzip: true);

        var data = IdxDataset<float>.Load(images, labels);
        Assert.Equal((5, 4), (data.Count, data.Classes));
        Assert.Equal([1, 2, 3], data.Input.Shape);
        var batches = new DataLoader<float>(data, 3).ToList();
        Assert.Equal([3, 1, 2, 3], batches[0].Inputs.Shape);
        Assert.Equal([2, 1, 2, 3], batches[1].Inputs.Shape);
        Assert.Equal(pixels.Select(p => (float)(p / 255.0)), batches.SelectMany(b => b.Inputs.ToArray()));
        Assert.Equal([3, 0, 1, 1, 2], batches.SelectMany(b => b.TargetIndices.ToArray()));
    }

    [Fact]
    public void Counts_that_differ_are_refused_naming_both_files()
    {
        var images = IdxWriter.Write(Path.Combine(_dir, "images"), IdxWriter.Bytes(0x08, [2, 1, 1], [0, 255]));
        var labels = IdxWriter.Write(Path.Combine(_dir, "labels"), IdxWriter.Bytes(0x08, [3], [0, 1, 0]));
        Assert.Equal($"{labels} has 3 labels but {images} has 2 images", Assert.Throws<NablaException>(() => IdxDataset<double>.Load(images, labels)).Message);
    }
}
