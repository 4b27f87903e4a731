using System.Numerics;
using System.Text.Json;
using Nabla.Data;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Data.Loading;

/// <summary>
/// The loader over map-style datasets: orders, batch sizes, the background thread, and refusals. Sample i of the test
/// dataset holds values that encode i, so every batch row says which sample it is.
/// </summary>
public sealed class DataLoaderTests
{
    /// <summary>n samples: inputs [n, 2, 3] with input[i, r, c] = 10·i + 3·r + c, targets the class index (7·i) mod 5.</summary>
    internal static TensorDataset<T> Numbered<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputs = new T[n * 6];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = T.CreateChecked(10 * (i / 6) + i % 6);
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = 7 * i % 5;
        return new TensorDataset<T>(new Tensor<T>(inputs, n, 2, 3), IndexTensor.FromArray(labels));
    }

    /// <summary>Asserts that row <paramref name="row"/> of <paramref name="batch"/> is sample <paramref name="sample"/> of <see cref="Numbered{T}"/>.</summary>
    internal static void AssertRowIsSample<T>(Batch<T> batch, int row, int sample) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inputs = batch.Inputs.AsReadOnlySpan().Slice(row * 6, 6);
        for (int k = 0; k < 6; k++) Assert.Equal(T.CreateChecked(10 * sample + k), inputs[k]);
        Assert.Equal(7 * sample % 5, batch.TargetIndices[row]);
    }

    /// <summary>The sample numbers in a batch, read back from its inputs.</summary>
    private static int[] Samples<T>(Batch<T> batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ids = new int[batch.Rows];
        for (int r = 0; r < ids.Length; r++) ids[r] = int.CreateChecked(batch.Inputs.AsReadOnlySpan()[r * 6]) / 10;
        return ids;
    }

    [Fact]
    public void Shuffled_epochs_follow_numpys_permutations_for_the_seed_float32() => ShuffledEpochsFollowNumPy<float>();

    [Fact]
    public void Shuffled_epochs_follow_numpys_permutations_for_the_seed_float64() => ShuffledEpochsFollowNumPy<double>();

    private static void ShuffledEpochsFollowNumPy<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Python.Has("numpy"))
            Assert.Skip("/usr/bin/python3 with NumPy is not installed (apt-get install python3-numpy), so the permutations were not compared.");
        const int n = 103, batchSize = 16, seed = 1234, epochs = 3;
        var expected = JsonSerializer.Deserialize<int[][]>(Python.Run("-c", """
            import json, sys
            import numpy as np
            n, seed, epochs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
            r = np.random.RandomState(seed)
            print(json.dumps([r.permutation(n).tolist() for _ in range(epochs)]))
            """, $"{n}", $"{seed}", $"{epochs}"))!;

        var loader = new DataLoader<T>(Numbered<T>(n), batchSize, shuffle: true, random: new RandomState(seed));
        Assert.Equal(7, loader.Count);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int position = 0;
            foreach (var batch in loader)
            {
                Assert.Equal([Math.Min(batchSize, n - position), 2, 3], batch.Inputs.Shape);
                Assert.Equal([batch.Rows], batch.TargetIndices.Shape);
                for (int r = 0; r < batch.Rows; r++) AssertRowIsSample(batch, r, expected[epoch][position + r]);
                position += batch.Rows;
            }
            Assert.Equal(n, position);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Without_shuffle_batches_are_in_order_and_the_last_is_short(int prefetch)
    {
        var loader = new DataLoader<double>(Numbered<double>(10), 4, prefetch: prefetch);
        var batches = loader.ToList();
        Assert.Equal(3, loader.Count);
        Assert.Equal([4, 4, 2], batches.Select(b => b.Rows));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(Samples));
        Assert.Equal([2, 2, 3], batches[2].Inputs.Shape);
    }

    [Fact]
    public void Drop_last_leaves_out_only_a_short_last_batch()
    {
        var dropped = new DataLoader<float>(Numbered<float>(10), 4, dropLast: true);
        Assert.Equal(2, dropped.Count);
        Assert.Equal([[0, 1, 2, 3], [4, 5, 6, 7]], dropped.Select(Samples));

        var exact = new DataLoader<float>(Numbered<float>(12), 4, dropLast: true);
        Assert.Equal(3, exact.Count);
        Assert.Equal(3, exact.Count());

        var tooFew = new DataLoader<float>(Numbered<float>(3), 4, dropLast: true);
        Assert.Equal(0, tooFew.Count);
        Assert.Empty(tooFew);
    }

    [Fact]
    public void The_background_thread_gives_the_same_batches_as_building_them_in_the_loop()
    {
        var data = Numbered<float>(57);
        var inline = new DataLoader<float>(data, 8, shuffle: true, random: new RandomState(9), prefetch: 0);
        var background = new DataLoader<float>(data, 8, shuffle: true, random: new RandomState(9), prefetch: 2);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var a = inline.ToList();
            var b = background.ToList();
            Assert.Equal(a.Count, b.Count);
            for (int k = 0; k < a.Count; k++)
            {
                Assert.Equal(a[k].Inputs.ToArray(), b[k].Inputs.ToArray());
                Assert.Equal(a[k].TargetIndices.ToArray(), b[k].TargetIndices.ToArray());
            }
        }
    }

    [Fact]
    public void Batches_are_new_tensors_the_caller_may_keep()
    {
        var loader = new DataLoader<double>(Numbered<double>(6), 3, shuffle: true, random: new RandomState(2));
        var first = loader.ToList();
        var kept = first.Select(b => b.Inputs.ToArray()).ToList();
        var second = loader.ToList();
        for (int k = 0; k < first.Count; k++)
        {
            Assert.NotSame(first[k].Inputs, second[k].Inputs);
            Assert.Equal(kept[k], first[k].Inputs.ToArray());
        }
    }

    /// <summary>A dataset that fails on one sample and records the threads that copied samples.</summary>
    private sealed class Failing(int count, int failAt) : IDataset<float>
    {
        public readonly System.Collections.Concurrent.ConcurrentDictionary<Thread, bool> Threads = new();
        public int Count => count;
        public SampleField Input { get; } = SampleField.Values(1);
        public SampleField Target { get; } = SampleField.Indices();

        public void CopySample(int index, SampleBuffers<float> into)
        {
            Threads.TryAdd(Thread.CurrentThread, true);
            if (index == failAt) throw new NablaException($"sample {index} is corrupt");
            into.Inputs[0] = index;
            into.TargetIndices[0] = index;
        }
    }

    [Fact]
    public void A_worker_exception_surfaces_on_the_callers_thread_with_its_message()
    {
        var data = new Failing(20, failAt: 13);
        var loader = new DataLoader<float>(data, 4, prefetch: 1);
        var seen = new List<int>();
        var error = Assert.Throws<NablaException>(() =>
        {
            foreach (var batch in loader) seen.AddRange(batch.TargetIndices.ToArray());
        });
        Assert.Equal("sample 13 is corrupt", error.Message);
        Assert.Equal(Enumerable.Range(0, 12), seen); // the three full batches before the failing one arrived
        Assert.DoesNotContain(Thread.CurrentThread, data.Threads.Keys);
    }

    [Fact]
    public void Abandoning_an_epoch_stops_its_worker_thread()
    {
        var data = new Failing(10_000, failAt: -1);
        var loader = new DataLoader<float>(data, 2, prefetch: 2);
        foreach (var batch in loader)
        {
            Assert.Equal(2, batch.Rows);
            break;
        }
        var worker = Assert.Single(data.Threads.Keys);
        Assert.NotSame(Thread.CurrentThread, worker);
        Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "the worker thread still runs after the enumeration was disposed");
        Assert.True(data.Threads.Count == 1);

        // Disposing an enumerator that was never advanced stops its worker too.
        var idle = new Failing(10_000, failAt: -1);
        var enumerator = new DataLoader<float>(idle, 2, prefetch: 1).GetEnumerator();
        SpinWait.SpinUntil(() => !idle.Threads.IsEmpty, TimeSpan.FromSeconds(10));
        enumerator.Dispose();
        Assert.True(Assert.Single(idle.Threads.Keys).Join(TimeSpan.FromSeconds(10)), "the idle worker still runs after Dispose");
    }

    [Fact]
    public void Reading_the_other_kind_of_a_batch_field_names_the_right_one()
    {
        var batch = new DataLoader<float>(Numbered<float>(2), 2).First();
        Assert.Contains("read Batch.TargetIndices", Assert.Throws<NablaException>(() => batch.Targets).Message);
        Assert.Contains("read Batch.Inputs", Assert.Throws<NablaException>(() => batch.InputIndices).Message);
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_the_parameter()
    {
        var data = Numbered<float>(4);
        Assert.Equal("batchSize", Assert.Throws<NablaArgumentException>(() => new DataLoader<float>(data, 0)).Parameter);
        Assert.Equal("prefetch", Assert.Throws<NablaArgumentException>(() => new DataLoader<float>(data, 2, prefetch: -1)).Parameter);
        Assert.Equal("prefetch", Assert.Throws<NablaArgumentException>(() => new DataLoader<float>(data, 2, prefetch: 9)).Parameter);
        Assert.Equal("dataset", Assert.Throws<NablaArgumentException>(() => new DataLoader<float>((IDataset<float>)null!, 2)).Parameter);
    }

    [Fact]
    public void A_tensor_dataset_refuses_inputs_and_targets_of_different_lengths()
    {
        var message = Assert.Throws<NablaException>(() => new TensorDataset<float>(Tensor<float>.Zeros(5, 3), IndexTensor.Zeros(4))).Message;
        Assert.Contains("(5, 3)", message);
        Assert.Contains("(4,)", message);
        Assert.Equal("inputs", Assert.Throws<NablaArgumentException>(() => new TensorDataset<float>(Tensor<float>.Scalar(1f), Tensor<float>.Zeros(1))).Parameter);
        var dataset = Numbered<float>(3);
        var row = new float[6];
        var label = new int[1];
        Assert.Equal("index", Assert.Throws<NablaArgumentException>(() => dataset.CopySample(3, new SampleBuffers<float>(row, default, default, label))).Parameter);
    }

    [Fact]
    public void A_tensor_dataset_of_values_and_a_strided_view_batches_rows()
    {
        // Targets [n, 2] as a transposed (non-contiguous) view: row i is (i, −i).
        var targets = new Tensor<double>([0, 1, 2, 3, 0, -1, -2, -3], 2, 4).Transpose(0, 1);
        var data = new TensorDataset<double>(new Tensor<double>([0, 10, 20, 30], 4, 1), targets);
        Assert.True(data.Target is { IsIndices: false, Size: 2 });
        var batch = Assert.Single(new DataLoader<double>(data, 4, prefetch: 0));
        Assert.Equal([4, 2], batch.Targets.Shape);
        Assert.Equal([0.0, 0, 1, -1, 2, -2, 3, -3], batch.Targets.ToArray());
        Assert.Equal([0.0, 10, 20, 30], batch.Inputs.ToArray());
    }

    /// <summary>An iterable dataset of the samples 0 … count − 1 (values [1], value targets [1] = 2·i).</summary>
    private sealed class Counting(int count) : IIterableDataset<double>
    {
        public int Opened;
        public SampleField Input { get; } = SampleField.Values(1);
        public SampleField Target { get; } = SampleField.Values(1);

        public ISampleReader<double> Open()
        {
            Opened++;
            return new Reader(count);
        }

        private sealed class Reader(int count) : ISampleReader<double>
        {
            private int next;

            public bool ReadNext(SampleBuffers<double> into)
            {
                if (next == count) return false;
                into.Inputs[0] = next;
                into.Targets[0] = 2 * next++;
                return true;
            }

            public void Dispose() { }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Over_an_iterable_dataset_batches_follow_the_stream(int prefetch)
    {
        var stream = new Counting(10);
        var loader = new DataLoader<double>(stream, 4, prefetch: prefetch);
        Assert.Null(loader.Count);
        var batches = loader.ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => b.Rows));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), batches.SelectMany(b => b.Inputs.ToArray()));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 2.0 * i), batches.SelectMany(b => b.Targets.ToArray()));
        Assert.Equal([2, 1], batches[2].Targets.Shape);

        var dropped = new DataLoader<double>(stream, 4, dropLast: true, prefetch: prefetch).ToList();
        Assert.Equal([4, 4], dropped.Select(b => b.Rows));
        Assert.Equal(2, stream.Opened);
    }
}
