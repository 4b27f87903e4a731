using T = Nabla.Tensors.Tensor<double>;

namespace Nabla.Tensors;

internal static partial class TensorOpTable
{
    /// <summary>
    /// Rows for joining and splitting (Cat, Stack, Split, Chunk) and for index-driven ops (IndexSelect, Gather, ScatterAdd,
    /// Embedding with an index tensor). These ops are linear, so each row ends in a nonlinearity or a product: the second
    /// derivative checks then see a nonzero Hessian that passes through the op's tangent rule.
    /// </summary>
    private static void AddJoiningAndIndexingRows(List<TensorOpInfo> rows)
    {
        var any = Ops.Domain.Everywhere;
        void Row(string name, string member, Func<T[], T> build, params int[][][] shapes) =>
            rows.Add(new(name, member, build, shapes, [.. shapes[0].Select(_ => any)]));

        Row("cat", "Cat", x => T.Cat(x).Sin(), [[2, 3], [4, 3], [1, 3]], [[3], [2], [1]], [[2, 3], [0, 3], [1, 3]]);
        Row("cat(dim -1)", "Cat", x => T.Cat(x, -1).Sin(), [[2, 3], [2, 1], [2, 2]], [[2, 1, 3], [2, 1, 2], [2, 1, 1]]);
        Row("cat(dim 1 of 3)", "Cat", x => T.Cat(x, 1) * T.Cat(x, 1), [[2, 1, 3], [2, 2, 3]]);
        Row("cat(same tensor twice)", "Cat", x => T.Cat([x[0], x[0].Exp(), x[0]], 1).Sin(), [[2, 3]]);
        Row("stack", "Stack", x => T.Stack(x).Sin(), [[2, 3], [2, 3], [2, 3]], [[], [], []]);
        Row("stack(dim -1)", "Stack", x => T.Stack(x, -1).Sin(), [[2, 3], [2, 3]], [[4], [4]]);
        Row("stack(dim 1 of 4)", "Stack", x => T.Stack(x, 1) * T.Stack(x, 1), [[2, 3, 2], [2, 3, 2]]);

        // Each piece is scaled by its position before the nonlinearity, so a piece routed to the wrong place shows.
        T Rejoin(T[] pieces, int dim) => T.Cat([.. pieces.Select((p, k) => (p * (k + 1.0)).Sin())], dim);
        Row("split", "Split", x => Rejoin(x[0].Split(2), 0), [[5, 3]], [[4]]);
        Row("split(dim -1)", "Split", x => Rejoin(x[0].Split(3, -1), -1), [[2, 7]], [[2, 2, 3]]);
        Row("split(sizes)", "Split", x => Rejoin(x[0].Split([1, 0, 3, 2], 1), 1), [[2, 6]], [[1, 6, 2]]);
        Row("chunk", "Chunk", x => Rejoin(x[0].Chunk(3), 0), [[7, 2]], [[6]]);
        Row("chunk(fewer pieces, dim -2)", "Chunk", x => Rejoin(x[0].Chunk(4, -2), -2), [[6, 2]], [[2, 6, 1]]);

        Row("index_select", "IndexSelect", x => x[0].IndexSelect(0, Positions([4], x[0].Shape[0])).Sin(), [[3, 4]], [[3]]);
        Row("index_select(dim -1, repeats)", "IndexSelect", x => x[0].IndexSelect(-1, IndexTensor.FromArray(3, 3, 0, 1, 3)).Sin(), [[2, 3, 4]]);
        Row("gather", "Gather", x => x[0].Gather(1, Positions([3, 2], x[0].Shape[1])).Sin(), [[3, 4]]);
        Row("gather(dim 0, longer index)", "Gather", x => x[0].Gather(0, Positions([5, 2], x[0].Shape[0])).Sin(), [[3, 4]]);
        Row("gather(dim -1 of 3)", "Gather", x => x[0].Gather(-1, Positions([2, 2, 6], x[0].Shape[2])) * x[0].Gather(-1, Positions([2, 2, 6], x[0].Shape[2])),
            [[2, 3, 4]]);
        Row("scatter_add", "ScatterAdd", x => x[0].ScatterAdd(1, Positions([2, 3], x[0].Shape[1]), x[1]).Sin(), [[3, 4], [2, 5]], [[2, 4], [2, 3]]);
        Row("scatter_add(dim 0)", "ScatterAdd", x => x[0].ScatterAdd(0, Positions([4, 2], x[0].Shape[0]), x[1]).Sin(), [[3, 2], [4, 2]]);
        Row("scatter_add(dim -1 of 3)", "ScatterAdd", x => x[0].ScatterAdd(-1, Positions([2, 1, 5], x[0].Shape[2]), x[1]).Exp(), [[2, 2, 3], [2, 2, 6]]);
        Row("embedding(index tensor)", "Embedding", x => T.Embedding(x[0], Positions([2, 3], x[0].Shape[0])).Sin(), [[4, 3]]);
    }

    /// <summary>An index tensor of <paramref name="shape"/> with positions (7i + 3) mod <paramref name="bound"/>: every row repeats some.</summary>
    private static IndexTensor Positions(int[] shape, int bound)
    {
        var index = IndexTensor.Zeros(shape);
        var span = index.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = (7 * i + 3) % bound;
        return index;
    }
}
