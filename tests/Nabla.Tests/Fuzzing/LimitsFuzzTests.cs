using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Nabla.Data;
using Nabla.Formulas;
using Nabla.Nn;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Cli;
using Nabla.Tests.Data;
using Nabla.Tests.Reliability;
using Nabla.Training;

namespace Nabla.Tests.Fuzzing;

/// <summary>
/// Fixed-seed, bounded campaigns over the input paths the limits guard: <c>--layers</c> descriptions, IDX files, model
/// files of every architecture with damaged tensors, and second derivatives of formulas with huge intermediates. Each
/// input must give a valid result (checked by an oracle) or a NablaException; an escape, a wrong result, an
/// allocation past the budget or exit 70 fails the campaign.
/// </summary>
[Trait("Category", "Fuzz")]
public class LimitsFuzzTests
{
    private static readonly Gen<string> Size = Gen.Frequency(
        (8, Gen.Choose(1, 6).Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Elements("0", "-1", "2.5", "65536", "100000", "1048576", "1048577", "2147483647", "1e9", "x")));

    private static readonly Gen<string> Layer = Gen.OneOf(
        from o in Size from k in Size select $"conv {o} {k}",
        from o in Size from k in Size from key in Gen.Elements("stride", "padding", "dilation", "groups") from v in Size select $"conv {o} {k} {key}={v}",
        from k in Size select $"maxpool {k}",
        from k in Size from p in Size select $"avgpool {k} padding={p}",
        Gen.Constant("flatten"), Gen.Constant("batchnorm"), Gen.Constant("layernorm"), Gen.Constant("relu"), Gen.Constant("softmax"),
        from o in Size select $"linear {o}",
        from n in Size from d in Size select $"embedding {n} {d}");

    private static readonly Gen<(string Layers, int[] Shape)> Descriptions =
        from layers in Gen.Choose(1, 5).SelectMany(n => Layer.ListOf(n))
        from shape in Gen.Elements(new[] { 3, 8, 8 }, new[] { 16 }, new[] { 1, 5, 5 })
        select (string.Join(", ", layers), shape);

    [Fact]
    public void Layer_descriptions_build_a_network_that_runs_or_are_refused_cleanly()
    {
        var stats = Fuzz.Run("--layers limits", Descriptions, 300, seed: 41, d =>
        {
            var (network, output) = Architecture.Build<float>(d.Layers, d.Shape, new RandomState(0));
            using var _ = NoGrad.Scope();
            var y = network.Forward(Tensor<float>.Zeros([1, .. d.Shape]));
            return y.Shape.Skip(1).SequenceEqual(output) && y.ToArray().All(float.IsFinite) ? Outcome.Valid : Outcome.WrongResult;
        }, d => $"{d.Layers} on {string.Join("x", d.Shape)}", allocationBudget: 600_000_000);
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    /// <summary>Sizes that train in moments, or that the limits must refuse: no legal-but-heavy network reaches the CLI.</summary>
    private static readonly Gen<string> SmallOrRefused = Gen.Frequency(
        (6, Gen.Choose(1, 4).Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Elements("0", "1048576", "1048577", "2147483647", "1e9", "99999999999")));

    private static readonly Gen<string> CliLayer = Gen.OneOf(
        from o in SmallOrRefused from k in SmallOrRefused select $"conv {o} {k}",
        from o in SmallOrRefused from p in SmallOrRefused select $"conv 2 3 padding={p} dilation={o}",
        from k in SmallOrRefused select $"maxpool {k}",
        Gen.Constant("flatten"), Gen.Constant("batchnorm"), Gen.Constant("relu"),
        from o in SmallOrRefused select $"linear {o}");

    [Fact]
    public void The_train_command_never_exits_70_on_a_layer_description()
    {
        var gen = Gen.Choose(1, 4).SelectMany(n => CliLayer.ListOf(n)).Select(l => string.Join(", ", l) + ", flatten, linear 4");
        var stats = Fuzz.Run("train --layers", gen, 40, seed: 45, layers =>
        {
            var (exit, _, error) = CliRunner.Run("train", "--dataset", "shapes", "--samples", "8", "--epochs", "1", "--batch-size", "4", "--layers", layers);
            if (exit is not (0 or 2) || error.Contains("internal error")) return Outcome.WrongResult;
            return exit == 0 ? Outcome.Valid : Outcome.CleanError;
        }, layers => layers, allocationBudget: 600_000_000);
        Assert.True(stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly Gen<int> Dim = Gen.Frequency((8, Gen.Choose(0, 4)), (1, Gen.Elements(28, 1 << 13, 65535, int.MaxValue, -1)));

    private static readonly Gen<(byte[] Images, byte[] Labels, bool Gzip)> IdxPairs =
        from type in Gen.Elements<byte>(0x08, 0x08, 0x0B, 0x0D, 0x0E, 0x07)
        from dims in Dim.ListOf().Select(l => l.Take(5).ToArray())
        from count in Gen.Choose(0, 4)
        from consistent in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from extra in Gen.Choose(0, 40)
        from poison in Gen.Elements(0.0, 0.0, double.NaN, double.PositiveInfinity, 1e300)
        from labels in Gen.Elements(0, 1, 2, 999, 1000, 65535).ListOf()
        from gzip in Gen.Elements(false, true)
        select (Images(type, [count, .. dims.Take(3)], consistent ? -1 : extra, poison), Labels(count, [.. labels]), gzip);

    private static byte[] Images(byte type, int[] dims, int length, double poison)
    {
        int size = type switch { 0x08 => 1, 0x0B => 2, 0x0D => 4, 0x0E => 8, _ => 1 };
        long count = dims.Aggregate(1L, (a, d) => a * Math.Max(d, 0));
        var data = new byte[length >= 0 ? length : (int)Math.Min(count * size, 1 << 16)];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 37);
        if (poison != 0 && type == 0x0E && data.Length >= 8) System.Buffers.Binary.BinaryPrimitives.WriteDoubleBigEndian(data, poison);
        if (poison != 0 && type == 0x0D && data.Length >= 4) System.Buffers.Binary.BinaryPrimitives.WriteSingleBigEndian(data, (float)poison);
        return IdxWriter.Bytes(type, dims, data);
    }

    private static byte[] Labels(int count, int[] labels)
    {
        var data = new byte[2 * count];
        for (int i = 0; i < count; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2 * i), (ushort)(labels.Length == 0 ? i % 2 : labels[i % labels.Length]));
        return IdxWriter.Bytes(0x0B, [count], data);
    }

    [Fact]
    public void IDX_files_load_finite_bounded_data_or_are_refused_cleanly()
    {
        using var dir = new IO.TempDirectory();
        var stats = Fuzz.Run("idx limits", IdxPairs, 300, seed: 42, f =>
        {
            var images = IdxWriter.Write(dir.File("images"), f.Images, f.Gzip);
            var labels = IdxWriter.Write(dir.File("labels"), f.Labels, f.Gzip);
            var data = IdxImages.Load(images, labels);
            bool ok = data.Rows > 0 && data.Classes.Count <= Limits.MaxClasses && data.Image!.Value.Size > 0 && data.Features.Values.All(double.IsFinite);
            return ok ? Outcome.Valid : Outcome.WrongResult;
        }, f => $"{Convert.ToHexString(f.Images.AsSpan(0, Math.Min(24, f.Images.Length)))} labels {Convert.ToHexString(f.Labels.AsSpan(0, Math.Min(16, f.Labels.Length)))} gzip={f.Gzip}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    /// <summary>One small trained model per architecture kind, float32 and float64 alternating.</summary>
    private static readonly Lazy<byte[][]> Models = new(() =>
    {
        string[][] runs =
        [
            ["--dataset", "moons", "--samples", "40", "--hidden", "3", "--dtype", "float32"],
            ["--dataset", "shapes", "--samples", "16", "--layers", "conv 2 3 padding=1, relu, maxpool 2, batchnorm, flatten, linear 4"],
            ["--dataset", "shapes", "--samples", "16", "--layers", "avgpool 2, flatten, layernorm, dropout 0.2, linear 6, tanh, batchnorm, linear 4", "--dtype", "float32"],
            ["--dataset", "shapes", "--samples", "16", "--layers", "conv 3 5 stride=2 dilation=1 groups=1, sigmoid, avgpool 2 padding=1, flatten, linear 4, softmax, linear 4"],
        ];
        using var dir = new IO.TempDirectory();
        return [.. runs.Select((args, i) =>
        {
            var path = dir.File($"m{i}.safetensors");
            var (exit, _, error) = CliRunner.Run(["train", .. args, "--epochs", "1", "--save", path]);
            Assert.True(exit == 0, error);
            return File.ReadAllBytes(path);
        })];
    });

    private static readonly Gen<(int Model, int Tensor, int Element, double Value)> Damage =
        from model in Gen.Choose(0, 3)
        from tensor in Gen.Choose(0, 40)
        from element in Gen.Choose(0, 1000)
        from value in Gen.Elements(double.NaN, double.PositiveInfinity, 3e38, -3e38, 1e300, -1, -1e-3, 0, 1e10, 1e19, 65504)
        select (model, tensor, element, value);

    [Fact]
    public void Damaged_model_files_of_every_architecture_load_only_when_they_predict_finite_values()
    {
        var models = Models.Value;
        using var dir = new IO.TempDirectory();
        var stats = Fuzz.Run("model limits", Damage, 200, seed: 43, d =>
        {
            var source = SafetensorsFile.Parse(models[d.Model], "model");
            string name = source.Names[d.Tensor % source.Names.Count];
            var bytes = Files.Edit(models[d.Model], new Dictionary<string, string?>(), t =>
            {
                // Floating-point tensors only: num_batches_tracked is an integer the harness cannot set to NaN.
                if (t.Name != name || t.ElementCount == 0 || t.DType is not (SafeTensorDType.F32 or SafeTensorDType.F64)) return t;
                var v = t.ToDoubleArray();
                v[d.Element % v.Length] = d.Value;
                return t.DType == SafeTensorDType.F32 ? SafeTensor.FromFloats(t.Name, [.. t.Shape], Array.ConvertAll(v, x => (float)x))
                    : SafeTensor.FromDoubles(t.Name, [.. t.Shape], v, t.DType);
            });
            var path = dir.File("m.safetensors");
            File.WriteAllBytes(path, bytes);
            var model = ModelFile.Load(path);
            // Rows at the training mean and one standard deviation either side: the load's probe covers them.
            var s = model.Standardizer;
            int k = s.Features;
            var rows = new double[3 * k];
            for (int j = 0; j < k; j++) (rows[j], rows[k + j], rows[2 * k + j]) = (s.Means[j], s.Means[j] + s.Stds[j], s.Means[j] - s.Stds[j]);
            var p = model.Predictor.Predict(rows, 3);
            return p.Values.All(double.IsFinite) && (p.Probabilities ?? []).All(double.IsFinite) ? Outcome.Valid : Outcome.WrongResult;
        }, d => $"model {d.Model}, tensor #{d.Tensor}, element {d.Element} = {d.Value:R}");
        Assert.True(stats.Valid > 0 && stats.CleanErrors > 0, stats.ToString());
    }

    private static readonly Gen<string> Term = Gen.OneOf(
        from k in Gen.Elements(0, 50, 100, 154, 155, 200, 250, 300) from v in Gen.Elements("x", "y", "x*y") select $"log({v}*1e{k})",
        from k in Gen.Elements(100, 200, 300) select $"x*log(y*1e{k})",
        Gen.Elements("x*y", "sin(x*y)", "exp(x/4)", "x*x*y", "sqrt(x+y)"));

    private static readonly Gen<(string Text, double X, double Y)> Formulas =
        from terms in Gen.Choose(1, 3).SelectMany(n => Term.ListOf(n))
        from x in Gen.Choose(2, 30) from y in Gen.Choose(2, 30)
        select (string.Join(" + ", terms), x / 10.0, y / 10.0);

    /// <summary>∂f/∂v at (x, y) by reverse mode, for the central differences of the gradient.</summary>
    private static double[] Gradient(string text, double x, double y)
    {
        var graph = Formula.Parse(text).Evaluate(new Dictionary<string, double> { ["x"] = x, ["y"] = y });
        graph.Output.Backward();
        return [graph.Variables.TryGetValue("x", out var vx) ? vx.Grad : 0, graph.Variables.TryGetValue("y", out var vy) ? vy.Grad : 0];
    }

    [Fact]
    public void Hessians_match_central_differences_of_the_gradient_whatever_the_scale_of_intermediates()
    {
        var stats = Fuzz.Run("hessian limits", Formulas, 300, seed: 44, f =>
        {
            var graph = Formula.Parse(f.Text).Evaluate(new Dictionary<string, double> { ["x"] = f.X, ["y"] = f.Y });
            var names = new[] { "x", "y" }.Where(graph.Variables.ContainsKey).ToList();
            var h = graph.Output.Hessian([.. names.Select(n => graph.Variables[n])]);
            for (int i = 0; i < names.Count; i++)
            {
                double step = 1e-5;
                var plus = Gradient(f.Text, f.X + (names[i] == "x" ? step : 0), f.Y + (names[i] == "y" ? step : 0));
                var minus = Gradient(f.Text, f.X - (names[i] == "x" ? step : 0), f.Y - (names[i] == "y" ? step : 0));
                for (int j = 0; j < names.Count; j++)
                {
                    int g = names[j] == "x" ? 0 : 1;
                    double numeric = (plus[g] - minus[g]) / (2 * step);
                    if (!(Math.Abs(h[i, j] - numeric) <= 1e-4 * (1 + Math.Abs(numeric)))) return Outcome.WrongResult;
                }
            }
            var (exit, _, _) = CliRunner.Run("grad", f.Text, "--at", $"x={f.X:R},y={f.Y:R}", "--hessian", "--json");
            return exit is 0 or 3 ? Outcome.Valid : Outcome.WrongResult;
        }, f => $"{f.Text} at x={f.X:R}, y={f.Y:R}");
        Assert.Equal(stats.Tried, stats.Valid);
    }
}
