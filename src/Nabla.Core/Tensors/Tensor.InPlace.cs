using System.Numerics;
using Nabla.Kernels;
using Nabla.Ops;

namespace Nabla.Tensors;

/// <summary>
/// In-place and write-into variants of a few ops (PyTorch's <c>out=</c>, <c>x.sigmoid_()</c> and <c>w.sub_(g, alpha=a)</c>)
/// for loops that run many small steps and would otherwise allocate a tensor per op. They overwrite storage and record
/// nothing. They refuse a tensor a recorded op computed, and a leaf that requires grad unless a <see cref="NoGrad"/>
/// scope is open (as in an optimizer step). Every write bumps the storage version, so a graph that saved the old values
/// (of this tensor, a view of it or its Detach()) refuses to run backward instead of giving a wrong gradient.
/// The results equal the allocating ops' element for element.
/// </summary>
public sealed partial class Tensor<T>
{
    /// <summary>
    /// into = a·b for two matrices (a: m×k, b: k×n, into: a contiguous m×n tensor), overwriting <paramref name="into"/>,
    /// which must not share storage with a or b; returns <paramref name="into"/>. Same values as <see cref="MatMul(Tensor{T})"/>.
    /// Throws when a shape does not fit, into is not contiguous or overlaps an input, or any of the three requires grad
    /// while recording.
    /// </summary>
    public static Tensor<T> MatMul(Tensor<T> a, Tensor<T> b, Tensor<T> into)
    {
        into.ThrowIfNotWritable("MatMul into");
        if (Recording(a, b)) throw new NablaException("MatMul into records no gradient; its inputs require grad (use MatMul, or open a NoGrad scope)");
        if (a.Rank != 2 || b.Rank != 2 || into.Rank != 2 || a.ShapeArray[1] != b.ShapeArray[0]
            || into.ShapeArray[0] != a.ShapeArray[0] || into.ShapeArray[1] != b.ShapeArray[1])
            throw new NablaException($"MatMul into needs shapes (m, k), (k, n) and (m, n), got {Shapes.Format(a.ShapeArray)}, "
                + $"{Shapes.Format(b.ShapeArray)} and {Shapes.Format(into.ShapeArray)}");
        if (!into.IsContiguous) throw new NablaException($"MatMul into needs a contiguous output (shape {Shapes.Format(into.ShapeArray)})");
        if (ReferenceEquals(into.Storage, a.Storage) || ReferenceEquals(into.Storage, b.Storage))
            throw new NablaException("MatMul into cannot write into the storage of one of its inputs");
        int m = a.ShapeArray[0], k = a.ShapeArray[1], n = b.ShapeArray[1];
        into.Store.Version++;
        if (into.ElementCount == 0) return into;
        var (ga, transA, lda) = GemmOperand(a);
        var (gb, transB, ldb) = GemmOperand(b);
        Gemm.Multiply<T>(transA, transB, m, n, k, ga.Storage.AsSpan(ga.Offset), lda, gb.Storage.AsSpan(gb.Offset), ldb,
            into.Storage.AsSpan(into.Offset, into.ElementCount), n);
        return into;
    }

    /// <summary>x[i] = 1/(1 + e^−x[i]) in place, the values of <see cref="Sigmoid()"/>; returns this tensor.</summary>
    public Tensor<T> SigmoidInPlace() => ApplyInPlace<Ops.Sigmoid>();

    /// <summary>x[i] = max(x[i], 0) in place, the values of <see cref="Relu()"/>; returns this tensor.</summary>
    public Tensor<T> ReluInPlace() => ApplyInPlace<Ops.Relu>();

    /// <summary>x[i] = f(x[i]) in place for the op struct <typeparamref name="TOp"/>, the values of <see cref="Apply{TOp}()"/>.</summary>
    public Tensor<T> ApplyInPlace<TOp>() where TOp : struct, IUnaryOp<TOp>
    {
        ThrowIfNotWritable(TOp.Name, " in place");
        Store.Version++;
        if (IsContiguous)
        {
            var span = Storage.AsSpan(Offset, ElementCount);
            TOp.Apply<T>(span, span);
        }
        else CopyFrom(Apply<TOp>());
        return this;
    }

    /// <summary>
    /// this[i] = this[i] − α·g[i] in place (the product rounded first, as <c>w - alpha * g</c>), with g broadcast to this
    /// shape: the plain SGD step. Returns this tensor. Throws when this tensor requires grad; g may be any tensor.
    /// </summary>
    public Tensor<T> SubtractScaledInPlace(T alpha, Tensor<T> g)
    {
        ThrowIfNotWritable("SubtractScaledInPlace");
        if (!Shapes.BroadcastsTo(g.ShapeArray, ShapeArray))
            throw new NablaException($"cannot broadcast shapes {Shapes.Format(g.ShapeArray)} and {Shapes.Format(ShapeArray)} in SubtractScaledInPlace");
        if (IsContiguous && g.IsContiguous && g.ElementCount == ElementCount && !ReferenceEquals(g.Storage, Storage))
        {
            Store.Version++;
            var w = Storage.AsSpan(Offset, ElementCount);
            var gs = g.Storage.AsSpan(g.Offset, ElementCount);
            for (int i = 0; i < w.Length; i++) w[i] -= alpha * gs[i];
        }
        else CopyFrom(this - g * alpha);
        return this;
    }

    // The name is passed in two parts and joined only when throwing, so the check allocates nothing on the common path.
    private void ThrowIfNotWritable(string op, string suffix = "")
    {
        if (Node is null && (!requiresGrad || NoGrad.IsActive)) return;
        op += suffix;
        if (Node is not null)
            throw new NablaException($"{op} cannot overwrite a tensor that requires grad because a recorded op ({Node.Name}) computed it (shape {Shapes.Format(ShapeArray)}): "
                + "its graph needs it; use the allocating op (e.g. Relu() instead of ReluInPlace()), or compute the tensor under NoGrad.Scope()");
        if (RequiresGrad && !NoGrad.IsActive)
            throw new NablaException($"{op} cannot overwrite a leaf that requires grad (shape {Shapes.Format(ShapeArray)}) while gradients are recorded; "
                + "use the allocating op, or write inside NoGrad.Scope() as an optimizer step does (a graph that still needs the old values then refuses to run backward)");
    }
}
