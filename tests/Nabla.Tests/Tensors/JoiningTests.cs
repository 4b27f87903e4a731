using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Cat, Stack, Split and Chunk: what PyTorch's rules say about shapes and piece counts, that pieces are views whose
/// gradients land in the right part of x, and the refusals. Values and gradients against PyTorch are in
/// <see cref="TorchJoiningIndexingTests"/>; central differences, forward mode and second derivatives in the op table.
/// </summary>
public class JoiningTests
{
    private static Tensor<double> Range(params int[] shape) => Tensor<double>.Arange(Shapes.ElementCount(shape)).Reshape(shape);

    [Fact]
    public void Cat_places_each_input_after_the_previous_along_the_dimension()
    {
        // [[0 1] [2 3]] joined with [[10] [11]] along dimension 1 (given as −1).
        var y = Tensor<double>.Cat([Range(2, 2), Range(2, 1) + 10.0], -1);
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal([0.0, 1, 10, 2, 3, 11], y.ToArray());
    }

    [Fact]
    public void Stack_inserts_a_new_dimension_and_accepts_scalars()
    {
        var y = Tensor<double>.Stack([Range(2, 2), Range(2, 2) + 4.0], 1);
        Assert.Equal([2, 2, 2], y.Shape);
        Assert.Equal([0.0, 1, 4, 5, 2, 3, 6, 7], y.ToArray());
        var s = Tensor<float>.Stack([Tensor<float>.Scalar(1f), Tensor<float>.Scalar(2f)]);
        Assert.Equal([2], s.Shape);
        Assert.Equal([1f, 2f], s.ToArray());
    }

    [Fact]
    public void Cat_gives_a_tensor_listed_twice_both_parts_of_the_gradient()
    {
        var x = Tensor<double>.FromArray([1.0, 2.0]).RequireGrad();
        var y = Tensor<double>.Cat([x, x * 3.0, x]);
        (y * Tensor<double>.FromArray([1.0, 10, 100, 1000, 10000, 100000])).Sum().Backward();
        // ∂/∂x0 = 1 + 3·100 + 10000, ∂/∂x1 = 10 + 3·1000 + 100000.
        Assert.Equal([10301.0, 103010], x.Grad!.ToArray());
    }

    [Fact]
    public void Split_pieces_are_views_of_x()
    {
        var x = Range(5, 2);
        var pieces = x.Split(2);
        Assert.Equal([[2, 2], [2, 2], [1, 2]], pieces.Select(p => p.Shape.ToArray()));
        pieces[1][0, 1] = 100;
        Assert.Equal(100, x[2, 1]);
        Assert.Equal([8.0, 9], pieces[2].ToArray());
    }

    [Fact]
    public void Each_piece_gradient_flows_into_its_own_part_of_x()
    {
        var x = Range(2, 6).RequireGrad();
        var pieces = x.Split([1, 0, 3, 2], dim: 1);
        var loss = pieces[0].Sum() * 1.0 + pieces[1].Sum() * 5.0 + pieces[2].Sum() * 2.0 + (pieces[3] * pieces[3]).Sum();
        loss.Backward();
        // Columns 0 | 1 2 3 | 4 5 (the last piece squared: 2x).
        Assert.Equal([1.0, 2, 2, 2, 8, 10, 1, 2, 2, 2, 20, 22], x.Grad!.ToArray());
    }

    [Fact]
    public void Chunk_follows_pytorch_piece_counts()
    {
        Assert.Equal([2, 2, 1], Tensor<double>.Zeros(5).Chunk(3).Select(p => p.Shape[0]));
        Assert.Equal([2, 2, 2], Tensor<double>.Zeros(6).Chunk(4).Select(p => p.Shape[0]));   // fewer pieces than asked
        Assert.Equal([0, 0, 0], Tensor<double>.Zeros(0).Chunk(3).Select(p => p.Shape[0]));
        Assert.Equal([0], Tensor<double>.Zeros(0).Split(2).Select(p => p.Shape[0]));
        Assert.Equal([3, 1], Tensor<double>.Zeros(2, 4).Split(3, -1).Select(p => p.Shape[1]));
    }

    [Fact]
    public void Split_of_a_transposed_view_reads_the_right_elements()
    {
        var x = Range(3, 4).Transpose();   // shape (4, 3), element (i, j) = 4j + i
        var pieces = x.Chunk(2, 1);
        Assert.Equal([0.0, 4, 1, 5, 2, 6, 3, 7], pieces[0].ToArray());
        Assert.Equal([8.0, 9, 10, 11], pieces[1].ToArray());
    }

    [Fact]
    public void Refuses_an_empty_or_null_list()
    {
        var e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.Cat([]));
        Assert.Equal("tensors", e.Parameter);
        Assert.Contains("empty", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.Stack([Range(2), null!]));
        Assert.Contains("tensors[1] is null", e.Message);
    }

    [Fact]
    public void Cat_refuses_mismatched_shapes_naming_the_position_both_shapes_and_the_dim()
    {
        var e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.Cat([Range(2, 3), Range(2, 3), Range(3, 4)], 1));
        Assert.Contains("tensors[2] has shape (3, 4)", e.Message);
        Assert.Contains("tensors[0] has shape (2, 3)", e.Message);
        Assert.Contains("dimension 1", e.Message);
        e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.Cat([Range(2, 3), Range(3)]));
        Assert.Contains("tensors[1] has shape (3,)", e.Message);
        Assert.Throws<NablaArgumentException>(() => Tensor<double>.Cat([Tensor<double>.Scalar(1), Tensor<double>.Scalar(2)]));
        Assert.Contains("axis 2", Assert.Throws<NablaException>(() => Tensor<double>.Cat([Range(2, 3)], 2)).Message);
    }

    [Fact]
    public void Stack_refuses_shapes_that_differ_anywhere()
    {
        var e = Assert.Throws<NablaArgumentException>(() => Tensor<float>.Stack([Tensor<float>.Zeros(2, 3), Tensor<float>.Zeros(3, 3)]));
        Assert.Contains("tensors[1] has shape (3, 3) but tensors[0] has shape (2, 3)", e.Message);
        Assert.Contains("axis -4", Assert.Throws<NablaException>(() => Tensor<float>.Stack([Tensor<float>.Zeros(2, 3)], -4)).Message);
    }

    [Fact]
    public void Split_and_chunk_refuse_bad_sizes()
    {
        var x = Range(2, 6);
        Assert.Equal("splitSize", Assert.Throws<NablaArgumentException>(() => x.Split(0, 1)).Parameter);
        Assert.Equal("splitSize", Assert.Throws<NablaArgumentException>(() => x.Split(-2)).Parameter);
        var e = Assert.Throws<NablaArgumentException>(() => x.Split([2, 3], 1));
        Assert.Equal("sizes", e.Parameter);
        Assert.Contains("sum to 5", e.Message);
        Assert.Contains("has size 6", e.Message);
        Assert.Contains("-1", Assert.Throws<NablaArgumentException>(() => x.Split([7, -1], 1)).Message);
        Assert.Equal("chunks", Assert.Throws<NablaArgumentException>(() => x.Chunk(0)).Parameter);
        Assert.Throws<NablaException>(() => x.Chunk(2, 2));
        Assert.Throws<NablaException>(() => Tensor<double>.Scalar(1).Split(1));
    }
}
