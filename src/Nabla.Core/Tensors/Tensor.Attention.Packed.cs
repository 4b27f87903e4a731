using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Multi-head attention read in place from a fused projection: <paramref name="qkv"/> is [B, T, 3C] with q, k and v
    /// side by side on the last axis (nanoGPT's <c>c_attn</c> output, PyTorch's <c>in_proj</c> order), each C wide and
    /// split into <paramref name="heads"/> heads of hs = C / heads features, head h owning features h·hs … h·hs + hs − 1.
    /// The result is [B, T, C] with the heads side by side again, ready for the output projection. It equals
    /// <see cref="ScaledDotProductAttention(Tensor{T}, Tensor{T}, Tensor{T}, bool, Tensor{T}?, double?)"/> on q, k, v viewed as
    /// [B, heads, T, hs] and transposed back, without those transposes or copies: the kernel reads each head's rows
    /// where they are and writes its output rows in place. Scale 1/√hs unless given; backward writes the gradient of the
    /// whole projection in one [B, T, 3C] array.
    /// </summary>
    public static Tensor<T> ScaledDotProductAttention(Tensor<T> qkv, int heads, bool causal = false, double? scale = null)
    {
        ArgumentNullException.ThrowIfNull(qkv);
        const string op = "scaled_dot_product_attention";
        if (qkv.Rank != 3 || qkv.ShapeArray[2] % 3 != 0)
            throw new NablaException($"{op} over a fused projection needs qkv of shape [B, T, 3C] (q, k, v side by side), got {Shapes.Format(qkv.ShapeArray)}");
        int batch = qkv.ShapeArray[0], t = qkv.ShapeArray[1], c = qkv.ShapeArray[2] / 3;
        if (heads < 1 || c % heads != 0)
            throw new NablaArgumentException(nameof(heads), $"{op}: heads is {heads}; it must be at least 1 and divide C = {c} (qkv shape {Shapes.Format(qkv.ShapeArray)})");
        int hs = c / heads;
        double sc = scale ?? 1 / Math.Sqrt(hs);
        if (!double.IsFinite(sc))
            throw new NablaArgumentException(nameof(scale), $"{op}: the scale must be finite, got {sc} (the default 1/√hs needs hs ≥ 1; qkv shape {Shapes.Format(qkv.ShapeArray)})");
        var (data, off) = Flat(qkv);
        var q = new AttentionLayout(off, t * 3 * c, hs, 3 * c);
        var o = new AttentionLayout(0, t * c, hs, c);
        var p = new AttentionShape<T>(batch * heads, heads, t, t, hs, hs, T.CreateChecked(sc), causal,
            q, q with { Offset = off + c }, q with { Offset = off + 2 * c }, o, null, null, 0, 0);
        var y = BufferPool<T>.Rent(batch * t * c);
        var lse = BufferPool<T>.Rent(batch * heads * t);   // a workspace of the node: back to the pool when it is freed
        AttentionKernels.Forward(p, data, data, data, y, lse);
        var result = Dense(y, [batch, t, c], null);
        if (!Recording(qkv))
        {
            BufferPool<T>.ReturnWorkspace(lse);
            return result;
        }
        var recorded = Record(result, "scaled_dot_product_attention(qkv)", [qkv], saved: [qkv, result], (dy, sink) =>
        {
            var (ds, dOff) = Flat(dy);
            var g = BufferPool<T>.Rent(qkv.ElementCount);   // q, k and v parts of every head: the kernel overwrites it all
            AttentionKernels.Backward(p, data, data, data, y, lse, ds, o.At(dOff), (g, q.At(0)), (g, q.At(c)), (g, q.At(2 * c)));
            sink.Add(0, new Tensor<T>(g, qkv.ShapeArray), owned: true);
        }, ts =>
        {
            if (ts[0] is null) return null;
            // The same views the composition would take: [B, T, C] → [B, heads, T, hs], and back.
            Tensor<T> Heads(Tensor<T> x, int part) => x.Slice(2, part * c, (part + 1) * c).Reshape(batch, t, heads, hs).Transpose(1, 2);
            var tangent = AttentionTangent(Heads(qkv, 0), Heads(qkv, 1), Heads(qkv, 2), causal, null, p.Scale, lse,
                Heads(ts[0]!, 0), Heads(ts[0]!, 1), Heads(ts[0]!, 2));
            return tangent!.Transpose(1, 2).Reshape(batch, t, c);
        });
        recorded.Node!.OnFree = () => BufferPool<T>.ReturnWorkspace(lse);
        return recorded;
    }
}
