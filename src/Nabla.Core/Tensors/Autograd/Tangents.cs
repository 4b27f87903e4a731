using System.Numerics;

namespace Nabla.Tensors;

/// <summary>
/// Forward mode over a recorded graph: after f ran on a recorded input, one sweep in topological order (inputs before
/// outputs) runs each node's tangent rule on its inputs' tangents, starting from the seeded tensor. The tangents of one
/// sweep live in a map of their own, never on the tensors, so a derivative taken inside f (a nested Jvp) cannot mistake
/// the outer seed's tangent for its own: each sweep sees only its seed (the tensor analogue of tagged dual numbers).
/// Nodes whose inputs all have zero tangents are skipped.
/// </summary>
internal static class Tangents
{
    /// <summary>
    /// The tangent of <paramref name="output"/> when <paramref name="seed"/> moves along <paramref name="direction"/>,
    /// or null when the output does not depend on the seed. Tangent rules record (and so can be differentiated again)
    /// exactly when recording is on.
    /// </summary>
    public static Tensor<T>? Propagate<T>(Tensor<T> output, Tensor<T> seed, Tensor<T> direction) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!output.RequiresGrad) return null;
        var tangents = new Dictionary<Tensor<T>, Tensor<T>>(ReferenceEqualityComparer.Instance) { [seed] = direction };
        foreach (var t in Autograd.TopologicalOrder(output))
        {
            if (t.Node is null || ReferenceEquals(t, seed)) continue;
            var inputs = t.Node.Inputs;
            var ts = new Tensor<T>?[inputs.Length];
            bool any = false;
            for (int i = 0; i < inputs.Length; i++)
                if (tangents.TryGetValue(inputs[i], out var ti)) { ts[i] = ti; any = true; }
            if (!any) continue;
            var tangent = t.Node.RunTangent(t, ts);
            if (tangent is null) continue;
            if (!tangent.Shape.SequenceEqual(t.Shape))
            {
                if (!Shapes.BroadcastsTo(tangent.ShapeArray, t.ShapeArray))
                    throw new InvalidOperationException($"the tangent rule of {t.Node.Name} returned shape {Shapes.Format(tangent.ShapeArray)} for an output of shape {Shapes.Format(t.ShapeArray)}");
                tangent = tangent.Expand(t.ShapeArray);
            }
            tangents[t] = tangent;
        }
        return tangents.GetValueOrDefault(output);
    }

    /// <summary>a + b where null means zero (null when both are).</summary>
    public static Tensor<T>? Plus<T>(Tensor<T>? a, Tensor<T>? b) where T : unmanaged, IFloatingPointIeee754<T> =>
        a is null ? b : b is null ? a : a + b;

    /// <summary>a − b where null means zero.</summary>
    public static Tensor<T>? Minus<T>(Tensor<T>? a, Tensor<T>? b) where T : unmanaged, IFloatingPointIeee754<T> =>
        b is null ? a : a is null ? -b : a - b;

    /// <summary>The sum of the given tangents, nulls (zeros) skipped.</summary>
    public static Tensor<T>? Sum<T>(params ReadOnlySpan<Tensor<T>?> parts) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Tensor<T>? sum = null;
        foreach (var p in parts) sum = Plus(sum, p);
        return sum;
    }

    /// <summary>
    /// y.flat[i] = x.flat[index[i]] in <paramref name="shape"/>: the gather behind the tangents of max pooling and
    /// embedding. Linear in x, so its tangent is the same gather of x's tangent; backward adds dy back at the indices.
    /// </summary>
    public static Tensor<T> TakeFlat<T>(Tensor<T> x, int[] index, int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = x.ContiguousSpan();
        var y = new T[index.Length];
        for (int i = 0; i < y.Length; i++) y[i] = xs[index[i]];
        var result = new Tensor<T>(y, shape);
        var xShape = x.ShapeArray;
        return Tensor<T>.Record(result, "take", [x], saved: [], (dy, sink) =>
        {
            var dys = dy.ContiguousSpan();
            var dx = new T[Shapes.ElementCount(xShape)];
            for (int i = 0; i < index.Length; i++) dx[index[i]] += dys[i];
            sink.Add(0, new Tensor<T>(dx, xShape), owned: true);
        }, ts => TakeFlat(ts[0]!, index, shape));
    }
}
