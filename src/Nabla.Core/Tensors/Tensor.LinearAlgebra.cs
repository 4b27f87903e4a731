using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The matrix product with NumPy's <c>matmul</c> rules: 1-d·1-d is the dot product (0-d); a 1-d left operand
    /// is a row vector and a 1-d right operand a column vector, the added dimension removed afterwards; inputs of
    /// rank ≥ 3 are stacks of matrices whose leading (batch) dimensions broadcast. Backward: dA = dY·Bᵀ, dB = Aᵀ·dY,
    /// summed over broadcast batch dimensions. Runs on <see cref="Gemm"/>; transposed views are passed without copying.
    /// </summary>
    public Tensor<T> MatMul(Tensor<T> other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new NablaException($"matmul needs inputs of at least 1 dimension, got shapes {Shapes.Format(ShapeArray)} and {Shapes.Format(other.ShapeArray)}");
        int k = ShapeArray[^1], k2 = other.Rank == 1 ? other.ShapeArray[0] : other.ShapeArray[^2];
        if (k != k2)
            throw new NablaException($"cannot multiply shapes {Shapes.Format(ShapeArray)} and {Shapes.Format(other.ShapeArray)} in matmul: inner dimensions {k} and {k2} differ");
        var a = Rank == 1 ? Reshape(1, k) : this;
        var b = other.Rank == 1 ? other.Reshape(k, 1) : other;
        // Two matrices (the common case) have no batch dimensions: skip the broadcast and, above all, the error text,
        // whose formatting cost more than a small product (W1 in bench/ runs 240 000 tiny matmuls).
        int[] batch = a.Rank == 2 && b.Rank == 2 ? [] : Shapes.Broadcast(a.ShapeArray[..^2], b.ShapeArray[..^2],
            "matmul batch dimensions of shapes " + $"{Shapes.Format(ShapeArray)} and {Shapes.Format(other.ShapeArray)}");
        var y = Dense(MatMulKernel(a, b, batch), [.. batch, a.ShapeArray[^2], b.ShapeArray[^1]], null);
        if (Recording(a, b)) y = RecordMatMul(a, b, y);
        if (Rank == 1 && other.Rank == 1) return y.Reshape();
        if (Rank == 1) return y.Reshape([.. y.ShapeArray[..^2], y.ShapeArray[^1]]);
        if (other.Rank == 1) return y.Reshape(y.ShapeArray[..^1]);
        return y;
    }

    // Kept apart from MatMul so the closure's captured variables are allocated only when recording.
    private static Tensor<T> RecordMatMul(Tensor<T> a, Tensor<T> b, Tensor<T> y) => Record(y, "matmul", [a, b], saved: [a, b], (dy, sink) =>
    {
        if (sink.Needs(0)) sink.Add(0, MatMulNoGrad(dy, b.SwapLastTwo()), owned: true);
        if (sink.Needs(1)) sink.Add(1, MatMulNoGrad(a.SwapLastTwo(), dy), owned: true);
    }, ts => Tangents.Plus(ts[0]?.MatMul(b), ts[1] is null ? null : a.MatMul(ts[1]!)));

    /// <summary>The outer product of two 1-d tensors: y[i, j] = a[i]·b[j].</summary>
    public static Tensor<T> Outer(Tensor<T> a, Tensor<T> b)
    {
        if (a.Rank != 1 || b.Rank != 1)
            throw new NablaException($"outer needs two 1-d tensors, got shapes {Shapes.Format(a.ShapeArray)} and {Shapes.Format(b.ShapeArray)}");
        return a.Reshape(-1, 1) * b.Reshape(1, -1);
    }

    private Tensor<T> SwapLastTwo()
    {
        var axes = Enumerable.Range(0, Rank).ToArray();
        (axes[^1], axes[^2]) = (axes[^2], axes[^1]);
        return PermuteView(axes);
    }

    private static Tensor<T> MatMulNoGrad(Tensor<T> a, Tensor<T> b)
    {
        int[] batch = a.Rank == 2 && b.Rank == 2 ? [] : Shapes.Broadcast(a.ShapeArray[..^2], b.ShapeArray[..^2], "matmul");
        return Dense(MatMulKernel(a, b, batch), [.. batch, a.ShapeArray[^2], b.ShapeArray[^1]], null);
    }

    /// <summary>C[batch…, m, n] = A[batch…, m, k] · B[batch…, k, n], one Gemm call per matrix of the broadcast batch.</summary>
    private static T[] MatMulKernel(Tensor<T> a, Tensor<T> b, int[] batch)
    {
        int m = a.ShapeArray[^2], k = a.ShapeArray[^1], n = b.ShapeArray[^1];
        var c = new T[Shapes.ElementCount(batch) * m * n];
        if (c.Length == 0) return c;
        var (ga, transA, lda) = GemmOperand(a);
        var (gb, transB, ldb) = GemmOperand(b);
        if (batch.Length == 0)
        {
            Gemm.Multiply<T>(transA, transB, m, n, k, ga.Storage.AsSpan(ga.Offset), lda, gb.Storage.AsSpan(gb.Offset), ldb, c, n);
            return c;
        }
        var rows = new Rows(batch.Length == 0 ? [1] : batch,
            [BatchStrides(ga, batch), BatchStrides(gb, batch), batch.Length == 0 ? [m * n] : Shapes.RowMajorStrides(batch).Select(s => s * m * n).ToArray()],
            [ga.Offset, gb.Offset, 0]);
        for (int r = 0; r < rows.RowCount; r++, rows.Next())
            for (int i = 0; i < rows.RowLength; i++)
                Gemm.Multiply<T>(transA, transB, m, n, k,
                    ga.Storage.AsSpan(rows.Offsets[0] + i * rows.InnerStride(0)), lda,
                    gb.Storage.AsSpan(rows.Offsets[1] + i * rows.InnerStride(1)), ldb,
                    c.AsSpan(rows.Offsets[2] + i * rows.InnerStride(2), m * n), n);
        return c;
    }

    private static int[] BatchStrides(Tensor<T> x, int[] batch)
    {
        if (batch.Length == 0) return [0];
        return Shapes.BroadcastStrides(x.ShapeArray[..^2], x.StridesArray[..^2], batch);
    }

    /// <summary>
    /// How Gemm can read the last two dimensions: row-major with row stride ld, or as the transpose of a row-major
    /// matrix (a transposed view), else a contiguous copy.
    /// </summary>
    private static (Tensor<T> X, bool Trans, int Ld) GemmOperand(Tensor<T> x)
    {
        int rows = x.ShapeArray[^2], cols = x.ShapeArray[^1], sr = x.StridesArray[^2], sc = x.StridesArray[^1];
        if ((sc == 1 || cols == 1) && (rows == 1 || sr >= Math.Max(cols, 1))) return (x, false, rows == 1 ? Math.Max(cols, 1) : sr);
        if ((sr == 1 || rows == 1) && (cols == 1 || sc >= Math.Max(rows, 1))) return (x, true, cols == 1 ? Math.Max(rows, 1) : sc);
        var copy = new Tensor<T>(ElementwiseLoops.Gather(x), x.ShapeArray);
        return (copy, false, Math.Max(cols, 1));
    }
}
