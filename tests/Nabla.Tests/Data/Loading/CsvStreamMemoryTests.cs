using System.Globalization;
using Nabla.Data;

namespace Nabla.Tests.Data.Loading;

/// <summary>Tests that read the whole process's managed heap run alone, so other tests' objects do not count.</summary>
[CollectionDefinition(nameof(HeapMeasurements), DisableParallelization = true)]
public sealed class HeapMeasurements;

/// <summary>Streaming a CSV file keeps memory bounded: nothing per row is kept or allocated.</summary>
[Collection(nameof(HeapMeasurements))]
public sealed class CsvStreamMemoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-csv-memory-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Streaming_keeps_the_managed_heap_bounded_and_allocates_only_the_batches()
    {
        // About 9 MB of text, 160 000 rows × 4 doubles = 5 MB if rows were kept.
        const int rows = 160_000, batchSize = 256;
        var path = Path.Combine(_dir, "big.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("x1,x2,x3,y\n");
            for (int i = 0; i < rows; i++)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{i},{Math.Sin(i):R},{-0.5 * i:R},{i % 7 * 1.25:R}\n"));
        }
        var data = CsvStreamDataset<double>.FromFile(path, new CsvOptions { Target = "y" });
        long batchBytes = batchSize * 4L * sizeof(double);
        using var batches = new DataLoader<double>(data, batchSize, prefetch: 0).GetEnumerator();
        Assert.True(batches.MoveNext());
        long heapAfterFirst = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedAfterFirst = GC.GetAllocatedBytesForCurrentThread();
        int count = 1;
        long peakGrowth = 0;
        while (batches.MoveNext())
        {
            if (++count % 100 == 0) peakGrowth = Math.Max(peakGrowth, GC.GetTotalMemory(forceFullCollection: true) - heapAfterFirst);
        }
        long perBatch = (GC.GetAllocatedBytesForCurrentThread() - allocatedAfterFirst) / (count - 1);
        Assert.Equal((rows + batchSize - 1) / batchSize, count);
        Assert.True(peakGrowth < 2 << 20, $"the managed heap grew by {peakGrowth} bytes while streaming; rows must not be kept");
        Assert.True(perBatch < 2 * batchBytes + 4096, $"{perBatch} bytes allocated per batch of {batchBytes} bytes: something is allocated per row");
    }
}
