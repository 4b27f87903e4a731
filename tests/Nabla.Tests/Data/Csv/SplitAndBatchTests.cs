using Nabla.Data;

namespace Nabla.Tests.Data.Csv;

public class SplitAndBatchTests
{
    private static int[] Reversed(int n) => Enumerable.Range(0, n).Reverse().ToArray();

    [Fact]
    public void Validation_takes_the_first_ceiling_of_fraction_times_rows_of_the_permutation()
    {
        var split = Split.TrainValidation(10, 0.2, Reversed(10));
        Assert.Equal(new[] { 9, 8 }, split.Validation);
        Assert.Equal(new[] { 7, 6, 5, 4, 3, 2, 1, 0 }, split.Train);
    }

    [Fact]
    public void The_validation_count_rounds_up_like_scikit_learn()
    {
        Assert.Equal(3, Split.TrainValidation(10, 0.25, Reversed(10)).Validation.Length); // ceil(2.5)
        Assert.Equal(2, Split.TrainValidation(5, 0.3, Reversed(5)).Validation.Length);    // ceil(1.5)
        Assert.Single(Split.TrainValidation(7, 0.01, Reversed(7)).Validation);           // ceil(0.07)
    }

    [Fact]
    public void A_zero_fraction_keeps_every_row_for_training()
    {
        var split = Split.TrainValidation(3, 0, [2, 0, 1]);
        Assert.Empty(split.Validation);
        Assert.Equal(new[] { 2, 0, 1 }, split.Train);
    }

    [Fact]
    public void A_fraction_that_leaves_no_training_rows_is_an_error()
    {
        var ex = Assert.Throws<NablaException>(() => Split.TrainValidation(3, 0.9, [0, 1, 2]));
        Assert.Equal("a validation fraction of 0.9 of 3 rows leaves no rows for training", ex.Message);
        Assert.Throws<NablaException>(() => Split.TrainValidation(3, 1.0, [0, 1, 2]));
        Assert.Throws<NablaException>(() => Split.TrainValidation(3, -0.1, [0, 1, 2]));
        Assert.Throws<NablaException>(() => Split.TrainValidation(3, double.NaN, [0, 1, 2]));
    }

    [Fact]
    public void The_order_must_be_a_permutation()
    {
        Assert.Throws<ArgumentException>(() => Split.TrainValidation(3, 0.3, [0, 1]));
        Assert.Throws<ArgumentException>(() => Split.TrainValidation(3, 0.3, [0, 1, 1]));
        Assert.Throws<ArgumentException>(() => Split.TrainValidation(3, 0.3, [0, 1, 3]));
    }

    [Fact]
    public void Batches_cover_every_position_once_and_keep_the_last_partial_batch()
    {
        Assert.Equal(4, Batches.Count(10, 3));
        Assert.Equal(0, Batches.Count(0, 3));
        Assert.Equal(1, Batches.Count(3, 3));
        var ranges = Batches.Ranges(10, 3).Select(r => (r.Start.Value, r.End.Value)).ToArray();
        Assert.Equal(new[] { (0, 3), (3, 6), (6, 9), (9, 10) }, ranges);
    }

    [Fact]
    public void Batches_over_an_order_are_its_consecutive_slices()
    {
        int[] order = [4, 0, 3, 1, 2];
        var batches = Batches.Over(order, 2).Select(b => b.ToArray()).ToArray();
        Assert.Equal(new[] { new[] { 4, 0 }, new[] { 3, 1 }, new[] { 2 } }, batches);
    }

    [Fact]
    public void A_batch_size_larger_than_the_rows_gives_one_batch()
    {
        Assert.Equal(new[] { new[] { 1, 0 } }, Batches.Over([1, 0], 64).Select(b => b.ToArray()).ToArray());
    }

    [Fact]
    public void A_non_positive_batch_size_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Batches.Count(5, 0));
    }

    [Fact]
    public void Gather_copies_the_requested_rows_in_order()
    {
        double[] source = [0, 1, 10, 11, 20, 21];
        var destination = new double[4];
        Batches.Gather(source, 2, [2, 0], destination);
        Assert.Equal(new[] { 20.0, 21, 0, 1 }, destination);
    }

    [Fact]
    public void Table_select_rows_and_columns_agree_with_row_major_layout()
    {
        var t = new Table(["a", "b"], [1, 2, 3, 4, 5, 6]);
        Assert.Equal(3, t.Rows);
        Assert.Equal(4.0, t[1, 1]);
        Assert.Equal(new[] { 2.0, 4, 6 }, t.Column(1));
        Assert.Equal(new[] { 5.0, 6, 1, 2 }, t.SelectRows([2, 0]).Values);
        Assert.Equal(1, t.IndexOf("b"));
        Assert.Equal(-1, t.IndexOf("B"));
        Assert.Throws<ArgumentException>(() => new Table(["a", "b"], [1, 2, 3]));
    }
}
