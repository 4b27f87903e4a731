using System.Buffers.Binary;
using Nabla.Data;
using Nabla.Tests.Cli;
using Nabla.Tests.Data;
using Nabla.Tests.IO;

namespace Nabla.Tests.Reliability;

/// <summary>
/// IDX files are validated when read, before any training: sizes against <see cref="Limits.MaxIdxElements"/> with
/// bounded allocation, non-finite values refused by position, empty image files and labels past the class limit refused.
/// </summary>
public class IdxReliabilityTests
{
    private static byte[] Header(byte type, params int[] dims) => IdxWriter.Bytes(type, dims, []);

    private static byte[] Doubles(double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    private static byte[] Singles(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    [Fact]
    public void A_gzip_header_declaring_2_to_the_27_doubles_is_refused_by_the_limit_before_reading_data()
    {
        using var dir = new TempDirectory();
        // 2²⁷ float64 values = 1 GiB: over the limit of 2²⁶ elements; a few bytes of data follow.
        var path = IdxWriter.Write(dir.File("big.gz"), [.. Header(0x0E, 1 << 13, 1 << 7, 1 << 7), .. new byte[4096]], gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaException>(() => IdxFile.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000);
        Assert.Contains("exceed the limit of 67,108,864 elements", e.Message);
    }

    [Fact]
    public void A_gzip_header_within_the_limit_but_with_little_data_allocates_about_what_the_data_holds()
    {
        using var dir = new TempDirectory();
        // 2²⁶ doubles promised (512 MiB), 80 000 bytes present: refused after reading them, without allocating 512 MiB.
        var path = IdxWriter.Write(dir.File("short.gz"), [.. Header(0x0E, 1 << 10, 1 << 8, 1 << 8), .. new byte[80_000]], gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaException>(() => IdxFile.Load(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 20_000_000, $"{allocated:N0} bytes");
        Assert.Contains("promises 536870912 data bytes, but the decompressed file has 80000", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Doubles_across_many_chunks_read_back_exactly(bool gzip)
    {
        using var dir = new TempDirectory();
        var random = new Random(5);
        var values = Enumerable.Range(0, 150_001).Select(_ => random.NextDouble() * 1e6 - 5e5).ToArray();
        var path = IdxWriter.Write(dir.File("d"), IdxWriter.Bytes(0x0E, [150_001], Doubles(values)), gzip);
        var file = IdxFile.Load(path);
        Assert.Equal(values, file.Values);
        var extra = IdxWriter.Write(dir.File("e"), [.. IdxWriter.Bytes(0x0E, [150_000], Doubles(values)), 7], gzip);
        // 150 001 doubles and a byte under a header of 150 000: a plain file is measured against its header before
        // reading; a gzip stream is read to the promised end and one byte on.
        Assert.Contains(gzip ? "promises 1200000 data bytes, but the decompressed file has more" : "= 1200000 data bytes, but the file has 1200009",
            Assert.Throws<NablaException>(() => IdxFile.Load(extra)).Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void A_non_finite_pixel_is_refused_naming_its_position(float bad, string shown)
    {
        using var dir = new TempDirectory();
        var pixels = new float[3 * 4 * 5];
        pixels[1 * 20 + 2 * 5 + 3] = bad;
        var images = IdxWriter.Write(dir.File("images"), IdxWriter.Bytes(0x0D, [3, 4, 5], Singles(pixels)));
        var labels = IdxWriter.Write(dir.File("labels"), IdxWriter.Bytes(0x08, [3], [0, 1, 0]));
        var e = Assert.Throws<NablaException>(() => IdxImages.Load(images, labels));
        Assert.Contains("element [1, 2, 3] is " + shown, e.Message);
        // Through the CLI the run stops before training, not with "learning rate too large".
        var (exit, _, error) = CliRunner.Run("train", "--data", images, "--labels", labels, "--layers", "flatten, linear 2", "--epochs", "1");
        Assert.Equal(2, exit);
        Assert.Contains("element [1, 2, 3]", error);
    }

    [Fact]
    public void A_file_of_zero_images_is_refused_as_holding_no_images()
    {
        using var dir = new TempDirectory();
        var images = IdxWriter.Write(dir.File("images"), Header(0x08, 0, 8, 8));
        var labels = IdxWriter.Write(dir.File("labels"), Header(0x08, 0));
        var e = Assert.Throws<NablaException>(() => IdxImages.Load(images, labels));
        Assert.Contains("the file holds no images", e.Message);
        Assert.Contains("holds no images", CliRunner.Run("train", "--data", images, "--labels", labels, "--epochs", "1").Err);
    }

    [Theory]
    [InlineData(65_535)]
    [InlineData(1_000)]
    public void Labels_past_the_class_limit_are_refused_before_training(int label)
    {
        using var dir = new TempDirectory();
        var images = IdxWriter.Write(dir.File("images"), IdxWriter.Bytes(0x08, [3, 2, 2], new byte[12]));
        var labelBytes = new byte[6];
        BinaryPrimitives.WriteInt16BigEndian(labelBytes.AsSpan(2), (short)(ushort)label);
        var labels = IdxWriter.Write(dir.File("labels"), IdxWriter.Bytes(0x0B, [3], labelBytes));
        var e = Assert.Throws<NablaException>(() => IdxImages.Load(images, labels));
        Assert.Contains($"label 1 is {(short)(ushort)label}", e.Message);
        Assert.Contains("0 to 999", e.Message);
        var (exit, output, error) = CliRunner.Run("train", "--data", images, "--labels", labels, "--epochs", "1", "--save", dir.File("m.safetensors"));
        Assert.Equal(2, exit);
        Assert.Contains("0 to 999", error);
        Assert.False(File.Exists(dir.File("m.safetensors")), output);
    }

    [Fact]
    public void Label_999_is_the_largest_accepted()
    {
        using var dir = new TempDirectory();
        var images = IdxWriter.Write(dir.File("images"), IdxWriter.Bytes(0x08, [2, 2, 2], new byte[8]));
        var labelBytes = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(labelBytes.AsSpan(2), 999);
        var labels = IdxWriter.Write(dir.File("labels"), IdxWriter.Bytes(0x0B, [2], labelBytes));
        var data = IdxImages.Load(images, labels);
        Assert.Equal(1000, data.Classes.Count);
    }
}
