using Nabla.Distributed;
using Nabla.Tensors;

namespace Nabla.Tests.Distributed;

public sealed class CollectivesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Thread_ranks_sum_every_element_and_agree_bit_for_bit(int ranks)
    {
        // Rank r contributes r + i/7 at element i: the sum is Σr + ranks·i/7, checked against the formula.
        var results = ThreadCollectives.Run(ranks, comm =>
        {
            var values = Enumerable.Range(0, 11).Select(i => comm.Rank + i / 7.0).ToArray();
            comm.AllreduceSum(values.AsSpan());
            var floats = Enumerable.Range(0, 11).Select(i => (float)(comm.Rank + 1)).ToArray();
            comm.AllreduceSum(floats.AsSpan());
            return (values, floats);
        });
        double rankSum = ranks * (ranks - 1) / 2.0;
        for (int i = 0; i < 11; i++)
        {
            Assert.Equal(rankSum + ranks * (i / 7.0), results[0].values[i], 1e-12);
            Assert.Equal(ranks * (ranks + 1) / 2f, results[0].floats[i]);
        }
        foreach (var (values, floats) in results)
        {
            Assert.Equal(results[0].values, values);
            Assert.Equal(results[0].floats, floats);
        }
    }

    [Fact]
    public void Broadcast_copies_the_roots_bytes_to_every_rank()
    {
        var results = ThreadCollectives.Run(3, comm =>
        {
            var bytes = comm.BroadcastArray(comm.Rank == 2 ? [1, 2, 3, 4, 5] : null, root: 2);
            var values = new double[] { comm.Rank, comm.Rank };
            comm.Broadcast(values.AsSpan(), root: 1);
            return (bytes, values);
        });
        foreach (var (bytes, values) in results)
        {
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, bytes);
            Assert.Equal(new double[] { 1, 1 }, values);
        }
    }

    [Fact]
    public void The_ranks_that_flag_are_known_to_every_rank()
    {
        var results = ThreadCollectives.Run(4, comm => comm.RanksWhere(comm.Rank is 1 or 3));
        foreach (var ranks in results) Assert.Equal([1, 3], ranks);
    }

    [Fact]
    public void A_failing_rank_releases_the_others_instead_of_leaving_them_waiting()
    {
        var e = Assert.Throws<NablaException>(() => ThreadCollectives.Run(3, comm =>
        {
            if (comm.Rank == 1) throw new NablaException("rank 1 broke");
            comm.Barrier();
            return 0;
        }));
        Assert.Equal("rank 1 broke", e.Message);
    }

    [Fact]
    public void Mismatched_lengths_are_an_error_not_a_wrong_sum()
    {
        var e = Assert.Throws<NablaException>(() => ThreadCollectives.Run(2, comm =>
        {
            var values = new double[comm.Rank + 1];
            comm.AllreduceSum(values.AsSpan());
            return 0;
        }));
        Assert.Contains("sums 1 values but rank 1 sums 2", e.Message + " ", StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_MPI_library_is_a_clear_error_that_says_what_to_install()
    {
        var e = Assert.Throws<NablaException>(() => MpiLibrary.Load(["libnabla-no-such-mpi.so"]));
        Assert.Contains("libnabla-no-such-mpi.so", e.Message);
        Assert.Contains("apt-get install openmpi-bin", e.Message);
    }

    [Theory]
    [InlineData(7, 3)]
    [InlineData(2, 3)]
    [InlineData(32, 5)]
    [InlineData(1, 1)]
    [InlineData(0, 2)]
    public void Shares_cover_a_batch_exactly_once_and_differ_by_at_most_one_row(int batch, int ranks)
    {
        int next = 0;
        var counts = new List<int>();
        for (int r = 0; r < ranks; r++)
        {
            var (start, count) = DataParallel<double>.Share(batch, r, ranks);
            Assert.Equal(next, start);
            next += count;
            counts.Add(count);
        }
        Assert.Equal(batch, next);
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
    }

    [Fact]
    public void Backward_reports_each_leaf_once_when_its_gradient_is_final_output_layer_first()
    {
        // y = w2 · relu(w1 · x) + w1-reuse: w1 feeds two ops, so it is final only after both rules ran.
        var x = new Tensor<double>([1.0, -2.0, 0.5], 3, 1);
        var w1 = new Tensor<double>([0.3, -0.2, 0.1, 0.4, 0.5, -0.6], 2, 3).RequireGrad();
        var w2 = new Tensor<double>([0.7, -0.8], 1, 2).RequireGrad();
        var h = w1.MatMul(x).Relu();
        var y = w2.MatMul(h).Sum() + w1.Sum();
        var seen = new List<(string Name, double[] GradAtCall)>();
        w1.OnGradReady = leaf => seen.Add(("w1", leaf.Grad!.ToArray()));
        w2.OnGradReady = leaf => seen.Add(("w2", leaf.Grad!.ToArray()));
        y.Backward();
        Assert.Equal(["w2", "w1"], seen.Select(s => s.Name));
        // The gradient handed over equals the final one: nothing was added to it afterwards.
        Assert.Equal(w1.Grad!.ToArray(), seen[1].GradAtCall);
        Assert.Equal(w2.Grad!.ToArray(), seen[0].GradAtCall);
    }
}
