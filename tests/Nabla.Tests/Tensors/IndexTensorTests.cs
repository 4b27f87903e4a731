using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>IndexTensor: construction (copying), shape and reshape (sharing), the bounds-checked indexer and its refusals.</summary>
public class IndexTensorTests
{
    [Fact]
    public void FromArray_copies_and_keeps_the_shape()
    {
        int[] values = [1, 2, 3, 4, 5, 6];
        var t = IndexTensor.FromArray(values, 2, 3);
        values[0] = 99;
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(2, t.Rank);
        Assert.Equal(6, t.ElementCount);
        Assert.Equal([1, 2, 3, 4, 5, 6], t.ToArray());
        Assert.Equal(6, t[1, 2]);
        var v = IndexTensor.FromArray(7, 8, 9);
        Assert.Equal([3], v.Shape);
        Assert.Equal(8, v[1]);
        var s = IndexTensor.FromArray([5], []);
        Assert.Equal(0, s.Rank);
        Assert.Equal(5, s[[]]);
    }

    [Fact]
    public void Zeros_and_Arange_make_what_they_say()
    {
        Assert.Equal(new int[12], IndexTensor.Zeros(3, 4).ToArray());
        Assert.Equal([0, 1, 2, 3, 4], IndexTensor.Arange(5).ToArray());
        Assert.Empty(IndexTensor.Arange(0).ToArray());
        Assert.Equal("n", Assert.Throws<NablaArgumentException>(() => IndexTensor.Arange(-1)).Parameter);
    }

    [Fact]
    public void Reshape_shares_the_elements_and_infers_one_dimension()
    {
        var t = IndexTensor.Arange(6);
        var r = t.Reshape(-1, 2);
        Assert.Equal([3, 2], r.Shape);
        r[2, 1] = 50;
        Assert.Equal(50, t[5]);
        Assert.Equal([6], r.Reshape(6).Shape);
        Assert.Equal([0, 4], IndexTensor.Zeros(0).Reshape(0, 4).Shape);
    }

    [Fact]
    public void Reshape_refuses_wrong_counts_two_inferred_dimensions_and_negative_sizes()
    {
        var t = IndexTensor.Arange(6);
        Assert.Contains("(4,)", Assert.Throws<NablaException>(() => t.Reshape(4)).Message);
        Assert.Contains("(4, -1)", Assert.Throws<NablaException>(() => t.Reshape(4, -1)).Message);
        Assert.Contains("only one dimension may be −1", Assert.Throws<NablaException>(() => t.Reshape(-1, -1)).Message);
        Assert.Contains("dimension 0 is -2", Assert.Throws<NablaException>(() => t.Reshape(-2, -3)).Message);
        Assert.Throws<NablaException>(() => IndexTensor.Zeros(0).Reshape(0, -1));
    }

    [Fact]
    public void The_indexer_counts_negative_positions_from_the_end_and_refuses_others()
    {
        var t = IndexTensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(6, t[-1, -1]);
        t[-2, 0] = 10;
        Assert.Equal(10, t[0, 0]);
        var e = Assert.Throws<NablaException>(() => t[2, 0]);
        Assert.Contains("index 2", e.Message);
        Assert.Contains("dimension 0", e.Message);
        Assert.Contains("index -4", Assert.Throws<NablaException>(() => t[0, -4]).Message);
        Assert.Contains("shape (2, 3)", Assert.Throws<NablaException>(() => t[0]).Message);
    }

    [Fact]
    public void Construction_refuses_mismatched_counts_and_negative_shapes()
    {
        Assert.Contains("(2, 2)", Assert.Throws<NablaException>(() => IndexTensor.FromArray([1, 2, 3], 2, 2)).Message);
        Assert.Contains("negative", Assert.Throws<NablaException>(() => IndexTensor.Zeros(2, -1)).Message);
    }

    [Fact]
    public void Spans_and_conversion_read_the_same_elements()
    {
        var t = IndexTensor.FromArray([3, 1, 2], 3);
        t.AsSpan()[0] = 7;
        Assert.Equal([7, 1, 2], t.AsReadOnlySpan().ToArray());
        var f = t.ToTensor<float>();
        Assert.Equal([3], f.Shape);
        Assert.Equal([7f, 1f, 2f], f.ToArray());
        Assert.StartsWith("IndexTensor(3,) [7, 1, 2]", t.ToString());
    }
}
