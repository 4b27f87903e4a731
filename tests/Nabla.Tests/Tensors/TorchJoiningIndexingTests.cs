using System.Numerics;
using System.Text.Json;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Cat, Stack, Split, Chunk, IndexSelect, Gather, ScatterAdd and Embedding against PyTorch, in float32 and float64: the
/// test draws inputs and indices, a Python script runs the torch op on the same values (in the same dtype) and returns its
/// outputs and the gradients of L = Σₖ Σ outₖ ⊙ Wₖ, where Wₖ[i] = ((3i + k) mod 7) − 3 on both sides; Nabla's must agree.
/// </summary>
public sealed class TorchJoiningIndexingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nabla-torch-joining-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Script = """
        import json, sys
        import torch
        import torch.nn.functional as F

        cases = json.load(open(sys.argv[1]))
        dtype = torch.float32 if sys.argv[2] == "float32" else torch.float64
        results = []
        for case in cases:
            leaves = [torch.tensor(t["data"], dtype=dtype).reshape(t["shape"]).requires_grad_() for t in case["inputs"]]
            xs = [x.transpose(-1, -2) if case["transposed"] else x for x in leaves]
            idx = torch.tensor(case["index"]["data"], dtype=torch.int64).reshape(case["index"]["shape"]) if case["index"] else None
            a, op = case["args"], case["op"]
            if op == "cat": outs = [torch.cat(xs, a[0])]
            elif op == "stack": outs = [torch.stack(xs, a[0])]
            elif op == "split": outs = list(torch.split(xs[0], a[0], a[1]))
            elif op == "split_sizes": outs = list(torch.split(xs[0], a[:-1], a[-1]))
            elif op == "chunk": outs = list(torch.chunk(xs[0], a[0], a[1]))
            elif op == "index_select": outs = [torch.index_select(xs[0], a[0], idx)]
            elif op == "gather": outs = [torch.gather(xs[0], a[0], idx)]
            elif op == "scatter_add":
                # scatter_add reads src only where the index reaches; slicing src to the index's extent first is the same
                # sum and keeps the backward of older torch releases (which assume src has the index's shape) correct.
                outs = [xs[0].scatter_add(a[0], idx, xs[1][tuple(slice(0, n) for n in idx.shape)])]
            elif op == "embedding": outs = [F.embedding(idx, xs[0])]
            loss = sum((o * ((torch.arange(o.numel()) * 3 + k) % 7 - 3).to(dtype).reshape(o.shape)).sum() for k, o in enumerate(outs))
            loss.backward()
            results.append({"outs": [{"shape": list(o.shape), "data": o.detach().flatten().tolist()} for o in outs],
                            "grads": [x.grad.flatten().tolist() for x in leaves]})
        print(json.dumps(results))
        """;

    private sealed record Case(string Op, int[][] Shapes, int[] Args, bool Transposed, (int[] Shape, int Bound)? Index);

    /// <summary>The cases, each run in both dtypes; the index (when any) is drawn uniform on [0, bound) so positions repeat.</summary>
    private static readonly Case[] Cases =
    [
        new("cat", [[2, 3], [4, 3], [1, 3]], [0], false, null),
        new("cat", [[2, 3, 4], [2, 3, 1], [2, 3, 2]], [-1], false, null),
        new("cat", [[4, 2], [4, 3]], [1], true, null),
        new("cat", [[2, 3], [0, 3], [1, 3]], [0], false, null),
        new("stack", [[2, 3], [2, 3], [2, 3]], [0], false, null),
        new("stack", [[2, 3], [2, 3]], [-1], true, null),
        new("stack", [[2, 3, 2], [2, 3, 2]], [1], false, null),
        new("split", [[5, 3]], [2, 0], false, null),
        new("split", [[2, 7]], [3, -1], false, null),
        new("split", [[6, 4]], [4, 1], true, null),
        new("split_sizes", [[2, 6]], [1, 0, 3, 2, 1], false, null),
        new("chunk", [[7, 2]], [3, 0], false, null),
        new("chunk", [[6]], [4, 0], false, null),
        new("chunk", [[3, 5, 2]], [2, -2], true, null),
        new("index_select", [[3, 4]], [0], false, ([5], 3)),
        new("index_select", [[2, 3, 4]], [-1], false, ([6], 4)),
        new("index_select", [[5, 3]], [1], true, ([4], 3)),
        new("gather", [[3, 4]], [1], false, ([3, 2], 4)),
        new("gather", [[3, 4]], [0], false, ([5, 2], 3)),
        new("gather", [[2, 3, 4]], [-1], false, ([2, 2, 6], 4)),
        new("gather", [[4, 3]], [0], true, ([5, 3], 4)),
        new("scatter_add", [[3, 4], [2, 5]], [1], false, ([2, 3], 4)),
        new("scatter_add", [[3, 2], [4, 2]], [0], false, ([4, 2], 3)),
        new("scatter_add", [[2, 2, 3], [2, 2, 6]], [-1], false, ([2, 1, 5], 3)),
        new("scatter_add", [[4, 3], [5, 3]], [1], true, ([3, 3], 3)),
        new("embedding", [[5, 3]], [], false, ([2, 4], 5)),
    ];

    private static Tensor<T>[] RunNabla<T>(Case c, Tensor<T>[] x, IndexTensor? index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = c.Args;
        return c.Op switch
        {
            "cat" => [Tensor<T>.Cat(x, a[0])],
            "stack" => [Tensor<T>.Stack(x, a[0])],
            "split" => x[0].Split(a[0], a[1]),
            "split_sizes" => x[0].Split(a[..^1], a[^1]),
            "chunk" => x[0].Chunk(a[0], a[1]),
            "index_select" => [x[0].IndexSelect(a[0], index!)],
            "gather" => [x[0].Gather(a[0], index!)],
            "scatter_add" => [x[0].ScatterAdd(a[0], index!, x[1])],
            "embedding" => [Tensor<T>.Embedding(x[0], index!)],
            _ => throw new InvalidOperationException(c.Op),
        };
    }

    [Fact]
    public void Float64_outputs_and_gradients_match_pytorch() => Compare<double>("float64", 1e-12);

    [Fact]
    public void Float32_outputs_and_gradients_match_pytorch() => Compare<float>("float32", 1e-6);

    private void Compare<T>(string dtype, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Python.Has("torch"))
            Assert.Skip("/usr/bin/python3 with PyTorch is not installed (apt-get install python3-torch), so the comparison did not run.");
        var rng = new RandomState(2024);
        var leaves = Cases.Select(c => c.Shapes.Select(s => Tensor<T>.Randn(rng, c.Transposed ? [.. s[..^2], s[^1], s[^2]] : s).RequireGrad()).ToArray()).ToArray();
        var indices = Cases.Select(c => c.Index is { } ix ? IndexTensor.RandInt(rng, 0, ix.Bound, ix.Shape) : null).ToArray();

        string input = Path.Combine(_dir, "cases.json"), script = Path.Combine(_dir, "ops.py");
        File.WriteAllText(script, Script);
        File.WriteAllText(input, JsonSerializer.Serialize(Cases.Select((c, i) => new
        {
            op = c.Op,
            args = c.Args,
            transposed = c.Transposed,
            inputs = leaves[i].Select(t => new { data = t.ToArray().Select(v => double.CreateChecked(v)), shape = t.Shape.ToArray() }),
            index = indices[i] is { } ix ? new { data = ix.ToArray(), shape = ix.Shape.ToArray() } : null,
        })));
        using var results = JsonDocument.Parse(Python.Run(script, input, dtype));

        for (int i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            string where = $"{dtype} {c.Op}({string.Join(", ", c.Args)}) on {string.Join(" and ", c.Shapes.Select(s => Shapes.Format(s)))}{(c.Transposed ? " transposed" : "")}";
            var inputs = c.Transposed ? leaves[i].Select(t => t.Transpose(-1, -2)).ToArray() : leaves[i];
            var outs = RunNabla(c, inputs, indices[i]);
            var expected = results.RootElement[i];
            var expectedOuts = expected.GetProperty("outs");
            Assert.True(expectedOuts.GetArrayLength() == outs.Length, $"{where}: torch made {expectedOuts.GetArrayLength()} outputs, Nabla {outs.Length}");
            Tensor<T>? loss = null;
            for (int k = 0; k < outs.Length; k++)
            {
                var e = expectedOuts[k];
                Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()), outs[k].Shape);
                AssertClose(e.GetProperty("data"), outs[k].ToArray(), tolerance, $"{where}, output {k}");
                var w = new T[outs[k].ElementCount];
                for (int j = 0; j < w.Length; j++) w[j] = T.CreateChecked((3 * j + k) % 7 - 3);
                var term = (outs[k] * new Tensor<T>(w, [.. outs[k].Shape])).Sum();
                loss = loss is null ? term : loss + term;
            }
            loss!.Backward();
            var grads = expected.GetProperty("grads");
            for (int j = 0; j < leaves[i].Length; j++)
                AssertClose(grads[j], leaves[i][j].Grad?.ToArray() ?? new T[leaves[i][j].ElementCount], tolerance, $"{where}, gradient of input {j}");
        }
    }

    private static void AssertClose<T>(JsonElement expected, T[] actual, double tolerance, string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(expected.GetArrayLength() == actual.Length, $"{where}: torch has {expected.GetArrayLength()} values, Nabla {actual.Length}");
        int i = 0;
        foreach (var e in expected.EnumerateArray())
        {
            double want = e.GetDouble(), got = double.CreateChecked(actual[i]);
            Assert.True(Math.Abs(want - got) <= tolerance * (1 + Math.Abs(want)), $"{where}, element {i}: torch {want:R}, Nabla {got:R}");
            i++;
        }
    }
}
