using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// IndexSelect, Gather, ScatterAdd and Embedding with an index tensor: values from their definitions on small cases,
/// repeated positions adding up in the gradient, an index changed after the forward pass not changing the gradient, and
/// the refusals (each before any work, naming the index position and the bound).
/// </summary>
public class IndexingTests
{
    private static Tensor<double> Range(params int[] shape) => Tensor<double>.Arange(Shapes.ElementCount(shape)).Reshape(shape);

    [Fact]
    public void IndexSelect_picks_slices_and_a_slice_picked_twice_gets_both_gradients()
    {
        var x = Range(3, 2).RequireGrad();
        var y = x.IndexSelect(0, IndexTensor.FromArray(2, 0, 2));
        Assert.Equal([4.0, 5, 0, 1, 4, 5], y.ToArray());
        (y * Tensor<double>.FromArray([1.0, 2, 3, 4, 5, 6], 3, 2)).Sum().Backward();
        Assert.Equal([3.0, 4, 0, 0, 6, 8], x.Grad!.ToArray());
    }

    [Fact]
    public void IndexSelect_with_a_0_d_index_keeps_the_dimension()
    {
        var y = Range(2, 3).IndexSelect(-1, IndexTensor.FromArray([2], []));
        Assert.Equal([2, 1], y.Shape);
        Assert.Equal([2.0, 5], y.ToArray());
    }

    [Fact]
    public void Gather_reads_along_the_dimension_and_adds_gradients_back()
    {
        // y[i, j] = x[i, index[i, j]] for dim 1.
        var x = Range(2, 3).RequireGrad();
        var y = x.Gather(1, IndexTensor.FromArray([2, 2, 0, 1], 2, 2));
        Assert.Equal([2.0, 2, 3, 4], y.ToArray());
        y.Sum().Backward();
        Assert.Equal([0.0, 0, 2, 1, 1, 0], x.Grad!.ToArray());
    }

    [Fact]
    public void ScatterAdd_adds_src_at_repeated_positions_and_routes_gradients()
    {
        var x = Tensor<float>.Zeros(2, 3).RequireGrad();
        var src = Tensor<float>.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3).RequireGrad();
        // Only src's first two columns are read (the index is 2 × 2).
        var y = x.ScatterAdd(1, IndexTensor.FromArray([0, 0, 2, 1], 2, 2), src);
        Assert.Equal([3f, 0f, 0f, 0f, 5f, 4f], y.ToArray());
        (y * Tensor<float>.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3)).Sum().Backward();
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], x.Grad!.ToArray());
        Assert.Equal([1f, 1f, 0f, 6f, 5f, 0f], src.Grad!.ToArray());
    }

    [Fact]
    public void An_index_changed_after_the_forward_pass_does_not_change_the_gradient()
    {
        var x = Range(4).RequireGrad();
        var index = IndexTensor.FromArray(3, 1);
        var y = x.IndexSelect(0, index);
        var z = x.Gather(0, index);
        index.AsSpan().Fill(0);
        (y.Sum() + z.Sum()).Backward();
        Assert.Equal([0.0, 2, 0, 2], x.Grad!.ToArray());
    }

    [Fact]
    public void Embedding_with_an_index_tensor_takes_its_shape()
    {
        var w = Range(4, 2);
        var y = Tensor<double>.Embedding(w, IndexTensor.FromArray([3, 0, 3, 1, 2, 2], 2, 3));
        Assert.Equal([2, 3, 2], y.Shape);
        Assert.Equal([6.0, 7, 0, 1, 6, 7, 2, 3, 4, 5, 4, 5], y.ToArray());
    }

    [Fact]
    public void Out_of_range_positions_are_refused_naming_the_position_and_the_bound()
    {
        var x = Range(2, 3);
        var e = Assert.Throws<NablaArgumentException>(() => x.IndexSelect(1, IndexTensor.FromArray(0, 3)));
        Assert.Equal("index", e.Parameter);
        Assert.Contains("index[1] is 3", e.Message);
        Assert.Contains("[0, 3)", e.Message);
        Assert.Contains("index[0] is -1", Assert.Throws<NablaArgumentException>(() => x.IndexSelect(0, IndexTensor.FromArray(-1))).Message);
        e = Assert.Throws<NablaArgumentException>(() => x.Gather(0, IndexTensor.FromArray([0, 1, 1, 2], 2, 2)));
        Assert.Contains("index[1, 1] is 2", e.Message);
        Assert.Contains("[0, 2)", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => x.ScatterAdd(1, IndexTensor.FromArray([5], 1, 1), Range(1, 1)));
        Assert.Contains("index[0, 0] is 5", e.Message);
    }

    [Fact]
    public void Index_shapes_that_break_pytorch_rules_are_refused()
    {
        var x = Range(2, 3);
        var e = Assert.Throws<NablaArgumentException>(() => x.IndexSelect(0, IndexTensor.Zeros(1, 1)));
        Assert.Contains("1-D", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => x.Gather(1, IndexTensor.Zeros(3)));
        Assert.Contains("same rank", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => x.Gather(1, IndexTensor.Zeros(3, 1)));
        Assert.Contains("size 3 in dimension 0 exceeds x's 2", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => x.ScatterAdd(0, IndexTensor.Zeros(2, 2), Range(1, 3)));
        Assert.Contains("exceeds src's 1", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => x.ScatterAdd(0, IndexTensor.Zeros(2, 4), Range(2, 4)));
        Assert.Contains("size 4 in dimension 1 exceeds x's 3", e.Message);
        Assert.Contains("same rank", Assert.Throws<NablaArgumentException>(() => x.ScatterAdd(0, IndexTensor.Zeros(2, 2), Range(4))).Message);
        Assert.Contains("axis 2", Assert.Throws<NablaException>(() => x.Gather(2, IndexTensor.Zeros(2, 3))).Message);
    }
}
