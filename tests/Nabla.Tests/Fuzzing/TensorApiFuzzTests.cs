using FsCheck;
using FsCheck.Fluent;
using Nabla.Functional;
using Nabla.Tensors;

namespace Nabla.Tests.Fuzzing;

/// <summary>
/// Fixed-seed, bounded campaigns over the tensor API added for sequence models: joining and splitting, indexing,
/// masking, attention, recurrent layers, convolution and pooling geometry, and tensor Hessians. Each call gets random
/// small shapes, dimensions, indices and settings (with extremes); it must agree with a plain-loop reference written
/// here from the documented definition, or throw a NablaException.
/// </summary>
[Trait("Category", "Fuzz")]
public class TensorApiFuzzTests
{
    private static readonly Gen<int[]> Shape = Gen.Choose(0, 3).SelectMany(rank => Gen.Frequency((6, Gen.Choose(1, 3)), (1, Gen.Constant(0))).ArrayOf(rank));

    private static readonly Gen<int> Dim = Gen.Frequency((6, Gen.Choose(-3, 3)), (1, Gen.Elements(int.MinValue, int.MaxValue, -4, 4)));

    private static readonly Gen<int> Count = Gen.Frequency((6, Gen.Choose(0, 4)), (1, Gen.Elements(-1, int.MaxValue, int.MinValue)));

    private static Tensor<double> Filled(int[] shape, int seed)
    {
        long n = shape.Aggregate(1L, (a, d) => a * d);
        return Tensor<double>.FromArray([.. Enumerable.Range(0, (int)n).Select(i => (i * 37 + seed * 11) % 23 - 11.0)], shape);
    }

    private static int[] Coordinates(long flat, int[] shape)
    {
        var c = new int[shape.Length];
        for (int k = shape.Length - 1; k >= 0; k--) { c[k] = (int)(flat % shape[k]); flat /= shape[k]; }
        return c;
    }

    private static long Flat(int[] c, int[] shape)
    {
        long f = 0;
        for (int k = 0; k < shape.Length; k++) f = f * shape[k] + c[k];
        return f;
    }

    private static long Size(int[] shape) => shape.Aggregate(1L, (a, d) => a * d);

    private static bool Same(Tensor<double> y, int[] shape, double[] expected) =>
        y.Shape.SequenceEqual(shape) && y.ToArray().SequenceEqual(expected);

    private static string Format(int[] shape) => $"[{string.Join(",", shape)}]";

    [Fact]
    public void Cat_stack_split_and_chunk_agree_with_their_definitions()
    {
        var gen = from op in Gen.Choose(0, 4) from shape in Shape from dim in Dim from n in Count from grow in Gen.Choose(0, 2).ArrayOf()
                  select (Op: op, Shape: shape, Dim: dim, N: n, Grow: grow);
        var stats = Fuzz.Run("cat/stack/split/chunk", gen, 1500, seed: 61, c =>
        {
            var x = Filled(c.Shape, 1);
            int rank = c.Shape.Length;
            switch (c.Op)
            {
                case 0 or 1:   // Cat or Stack of 1–3 tensors; Cat's inputs differ in the joined dimension
                {
                    bool stack = c.Op == 1;
                    int inputs = Math.Clamp(c.Grow.Length, 1, 3);
                    int d = c.Dim < 0 ? c.Dim + rank + (stack ? 1 : 0) : c.Dim;
                    var shapes = Enumerable.Range(0, inputs).Select(i =>
                    {
                        var s = (int[])c.Shape.Clone();
                        if (!stack && d >= 0 && d < rank && i < c.Grow.Length) s[d] = c.Grow[i];
                        return s;
                    }).ToArray();
                    var parts = shapes.Select((s, i) => Filled(s, i + 2)).ToList();
                    var y = stack ? Tensor<double>.Stack(parts, c.Dim) : Tensor<double>.Cat(parts, c.Dim);
                    if (d < 0 || d > rank - (stack ? 0 : 1)) return Outcome.WrongResult;
                    // y[.., i, ..] from input i (Stack) or from the input whose range along d holds i (Cat).
                    var yShape = y.Shape.ToArray();
                    var expected = new double[Size(yShape)];
                    for (long f = 0; f < expected.Length; f++)
                    {
                        var at = Coordinates(f, yShape);
                        int part = 0, local = at[d];
                        if (stack) part = at[d];
                        else while (local >= shapes[part][d]) local -= shapes[part++][d];
                        int[] src = stack ? [.. at[..d], .. at[(d + 1)..]] : [.. at[..d], local, .. at[(d + 1)..]];
                        expected[f] = parts[part].ToArray()[Flat(src, shapes[part])];
                    }
                    int[] want = stack ? [.. c.Shape[..d], inputs, .. c.Shape[d..]] : [.. c.Shape[..d], shapes.Sum(s => s[d]), .. c.Shape[(d + 1)..]];
                    return Same(y, want, expected) ? Outcome.Valid : Outcome.WrongResult;
                }
                default:       // Split by size, by sizes, or Chunk: the pieces join back to x and have the documented sizes
                {
                    Tensor<double>[] pieces = c.Op switch
                    {
                        2 => x.Split(c.N, c.Dim),
                        3 => x.Split(c.Grow, c.Dim),
                        _ => x.Chunk(c.N, c.Dim),
                    };
                    int d = c.Dim < 0 ? c.Dim + rank : c.Dim;
                    if (d < 0 || d >= rank) return Outcome.WrongResult;
                    int n = c.Shape[d];
                    // Split: ⌈n / N⌉ pieces of N, the last shorter; Chunk: pieces of ⌈n / chunks⌉, as many as that takes.
                    long each = c.Op == 2 ? c.N : n == 0 ? 0 : (n + (long)c.N - 1) / c.N;
                    int[] sizes = c.Op == 3 ? c.Grow
                        : n == 0 ? (c.Op == 2 ? [0] : [.. Enumerable.Repeat(0, c.N)])
                        : [.. Enumerable.Range(0, (int)((n + each - 1) / each)).Select(k => (int)Math.Min(each, n - k * each))];
                    if (!pieces.Select(p => p.Shape[d]).SequenceEqual(sizes)) return Outcome.WrongResult;
                    return Tensor<double>.Cat(pieces, d).ToArray().SequenceEqual(x.ToArray()) ? Outcome.Valid : Outcome.WrongResult;
                }
            }
        }, c => $"op {c.Op} of {Format(c.Shape)} dim {c.Dim} n {c.N} sizes {Format(c.Grow)}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly Gen<int> Position = Gen.Frequency((8, Gen.Choose(0, 3)), (1, Gen.Elements(-1, 4, int.MaxValue, int.MinValue)));

    [Fact]
    public void IndexSelect_gather_and_scatter_add_agree_with_their_definitions()
    {
        var gen = from op in Gen.Choose(0, 2) from shape in Shape from dim in Dim from ishape in Shape from positions in Position.ArrayOf()
                  select (Op: op, Shape: shape, Dim: dim, IndexShape: op == 0 ? ishape.Take(1).ToArray() : ishape, Positions: positions);
        var stats = Fuzz.Run("index_select/gather/scatter_add", gen, 2000, seed: 62, c =>
        {
            var x = Filled(c.Shape, 1);
            // Gather and ScatterAdd take an index of x's rank: most draws get it, with sizes bounded by x's.
            int[] ishape = c.Op == 0 ? c.IndexShape
                : c.IndexShape.Length == c.Shape.Length || c.Positions.Length % 4 == 0 ? c.IndexShape : [.. c.Shape.Select((s, k) => Math.Min(s, k < c.IndexShape.Length ? c.IndexShape[k] : s))];
            long count = Size(ishape);
            var values = Enumerable.Range(0, (int)count).Select(i => c.Positions.Length == 0 ? 0 : c.Positions[i % c.Positions.Length]).ToArray();
            var index = IndexTensor.FromArray(values, ishape);
            int rank = c.Shape.Length, d = c.Dim < 0 ? c.Dim + Math.Max(rank, 1) : c.Dim;
            double X(int[] at) => rank == 0 ? x.ToScalar() : x.ToArray()[Flat(at, c.Shape)];
            switch (c.Op)
            {
                case 0:
                {
                    var y = x.IndexSelect(c.Dim, index);
                    int[] shape = rank == 0 ? [] : [.. c.Shape[..d], values.Length, .. c.Shape[(d + 1)..]];
                    var expected = new double[Size(shape)];
                    for (long f = 0; f < expected.Length; f++)
                    {
                        var at = Coordinates(f, shape);
                        if (rank > 0) at[d] = values[at[d]];
                        expected[f] = rank == 0 ? (values[0] == 0 ? x.ToScalar() : double.NaN) : X(at);
                    }
                    return Same(y, shape, expected) ? Outcome.Valid : Outcome.WrongResult;
                }
                case 1:
                {
                    var y = x.Gather(c.Dim, index);
                    var expected = new double[count];
                    for (long f = 0; f < count; f++)
                    {
                        var at = Coordinates(f, ishape);
                        if (rank > 0) at[d] = values[f];
                        else if (values[f] != 0) return Outcome.WrongResult;
                        expected[f] = X(at);
                    }
                    return Same(y, ishape, expected) ? Outcome.Valid : Outcome.WrongResult;
                }
                default:
                {
                    var src = Filled(ishape, 3);
                    var y = x.ScatterAdd(c.Dim, index, src);
                    var expected = x.ToArray();
                    for (long f = 0; f < count; f++)
                    {
                        var at = Coordinates(f, ishape);
                        if (rank > 0) at[d] = values[f];
                        else if (values[f] != 0) return Outcome.WrongResult;
                        expected[rank == 0 ? 0 : Flat(at, c.Shape)] += src.ToArray()[f];
                    }
                    return Same(y, c.Shape, expected) ? Outcome.Valid : Outcome.WrongResult;
                }
            }
        }, c => $"op {c.Op} of {Format(c.Shape)} dim {c.Dim} index {Format(c.IndexShape)} positions {Format(c.Positions)}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    [Fact]
    public void Masked_fill_tril_and_triu_agree_with_their_definitions()
    {
        var gen = from op in Gen.Choose(0, 2) from shape in Shape from mshape in Shape from diagonal in Count from bits in Gen.Choose(0, 255)
                  select (Op: op, Shape: shape, MaskShape: mshape, Diagonal: diagonal == int.MaxValue || diagonal == int.MinValue ? diagonal : diagonal - 2, Bits: bits);
        var stats = Fuzz.Run("masked_fill/tril/triu", gen, 1500, seed: 63, c =>
        {
            var x = Filled(c.Shape, 1);
            var xs = x.ToArray();
            int rank = c.Shape.Length;
            if (c.Op == 0)
            {
                long m = Size(c.MaskShape);
                var mask = Tensor<double>.FromArray([.. Enumerable.Range(0, (int)m).Select(i => (c.Bits >> (i % 8) & 1) == 1 ? (i % 3 == 0 ? double.NaN : 1) : 0)], c.MaskShape);
                var y = x.MaskedFill(mask, -7.5);
                // The mask broadcasts from the right: a dimension of 1 repeats, a missing one is added in front.
                var expected = new double[xs.Length];
                for (long f = 0; f < xs.Length; f++)
                {
                    var at = Coordinates(f, c.Shape);
                    if (c.MaskShape.Length > rank) return Outcome.WrongResult;
                    var mat = c.MaskShape.Select((s, k) => s == 1 ? 0 : at[rank - c.MaskShape.Length + k]).ToArray();
                    if (mat.Where((v, k) => v >= c.MaskShape[k] && c.MaskShape[k] != 1).Any()) return Outcome.WrongResult;
                    expected[f] = mask.ToArray()[Flat(mat, c.MaskShape)] != 0 ? -7.5 : xs[f];
                }
                return Same(y, c.Shape, expected) ? Outcome.Valid : Outcome.WrongResult;
            }
            bool lower = c.Op == 1;
            var t = lower ? x.Tril(c.Diagonal) : x.Triu(c.Diagonal);
            if (rank < 2) return Outcome.WrongResult;
            var want = new double[xs.Length];
            for (long f = 0; f < xs.Length; f++)
            {
                var at = Coordinates(f, c.Shape);
                long gap = (long)at[^1] - at[^2];
                want[f] = (lower ? gap <= c.Diagonal : gap >= c.Diagonal) ? xs[f] : 0;
            }
            return Same(t, c.Shape, want) ? Outcome.Valid : Outcome.WrongResult;
        }, c => $"op {c.Op} of {Format(c.Shape)} mask {Format(c.MaskShape)} diagonal {c.Diagonal} bits {c.Bits}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly Gen<int> Small = Gen.Frequency((8, Gen.Choose(1, 3)), (1, Gen.Elements(0, -1)));

    [Fact]
    public void Attention_agrees_with_softmax_of_scaled_scores_times_values()
    {
        var gen = from b in Small from l in Small from s in Small from e in Small from ev in Small from causal in Gen.Elements(false, true)
                  from maskKind in Gen.Choose(0, 3) from scale in Gen.Elements<double?>(null, 0.5, 0, -2, 1e3)
                  from mismatch in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
                  select (B: b, L: l, S: s, E: e, Ev: ev, Causal: causal, Mask: maskKind, Scale: scale, Mismatch: mismatch);
        var stats = Fuzz.Run("attention", gen, 800, seed: 64, c =>
        {
            var (B, L, S, E, Ev) = (Math.Max(c.B, 0), Math.Max(c.L, 0), Math.Max(c.S, 0), Math.Max(c.E, 0), Math.Max(c.Ev, 0));
            var q = Filled([B, L, E], 1) * 0.1;
            var k = Filled([B, S + (c.Mismatch == 1 ? 1 : 0), E + (c.Mismatch == 2 ? 1 : 0)], 2) * 0.1;
            var v = Filled([B, S + (c.Mismatch == 3 ? 1 : 0), Ev], 3);
            // Masks: none, −∞ on some keys, a finite additive mask, or one of the wrong shape.
            Tensor<double>? mask = c.Mask switch
            {
                1 => Tensor<double>.FromArray([.. Enumerable.Range(0, L * S).Select(i => i % 3 == 1 ? double.NegativeInfinity : 0)], [L, S]),
                2 => Filled([L, S], 4) * 0.2,
                3 => Filled([L + 2, S], 4),   // never broadcasts to [L, S]
                _ => null,
            };
            var y = Tensor<double>.ScaledDotProductAttention(q, k, v, c.Causal, mask, c.Scale);
            if (c.Mismatch != 0 || c.Mask == 3)
                return Outcome.WrongResult;
            double scale = c.Scale ?? 1 / Math.Sqrt(E);
            var (qs, ks, vs, ms) = (q.ToArray(), k.ToArray(), v.ToArray(), mask?.ToArray());
            var expected = new double[B * L * Ev];
            for (int b = 0; b < B; b++)
                for (int i = 0; i < L; i++)
                {
                    var w = new double[S];
                    double max = double.NegativeInfinity;
                    for (int j = 0; j < S; j++)
                    {
                        double score = 0;
                        for (int e = 0; e < E; e++) score += qs[(b * L + i) * E + e] * ks[(b * S + j) * E + e];
                        w[j] = c.Causal && j > i ? double.NegativeInfinity : score * scale + (ms?[i * S + j] ?? 0);
                        max = Math.Max(max, w[j]);
                    }
                    if (double.IsNegativeInfinity(max)) continue;   // a query that sees no key gives 0
                    double total = 0;
                    for (int j = 0; j < S; j++) total += w[j] = Math.Exp(w[j] - max);
                    for (int j = 0; j < S; j++)
                        for (int o = 0; o < Ev; o++) expected[(b * L + i) * Ev + o] += w[j] / total * vs[(b * S + j) * Ev + o];
                }
            var got = y.ToArray();
            bool close = y.Shape.SequenceEqual([B, L, Ev]) && got.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1e-9 * (1 + Math.Abs(p.Second)));
            return close ? Outcome.Valid : Outcome.WrongResult;
        }, c => $"{c}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    [Fact]
    public void Recurrent_layers_agree_with_the_cell_equations_step_by_step()
    {
        var gen = from kind in Gen.Choose(0, 2) from t in Small from n in Small from input in Small from h in Small from batchFirst in Gen.Elements(false, true)
                  from bias in Gen.Elements(false, true) from state in Gen.Elements(false, true) from mismatch in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 4)))
                  select (Kind: kind, T: t, N: n, In: input, H: h, BatchFirst: batchFirst, Bias: bias, State: state, Mismatch: mismatch);
        var stats = Fuzz.Run("recurrent layers", gen, 800, seed: 65, c =>
        {
            int gates = c.Kind switch { 0 => 1, 1 => 4, _ => 3 };
            int T = Math.Max(c.T, 0), N = Math.Max(c.N, 0), I = Math.Max(c.In, 0), H = Math.Max(c.H, 0);
            var x = Filled(c.BatchFirst ? [N, T, I] : [T, N, I], 1) * 0.1;
            var wih = Filled([gates * H + (c.Mismatch == 1 ? 1 : 0), I], 2) * 0.05;
            var whh = Filled([gates * H, H + (c.Mismatch == 2 ? 1 : 0)], 3) * 0.05;
            var bih = c.Bias ? Filled([gates * H + (c.Mismatch == 3 ? 1 : 0)], 4) * 0.1 : null;
            var bhh = c.Bias ? Filled([gates * H], 5) * 0.1 : null;
            var h0 = c.State ? Filled([N + (c.Mismatch == 4 ? 1 : 0), H], 6) * 0.1 : null;
            var c0 = c.State ? Filled([N, H], 7) * 0.1 : null;
            var y = c.Kind switch
            {
                0 => Tensor<double>.RnnLayer(x, wih, whh, bih, bhh, h0, batchFirst: c.BatchFirst),
                1 => Tensor<double>.LstmLayer(x, wih, whh, bih, bhh, h0, c0, c.BatchFirst).Output,
                _ => Tensor<double>.GruLayer(x, wih, whh, bih, bhh, h0, c.BatchFirst),
            };
            if (c.Mismatch != 0 && !(c.Mismatch == 3 && !c.Bias) && !(c.Mismatch == 4 && !c.State)) return Outcome.WrongResult;
            var (xs, wi, wh) = (x.ToArray(), wih.ToArray(), whh.ToArray());
            var (bi, bh) = (bih?.ToArray() ?? new double[gates * H], bhh?.ToArray() ?? new double[gates * H]);
            var expected = new double[T * N * H];
            for (int n = 0; n < N; n++)
            {
                var hs = Enumerable.Range(0, H).Select(j => h0?.ToArray()[n * H + j] ?? 0).ToArray();
                var cs = Enumerable.Range(0, H).Select(j => c0?.ToArray()[n * H + j] ?? 0).ToArray();
                for (int t = 0; t < T; t++)
                {
                    int row = c.BatchFirst ? n * T + t : t * N + n;
                    double Gi(int g) { double s = bi[g]; for (int k = 0; k < I; k++) s += wi[g * I + k] * xs[row * I + k]; return s; }
                    double Gh(int g) { double s = bh[g]; for (int k = 0; k < H; k++) s += wh[g * H + k] * hs[k]; return s; }
                    static double Sig(double v) => 1 / (1 + Math.Exp(-v));
                    var next = new double[H];
                    for (int j = 0; j < H; j++)
                        next[j] = c.Kind switch
                        {
                            0 => Math.Tanh(Gi(j) + Gh(j)),
                            1 => Sig(Gi(3 * H + j) + Gh(3 * H + j)) * Math.Tanh(cs[j] = Sig(Gi(H + j) + Gh(H + j)) * cs[j] + Sig(Gi(j) + Gh(j)) * Math.Tanh(Gi(2 * H + j) + Gh(2 * H + j))),
                            _ => GruStep(Sig(Gi(j) + Gh(j)), Sig(Gi(H + j) + Gh(H + j)), Gi(2 * H + j), Gh(2 * H + j), hs[j]),
                        };
                    hs = next;
                    hs.CopyTo(expected, row * H);
                }
            }
            var got = y.ToArray();
            bool close = y.Shape.SequenceEqual(c.BatchFirst ? [N, T, H] : [T, N, H]) && got.Zip(expected).All(p => Math.Abs(p.First - p.Second) <= 1e-12);
            return close ? Outcome.Valid : Outcome.WrongResult;
        }, c => $"{c}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static double GruStep(double r, double z, double inN, double hidN, double h) => (1 - z) * Math.Tanh(inN + r * hidN) + z * h;

    private static readonly Gen<int> Geometry = Gen.Frequency((8, Gen.Choose(0, 3)), (1, Gen.Elements(-1, 30_000, 1 << 20, int.MaxValue / 2, int.MaxValue, int.MinValue)));

    [Fact]
    public void Convolution_and_pooling_geometry_gives_the_documented_output_or_a_clean_error()
    {
        var gen = from op in Gen.Choose(0, 2) from n in Gen.Choose(0, 2) from ch in Gen.Choose(1, 2) from h in Gen.Choose(1, 5) from w in Gen.Choose(1, 5)
                  from outCh in Gen.Choose(1, 2) from kernel in Geometry from stride in Geometry from padding in Geometry from dilation in Geometry
                  from groups in Gen.Frequency((6, Gen.Constant(1)), (1, Gen.Elements(2, 0, -1)))
                  select (Op: op, N: n, C: ch, H: h, W: w, Out: outCh, K: kernel, Stride: stride, Padding: padding, Dilation: dilation, Groups: groups);
        var stats = Fuzz.Run("conv/pool geometry", gen, 1500, seed: 66, c =>
        {
            var x = Filled([c.N, c.C, c.H, c.W], 1);
            int k = Math.Clamp(c.K, 0, 7);
            Tensor<double> y = c.Op switch
            {
                0 => Tensor<double>.Conv2d(x, Filled([c.Out * Math.Max(c.Groups, 1), c.C / Math.Max(c.Groups, 1), k, k], 2), null, c.Stride, c.Padding, c.Dilation, c.Groups),
                1 => x.MaxPool2d(c.K, c.Stride, c.Padding, c.Dilation),
                _ => x.AvgPool2d(c.K, c.Stride, c.Padding),
            };
            int kk = c.Op == 0 ? k : c.K, dil = c.Op == 2 ? 1 : c.Dilation;
            long Out(int size) => ((long)size + 2L * c.Padding - (long)dil * (kk - 1) - 1) / c.Stride + 1;
            int channels = c.Op == 0 ? c.Out * Math.Max(c.Groups, 1) : c.C;
            if (!y.Shape.SequenceEqual([c.N, channels, (int)Out(c.H), (int)Out(c.W)])) return Outcome.WrongResult;
            // A max-pooling window that only covers padding gives −∞, as PyTorch's does (dilation lets it miss the image).
            if (c.Op != 0 || c.N == 0) return y.ToArray().All(v => c.Op == 1 ? !double.IsNaN(v) && v != double.PositiveInfinity : double.IsFinite(v)) ? Outcome.Valid : Outcome.WrongResult;
            // A direct correlation for the small cases: y[n, o, i, j] = Σ w[o, c, a, b]·x[n, g·C/G + c, i·s − p + a·d, j·s − p + b·d].
            var (xs, ws) = (x.ToArray(), Filled([channels, c.C / c.Groups, k, k], 2).ToArray());
            var got = y.ToArray();
            int oh = (int)Out(c.H), ow = (int)Out(c.W), cg = c.C / c.Groups, og = channels / c.Groups;
            for (int n = 0; n < c.N; n++)
                for (int o = 0; o < channels; o++)
                    for (int i = 0; i < oh; i++)
                        for (int j = 0; j < ow; j++)
                        {
                            double s = 0;
                            for (int ci = 0; ci < cg; ci++)
                                for (int a = 0; a < k; a++)
                                    for (int b = 0; b < k; b++)
                                    {
                                        long r = (long)i * c.Stride - c.Padding + (long)a * c.Dilation, q = (long)j * c.Stride - c.Padding + (long)b * c.Dilation;
                                        if (r < 0 || r >= c.H || q < 0 || q >= c.W) continue;
                                        s += ws[((o * cg + ci) * k + a) * k + b] * xs[((n * c.C + o / og * cg + ci) * c.H + r) * c.W + q];
                                    }
                            if (got[((n * channels + o) * oh + i) * ow + j] != s) return Outcome.WrongResult;
                        }
            return Outcome.Valid;
        }, c => $"{c}", allocationBudget: 256_000_000);
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly Gen<(int Function, int[] Shape, double Scale)> HessianInputs =
        from f in Gen.Choose(0, 5)
        from shape in Gen.Frequency((8, Gen.Choose(1, 2).SelectMany(rank => Gen.Choose(1, 3).ArrayOf(rank))), (1, Gen.Elements<int[]>([0], [3, 0], [50_000], [46_341])))
        from scale in Gen.Elements(1.0, 1e-3, 1e100, 1e200, -1e200)
        select (f, shape, scale);

    /// <summary>Scalar functions of x that use the sequence-model ops, each with its value at x.</summary>
    private static Tensor<double> Function(int which, Tensor<double> x, double scale) => which switch
    {
        0 => (x * x * x).Sum(),
        1 => (x * scale).Abs().Log().Sum(),
        2 => x.Softmax(-1).Log().Sum() * x.Sum(),
        3 => Tensor<double>.Cat([x, x * x], 0).Exp().Sum() * 1e-3,
        4 => (x.Tanh() * x.Sin()).Sum(),
        _ => x.Split(1, 0)[0].Sum() * x.Sum(),
    };

    [Fact]
    public void Tensor_Hessians_match_central_differences_of_the_gradient_or_are_refused_cleanly()
    {
        var stats = Fuzz.Run("tensor hessians", HessianInputs, 300, seed: 67, c =>
        {
            long n = Size(c.Shape);
            var x = Tensor<double>.FromArray([.. Enumerable.Range(0, (int)n).Select(i => 0.3 + 0.17 * i)], c.Shape);
            var h = TensorFunctional.Hessian(v => Function(c.Function, v, c.Scale), x);
            if (n * n > Limits.MaxTensorElements) return Outcome.WrongResult;
            var hs = h.ToArray();
            if (!h.Shape.SequenceEqual([.. c.Shape, .. c.Shape])) return Outcome.WrongResult;
            double[] Gradient(double[] at)
            {
                var t = Tensor<double>.FromArray(at, c.Shape).RequireGrad();
                Function(c.Function, t, c.Scale).Backward();
                return t.Grad!.ToArray();
            }
            var xs = x.ToArray();
            for (int i = 0; i < n; i++)
            {
                double step = 1e-5;
                var plus = (double[])xs.Clone(); plus[i] += step;
                var minus = (double[])xs.Clone(); minus[i] -= step;
                var (gp, gm) = (Gradient(plus), Gradient(minus));
                for (int j = 0; j < n; j++)
                {
                    double numeric = (gp[j] - gm[j]) / (2 * step);
                    if (!(Math.Abs(hs[i * n + j] - numeric) <= 1e-4 * (1 + Math.Abs(numeric)))) return Outcome.WrongResult;
                }
            }
            return Outcome.Valid;
        }, c => $"function {c.Function} at {Format(c.Shape)}, scale {c.Scale:R}", allocationBudget: 512_000_000);
        Assert.True(stats.Valid > 0, stats.ToString());
    }
}
