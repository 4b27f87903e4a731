using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// Batch normalisation over axis 1 of x [N, C, …] (PyTorch's <c>batch_norm</c>): per channel,
    /// y = (x − μ)/√(σ² + eps)·weight + bias. With <paramref name="training"/> (or no running statistics) μ and σ² are the
    /// batch's mean and biased variance, and the running statistics, when given, move in place (not recorded) by
    /// r ← (1 − momentum)·r + momentum·s, with the unbiased variance for the running variance. Otherwise μ and σ² are
    /// the running ones. <paramref name="weight"/> and <paramref name="bias"/> are [C] or null (1 and 0).
    /// </summary>
    public static Tensor<T> BatchNorm(Tensor<T> x, Tensor<T>? weight, Tensor<T>? bias, Tensor<T>? runningMean, Tensor<T>? runningVar,
        bool training, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2) throw new NablaException($"batch_norm needs input of shape [N, C, …], got shape {Shapes.Format(x.ShapeArray)}");
        int n = x.ShapeArray[0], c = x.ShapeArray[1], s = x.ElementCount / Math.Max(n * c, 1), m = n * s;
        foreach (var (t, what) in new[] { (weight, "weight"), (bias, "bias"), (runningMean, "running_mean"), (runningVar, "running_var") })
            if (t is not null && (t.Rank != 1 || t.ShapeArray[0] != c))
                throw new NablaException($"batch_norm: {what} of shape {Shapes.Format(t.ShapeArray)} does not match the {c} channels of input {Shapes.Format(x.ShapeArray)}");
        if ((runningMean is null) != (runningVar is null))
            throw new NablaException("batch_norm needs both running_mean and running_var, or neither");
        bool batchStats = training || runningMean is null;
        if (batchStats && m <= 1)
            throw new NablaException($"batch_norm in training mode needs more than 1 value per channel, got input shape {Shapes.Format(x.ShapeArray)}");

        var (xs, xo) = Elements(x);
        var mean = new T[c];
        var invStd = new T[c];
        var unbiased = new T[c];
        var xhat = GC.AllocateUninitializedArray<T>(x.ElementCount);
        var y = GC.AllocateUninitializedArray<T>(x.ElementCount);
        var w = weight?.ContiguousSpan().ToArray();
        var b = bias?.ContiguousSpan().ToArray();
        T e = T.CreateChecked(eps), count = T.CreateChecked(m);
        if (!batchStats)
            for (int ch = 0; ch < c; ch++) { mean[ch] = runningMean![ch]; invStd[ch] = T.One / T.Sqrt(runningVar![ch] + e); }
        // Channel by channel, channels spread over the cores: x̂ = (x − μ)·invStd, y = x̂·weight + bias, all vectorised.
        ForRanges(c, (lo, hi) =>
        {
            for (int ch = lo; ch < hi; ch++)
            {
                if (batchStats)
                {
                    T sum = T.Zero, sq = T.Zero;
                    for (int i = 0; i < n; i++) sum += TensorPrimitives.Sum<T>(xs.AsSpan(xo + (i * c + ch) * s, s));
                    T mu = sum / count;
                    for (int i = 0; i < n; i++)
                    {
                        var xh = xhat.AsSpan((i * c + ch) * s, s);
                        TensorPrimitives.Subtract(xs.AsSpan(xo + (i * c + ch) * s, s), mu, xh);
                        sq += TensorPrimitives.SumOfSquares<T>(xh);
                    }
                    mean[ch] = mu;
                    invStd[ch] = T.One / T.Sqrt(sq / count + e);
                    unbiased[ch] = m > 1 ? sq / T.CreateChecked(m - 1) : T.Zero;
                }
                for (int i = 0; i < n; i++)
                {
                    int at = (i * c + ch) * s;
                    var xh = xhat.AsSpan(at, s);
                    if (batchStats) TensorPrimitives.Multiply(xh, invStd[ch], xh);
                    else
                    {
                        TensorPrimitives.Subtract(xs.AsSpan(xo + at, s), mean[ch], xh);
                        TensorPrimitives.Multiply(xh, invStd[ch], xh);
                    }
                    var yr = y.AsSpan(at, s);
                    TensorPrimitives.Multiply<T>(xh, w is null ? T.One : w[ch], yr);
                    if (b is not null) TensorPrimitives.Add<T>(yr, b[ch], yr);
                }
            }
        });
        if (batchStats && runningMean is not null)
        {
            T mom = T.CreateChecked(momentum), keep = T.One - mom;
            for (int ch = 0; ch < c; ch++)
            {
                runningMean[ch] = keep * runningMean[ch] + mom * mean[ch];
                runningVar![ch] = keep * runningVar[ch] + mom * unbiased[ch];
            }
        }
        var result = new Tensor<T>(y, x.ShapeArray);
        var inputs = Present(x, weight, bias);
        if (!Recording(inputs)) return result;
        int biasIndex = weight is null ? 1 : 2;
        return Record(result, "batch_norm", inputs, saved: [], (dy, sink) =>
        {
            var (dys, dyo) = Elements(dy);
            var dx = sink.Needs(0) ? BufferPool<T>.RentTensor(x.ShapeArray) : null;
            var dxs = dx?.Storage;
            var sumDy = new T[c];
            var sumDyXhat = new T[c];
            ForRanges(c, (lo, hi) =>
            {
                for (int ch = lo; ch < hi; ch++)
                {
                    // Σ dy and Σ dy·x̂ over the channel's elements give the bias and weight gradients and the mean terms of dx.
                    for (int i = 0; i < n; i++)
                    {
                        int at = (i * c + ch) * s;
                        sumDy[ch] += TensorPrimitives.Sum<T>(dys.AsSpan(dyo + at, s));
                        sumDyXhat[ch] += TensorPrimitives.Dot<T>(dys.AsSpan(dyo + at, s), xhat.AsSpan(at, s));
                    }
                    if (dxs is null) continue;
                    T scale = (w is null ? T.One : w[ch]) * invStd[ch];
                    T meanDy = sumDy[ch] / count, meanDyXhat = sumDyXhat[ch] / count;
                    for (int i = 0; i < n; i++)
                    {
                        int at = (i * c + ch) * s;
                        var d = dxs.AsSpan(at, s);
                        if (batchStats)
                        {
                            // dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂))
                            TensorPrimitives.MultiplyAdd(xhat.AsSpan(at, s), -meanDyXhat, dys.AsSpan(dyo + at, s), d);
                            TensorPrimitives.Add(d, -meanDy, d);
                            TensorPrimitives.Multiply(d, scale, d);
                        }
                        else TensorPrimitives.Multiply(dys.AsSpan(dyo + at, s), scale, d);
                    }
                }
            });
            if (weight is not null && sink.Needs(1)) TensorPrimitives.Add(sink.Buffer(1), sumDyXhat, sink.Buffer(1));
            if (bias is not null && sink.Needs(biasIndex)) TensorPrimitives.Add(sink.Buffer(biasIndex), sumDy, sink.Buffer(biasIndex));
            if (dx is not null) sink.Add(0, dx, owned: true);
        }, ts =>
        {
            var paramShape = Enumerable.Range(0, x.Rank).Select(a => a == 1 ? c : 1).ToArray();
            var stats = batchStats ? ((Tensor<T>, Tensor<T>)?)null : (new Tensor<T>(mean, paramShape), new Tensor<T>(invStd, paramShape));
            return NormalizationTangents.Tangent(x, weight, [0, .. Enumerable.Range(2, x.Rank - 2)], eps, paramShape, stats,
                ts[0], weight is null ? null : ts[1], bias is null ? null : ts[biasIndex]);
        });
    }

    /// <summary>
    /// Layer normalisation (PyTorch's <c>layer_norm</c>): each slice over the trailing <paramref name="normalizedShape"/>
    /// dimensions becomes (x − μ)/√(σ² + eps)·weight + bias, μ and σ² its mean and biased variance; weight and bias have
    /// <paramref name="normalizedShape"/> or are null.
    /// </summary>
    public static Tensor<T> LayerNorm(Tensor<T> x, int[] normalizedShape, Tensor<T>? weight = null, Tensor<T>? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0 || k > x.Rank || !x.ShapeArray.AsSpan(x.Rank - k).SequenceEqual(normalizedShape))
            throw new NablaException($"layer_norm: input of shape {Shapes.Format(x.ShapeArray)} does not end in the normalized shape {Shapes.Format(normalizedShape)}");
        foreach (var (t, what) in new[] { (weight, "weight"), (bias, "bias") })
            if (t is not null && !t.ShapeArray.AsSpan().SequenceEqual(normalizedShape))
                throw new NablaException($"layer_norm: {what} of shape {Shapes.Format(t.ShapeArray)} does not match the normalized shape {Shapes.Format(normalizedShape)}");
        int d = Shapes.ElementCount(normalizedShape), rows = d == 0 ? 0 : x.ElementCount / d;
        var (xs, xo) = Elements(x);
        var w = weight?.ContiguousSpan().ToArray();
        var b = bias?.ContiguousSpan().ToArray();
        // The output and the two workspaces come from the pool; the workspaces go back when the node is freed.
        var xhat = BufferPool<T>.Rent(x.ElementCount);
        var y = BufferPool<T>.Rent(x.ElementCount);
        var invStd = BufferPool<T>.Rent(rows);
        T e = T.CreateChecked(eps), count = T.CreateChecked(d);
        for (int r = 0; r < rows; r++)
        {
            var src = xs.AsSpan(xo + r * d, d);
            var xh = xhat.AsSpan(r * d, d);
            T mu = TensorPrimitives.Sum(src) / count;
            TensorPrimitives.Subtract(src, mu, xh);
            invStd[r] = T.One / T.Sqrt(TensorPrimitives.SumOfSquares<T>(xh) / count + e);
            TensorPrimitives.Multiply(xh, invStd[r], xh);
            var yr = y.AsSpan(r * d, d);
            if (w is null) xh.CopyTo(yr); else TensorPrimitives.Multiply(xh, w, yr);
            if (b is not null) TensorPrimitives.Add(yr, b, yr);
        }
        var result = new Tensor<T>(y, x.ShapeArray);
        var inputs = Present(x, weight, bias);
        if (!Recording(inputs))
        {
            BufferPool<T>.ReturnWorkspace(xhat);
            BufferPool<T>.ReturnWorkspace(invStd);
            return result;
        }
        int biasIndex = weight is null ? 1 : 2;
        var recorded = Record(result, "layer_norm", inputs, saved: [], (dy, sink) =>
        {
            var (dys, dyo) = Elements(dy);
            var dxt = sink.Needs(0) ? BufferPool<T>.RentTensor(x.ShapeArray) : null;
            var dx = dxt?.Storage;
            var g = System.Buffers.ArrayPool<T>.Shared.Rent(d);
            for (int r = 0; r < rows; r++)
            {
                var dyr = dys.AsSpan(dyo + r * d, d);
                var xh = xhat.AsSpan(r * d, d);
                if (weight is not null && sink.Needs(1)) TensorPrimitives.MultiplyAdd(dyr, xh, sink.Buffer(1), sink.Buffer(1));
                if (bias is not null && sink.Needs(biasIndex)) TensorPrimitives.Add(dyr, sink.Buffer(biasIndex), sink.Buffer(biasIndex));
                if (dx is null) continue;
                // g = dy·γ; dx = (g − mean(g) − x̂·mean(g·x̂))/σ
                var gr = g.AsSpan(0, d);
                if (w is null) dyr.CopyTo(gr); else TensorPrimitives.Multiply(dyr, w, gr);
                T meanG = TensorPrimitives.Sum<T>(gr) / count, meanGXhat = TensorPrimitives.Dot<T>(gr, xh) / count;
                var dxr = dx.AsSpan(r * d, d);
                TensorPrimitives.Multiply(xh, -meanGXhat, dxr);
                TensorPrimitives.Add(dxr, gr, dxr);
                TensorPrimitives.Add(dxr, -meanG, dxr);
                TensorPrimitives.Multiply(dxr, invStd[r], dxr);
            }
            System.Buffers.ArrayPool<T>.Shared.Return(g);
            if (dxt is not null) sink.Add(0, dxt, owned: true);
        }, ts => NormalizationTangents.Tangent(x, weight, [.. Enumerable.Range(x.Rank - k, k)], eps, normalizedShape, null,
            ts[0], weight is null ? null : ts[1], bias is null ? null : ts[biasIndex]));
        recorded.Node!.OnFree = () =>
        {
            BufferPool<T>.ReturnWorkspace(xhat);
            BufferPool<T>.ReturnWorkspace(invStd);
        };
        return recorded;
    }

    /// <summary>The inputs of an op whose weight and bias are optional: x, then whichever of them is given.</summary>
    private static Tensor<T>[] Present(Tensor<T> x, Tensor<T>? weight, Tensor<T>? bias) =>
        (weight, bias) switch
        {
            (null, null) => [x],
            (null, _) => [x, bias],
            (_, null) => [x, weight],
            _ => [x, weight, bias],
        };
}
