using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Nabla.Data;
using Nabla.Rng;
using Nabla.Tests.Training;

namespace Nabla.Tests.Data.Loading;

/// <summary>Streamed CSV: the same rows and messages as <see cref="CsvLoader"/>, the shuffle buffer, and bounded memory.</summary>
public sealed class CsvStreamDatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-csv-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text, bool bom = false)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return path;
    }

    /// <summary>A header x1,x2,x3,y then <paramref name="rows"/> rows of numbers derived from the row index.</summary>
    private string Numbers(string name, int rows, bool bom = false)
    {
        var text = new StringBuilder("x1,x2,x3,y\n");
        for (int i = 0; i < rows; i++)
            text.Append(CultureInfo.InvariantCulture, $"{i},{Math.Sin(i):R},{-0.5 * i:R},{i % 7 * 1.25:R}\n");
        return Write(name, text.ToString(), bom);
    }

    [Fact]
    public void Rows_stream_in_file_order_as_CsvLoader_reads_them_float64() => RowsMatchCsvLoader<double>();

    [Fact]
    public void Rows_stream_in_file_order_as_CsvLoader_reads_them_float32() => RowsMatchCsvLoader<float>();

    private void RowsMatchCsvLoader<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var path = Numbers("numbers.csv", 103, bom: true);
        var options = new CsvOptions { Target = "y", Features = ["x3", "x1", "x2"] };
        var expected = CsvLoader.Load(path, options);
        var data = CsvStreamDataset<T>.FromFile(path, options);
        Assert.Equal(["x3", "x1", "x2"], data.FeatureNames);
        Assert.Equal("y", data.TargetName);
        var batches = new DataLoader<T>(data, 10).ToList();
        Assert.Equal(11, batches.Count);
        Assert.Equal([3, 3], batches[^1].Inputs.Shape);
        Assert.Equal([3, 1], batches[^1].Targets.Shape);
        Assert.Equal(expected.Features.Values.Select(T.CreateTruncating), batches.SelectMany(b => b.Inputs.ToArray()));
        Assert.Equal(expected.Targets!.Select(T.CreateTruncating), batches.SelectMany(b => b.Targets.ToArray()));
        Assert.Equal(11, new DataLoader<T>(data, 10).Count()); // a second pass reads the file again
    }

    [Fact]
    public void Class_labels_become_indices_of_the_known_classes()
    {
        var path = Write("pets.csv", "x,label\n1, dog\n2,cat\n\n3,dog \n");
        var options = new CsvOptions { Target = "label", ClassTarget = true, KnownClasses = ["cat", "dog"] };
        var batch = new DataLoader<float>(CsvStreamDataset<float>.FromFile(path, options), 8).Single();
        Assert.Equal([1, 0, 1], batch.TargetIndices.ToArray());
        Assert.Equal([3], batch.TargetIndices.Shape);
        Assert.Equal([1f, 2, 3], batch.Inputs.ToArray());

        var unknown = Write("cow.csv", "x,label\n1,dog\n2,cow\n");
        var message = Assert.Throws<NablaException>(() => new DataLoader<float>(CsvStreamDataset<float>.FromFile(unknown, options), 8).ToList()).Message;
        Assert.Equal(Assert.Throws<NablaException>(() => CsvLoader.Load(unknown, options)).Message, message);
        Assert.StartsWith($"{unknown}:3: column 2 (\"label\"): class \"cow\"", message);

        Assert.Equal("options", Assert.Throws<NablaArgumentException>(() => CsvStreamDataset<float>.FromFile(path, new CsvOptions { Target = "label", ClassTarget = true })).Parameter);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "x1,x2,y\n1,2,3\n4,,6\n", ":3: column 2 (\"x2\"): missing value (empty cell)" },
        { "x1,x2,y\n1,2,3\n\n7,abc,9\n", ":4: column 2 (\"x2\"): \"abc\" is not a number" },
        { "x1,x2,y\n1,2,3\n1,2\n", ":3: 2 fields, but the header has 3 columns" },
        { "x1,x2,y\n\"1\n\",2,zz\n", ":3: column 3 (\"y\"): \"zz\" is not a number" },
        { "x1,x2,y\n1,2,1e999\n", ":2: column 3 (\"y\"): \"1e999\" is not a finite number" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Errors_name_the_line_and_column_as_CsvLoader_does(string text, string where)
    {
        var path = Write("bad.csv", text);
        var options = new CsvOptions { Target = "y" };
        var message = Assert.Throws<NablaException>(() => new DataLoader<double>(CsvStreamDataset<double>.FromFile(path, options), 2, prefetch: 1).ToList()).Message;
        Assert.Equal(path + where, message);
        Assert.Equal(Assert.Throws<NablaException>(() => CsvLoader.Load(path, options)).Message, message);
    }

    [Fact]
    public void Malformed_files_and_missing_columns_are_refused_naming_the_file()
    {
        var quote = Write("quote.csv", "x,y\n1,2\n3,\"4\n");
        Assert.StartsWith($"{quote}:3: ", Assert.Throws<NablaException>(() => new DataLoader<float>(CsvStreamDataset<float>.FromFile(quote), 2).ToList()).Message);
        var path = Numbers("n.csv", 3);
        Assert.StartsWith($"{path}: no column named \"z\"", Assert.Throws<NablaException>(() => CsvStreamDataset<float>.FromFile(path, new CsvOptions { Target = "z" })).Message);
        var missing = Path.Combine(_dir, "missing.csv");
        Assert.Equal($"{missing}: file not found", Assert.Throws<NablaException>(() => CsvStreamDataset<float>.FromFile(missing)).Message);
        Assert.Equal("shuffleBuffer", Assert.Throws<NablaArgumentException>(() => CsvStreamDataset<float>.FromFile(path, shuffleBuffer: -1)).Parameter);
        Assert.Equal("shuffleBuffer", Assert.Throws<NablaArgumentException>(() => CsvStreamDataset<float>.FromFile(path, shuffleBuffer: (1 << 24) + 1)).Parameter);
    }

    [Fact]
    public void A_header_that_changes_between_passes_is_refused()
    {
        var path = Write("moving.csv", "a,b\n1,2\n");
        var data = CsvStreamDataset<double>.FromFile(path, new CsvOptions { Target = "b" });
        Assert.Single(new DataLoader<double>(data, 4));
        File.WriteAllText(path, "b,a\n1,2\n");
        Assert.Equal($"{path}: the header row changed since the dataset was opened; open the file again",
            Assert.Throws<NablaException>(() => new DataLoader<double>(data, 4).ToList()).Message);
    }

    [Fact]
    public void Rows_with_missing_values_are_dropped_when_asked()
    {
        var path = Write("gaps.csv", "x1,x2,y\n1,2,3\n4,,6\n7,8, \n9,10,11\n");
        var data = CsvStreamDataset<double>.FromFile(path, new CsvOptions { Target = "y", MissingValues = MissingValues.Drop });
        var batch = new DataLoader<double>(data, 10).Single();
        Assert.Equal([1.0, 2, 9, 10], batch.Inputs.ToArray());
        Assert.Equal([3.0, 11], batch.Targets.ToArray());
    }

    [Fact]
    public void The_shuffle_buffer_order_is_tf_datas_algorithm_with_numpys_draws()
    {
        if (!Python.Has("numpy"))
            Assert.Skip("/usr/bin/python3 with NumPy is not installed (apt-get install python3-numpy), so the shuffle order was not compared.");
        const int rows = 500, buffer = 37, seed = 11;
        // An independent simulation: a buffer of the first K rows; emit a uniformly drawn slot, refill it from the
        // stream; at the end, emit a drawn slot and move the last held row into it. Two passes from one generator.
        var expected = JsonSerializer.Deserialize<int[][]>(Python.Run("-c", """
            import json, sys
            import numpy as np
            rows, k, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
            r = np.random.RandomState(seed)
            passes = []
            for _ in range(2):
                stream, held, out = iter(range(rows)), [], []
                for x in stream:
                    held.append(x)
                    if len(held) == k: break
                while held:
                    j = r.randint(len(held))
                    out.append(held[j])
                    nxt = next(stream, None)
                    if nxt is not None: held[j] = nxt
                    else: held[j] = held[-1]; held.pop()
                passes.append(out)
            print(json.dumps(passes))
            """, $"{rows}", $"{buffer}", $"{seed}"))!;

        var data = CsvStreamDataset<double>.FromFile(Numbers("numbers.csv", rows), new CsvOptions { Target = "y" }, shuffleBuffer: buffer, random: new RandomState(seed));
        for (int pass = 0; pass < 2; pass++)
        {
            var order = new DataLoader<double>(data, 64).SelectMany(b => b.Inputs.ToArray().Where((_, k) => k % 3 == 0)).Select(x => (int)x).ToArray();
            Assert.Equal(expected[pass], order);
            for (int p = 0; p < order.Length; p++) Assert.True(p >= order[p] - buffer + 1, $"row {order[p]} came out at {p}, more than K − 1 = {buffer - 1} places early");
        }
        Assert.NotEqual(expected[0], expected[1]);
    }
}
