using System.Buffers.Binary;
using System.IO.Compression;
using Nabla.Data;
using Nabla.Rng;

namespace Nabla.Tests.Data;

/// <summary>IDX files written here byte by byte from the format's definition, plain and gzipped, good and broken.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-idx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Idx(byte type, int[] dims, byte[] data) => IdxWriter.Bytes(type, dims, data);

    private string Write(string name, byte[] bytes, bool gzip = false) => IdxWriter.Write(Path.Combine(_dir, name), bytes, gzip);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mnist_style_images_and_labels_load_as_rows_of_pixels_scaled_to_0_1(bool gzip)
    {
        var pixels = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(i * 10)).ToArray();
        string images = Write("images", Idx(0x08, [3, 2, 4], pixels), gzip);
        string labels = Write("labels", Idx(0x08, [3], [7, 0, 2]), gzip);
        var data = IdxImages.Load(images, labels);
        Assert.Equal(new ImageShape(1, 2, 4), data.Image);
        Assert.Equal(3, data.Rows);
        Assert.Equal(8, data.Features.Columns);
        Assert.Equal(8, data.Classes.Count);
        Assert.Equal([7.0, 0, 2], data.Targets);
        Assert.Equal(pixels.Select(p => p / 255.0), data.Features.Values);
    }

    [Fact]
    public void Other_element_types_read_big_endian()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(data, 1.5f);
        BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(4), -300);
        Assert.Equal([1.5], IdxFile.Load(Write("f", Idx(0x0D, [1], data[..4]))).Values);
        Assert.Equal([-300.0], IdxFile.Load(Write("s", Idx(0x0B, [1], data[4..6]))).Values);
    }

    [Fact]
    public void Broken_files_are_refused_with_the_reason_before_any_large_allocation()
    {
        var e = Assert.Throws<NablaException>(() => IdxFile.Load(Write("bad-magic", [1, 2, 8, 1, 0, 0, 0, 1, 5])));
        Assert.Contains("not an IDX file", e.Message);
        e = Assert.Throws<NablaException>(() => IdxFile.Load(Write("short", Idx(0x08, [2, 3], [1, 2, 3]))));
        Assert.Contains("6 data bytes, but the file has 3", e.Message);
        // A gzip file whose header claims 50 million elements (within the limit) but holds 3 bytes: refused, nothing huge allocated.
        e = Assert.Throws<NablaException>(() => IdxFile.Load(Write("liar.gz", Idx(0x08, [5000, 10000], [1, 2, 3]), gzip: true)));
        Assert.Contains("decompressed file has 3", e.Message);
        e = Assert.Throws<NablaException>(() => IdxFile.Load(Write("huge", Idx(0x08, [100000, 100000], []))));
        Assert.Contains("exceed", e.Message);
        e = Assert.Throws<NablaException>(() => IdxFile.Load(Path.Combine(_dir, "missing")));
        Assert.Contains("no such IDX file", e.Message);
    }

    [Fact]
    public void Images_and_labels_that_disagree_are_refused()
    {
        string images = Write("i", Idx(0x08, [2, 2, 2], new byte[8]));
        var e = Assert.Throws<NablaException>(() => IdxImages.Load(images, Write("l", Idx(0x08, [3], [0, 1, 2]))));
        Assert.Contains("3 labels but", e.Message);
        e = Assert.Throws<NablaException>(() => IdxImages.Load(Write("flat", Idx(0x08, [2, 8], new byte[16])), Write("l2", Idx(0x08, [2], [0, 1]))));
        Assert.Contains("images need 3 dimensions", e.Message);
    }

    [Fact]
    public void Image_shapes_parse_and_check_the_column_count()
    {
        Assert.Equal(new ImageShape(3, 32, 32), ImageShape.Parse("3x32x32"));
        Assert.Equal(new ImageShape(1, 28, 28), ImageShape.Parse("28x28"));
        Assert.Contains("\"0\"", Assert.Throws<NablaException>(() => ImageShape.Parse("1x0x28")).Message);
        Assert.Contains("needs 1·28·28 = 784", Assert.Throws<NablaException>(() => ImageShape.Parse("1x28x28").CheckColumns(785, "pixels.csv")).Message);
    }

    [Fact]
    public void The_shapes_dataset_is_seeded_balanced_and_puts_nine_bright_pixels_per_image()
    {
        var a = ShapesDataset.Create(400, new RandomState(1), size: 10, noise: 0);
        var b = ShapesDataset.Create(400, new RandomState(1), size: 10, noise: 0);
        Assert.Equal(a.Features.Values, b.Features.Values);
        for (int i = 0; i < a.Rows; i++) Assert.Equal(9, a.Features.Values.AsSpan(i * 100, 100).ToArray().Count(v => v == 1));
        Assert.All(Enumerable.Range(0, 4), c => Assert.InRange(a.Targets.Count(t => t == c), 70, 130));
    }
}
