using Nabla.Nn;
using Nabla.Rng;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void Mlp_names_parameters_as_pytorch_sequential_does()
    {
        var net = Mlp.Create<float>([784, 512, 256, 10], "relu", new RandomState(0));
        Assert.Equal(5, net.Count);
        Assert.IsType<ReLU<float>>(net[1]);
        var names = net.NamedParameters().Select(kv => $"{kv.Key}:{string.Join("x", kv.Value.Shape)}");
        Assert.Equal(new[] { "0.weight:512x784", "0.bias:512", "2.weight:256x512", "2.bias:256", "4.weight:10x256", "4.bias:10" }, names);
        Assert.Equal(6, net.Parameters().Count);
    }

    [Fact]
    public void Mlp_rejects_an_unknown_activation_by_name()
    {
        var e = Assert.Throws<NablaException>(() => Mlp.Create<double>([2, 3, 1], "swishy"));
        Assert.Contains("swishy", e.Message);
    }

    [Fact]
    public void Forward_runs_the_layers_in_order()
    {
        var net = new Sequential<double>(new Linear<double>(2, 2), new ReLU<double>(), new Linear<double>(2, 1, bias: false));
        ((Linear<double>)net[0]).Weight.AsSpan().SetValues(1, -1, 2, 1);   // rows [1, −1], [2, 1]
        ((Linear<double>)net[0]).Bias!.AsSpan().SetValues(0, -10);
        ((Linear<double>)net[2]).Weight.AsSpan().SetValues(3, 5);
        // x = [2, 1]: h = relu([1, 5 − 10]) = [1, 0]; y = 3·1 + 5·0 = 3
        Assert.Equal(3.0, net.Forward(Tensor.FromArray(new[] { 2.0, 1.0 })).ToScalar());
    }

    [Fact]
    public void Train_and_Eval_set_the_flag_on_every_descendant()
    {
        var net = Mlp.Create<double>([2, 3, 1], "tanh");
        net.Eval();
        Assert.All(net.Append(net), m => Assert.False(m.IsTraining));
        net.Train();
        Assert.All(net, m => Assert.True(m.IsTraining));
    }

    [Fact]
    public void StateDict_returns_copies_that_later_training_does_not_change()
    {
        var layer = new Linear<double>(2, 2, new RandomState(1));
        var saved = layer.StateDict();
        double before = saved["weight"].ToArray()[0];
        layer.Weight.AsSpan()[0] += 1;
        Assert.Equal(before, saved["weight"].ToArray()[0]);
        Assert.False(saved["weight"].RequiresGrad);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void State_dict_round_trips_through_a_safetensors_file_bit_exactly(bool useFloat)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-nn-{Guid.NewGuid():N}.safetensors");
        try
        {
            if (useFloat) RoundTrip<float>(path, -0.0f, float.Epsilon);
            else RoundTrip<double>(path, -0.0, double.Epsilon);
        }
        finally { File.Delete(path); }
    }

    private static void RoundTrip<T>(string path, T negativeZero, T subnormal) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var a = Mlp.Create<T>([3, 5, 2], "relu", new RandomState(7));
        a.Parameters()[0].AsSpan()[0] = negativeZero;
        a.Parameters()[0].AsSpan()[1] = subnormal;
        StateDicts.Save(a, path);
        var file = SafetensorsFile.Load(path);
        Assert.Equal(new[] { "0.bias", "0.weight", "2.bias", "2.weight" }, file.Names.Order());
        Assert.Equal(typeof(T) == typeof(float) ? SafeTensorDType.F32 : SafeTensorDType.F64, file.Tensors["0.weight"].DType);
        var b = Mlp.Create<T>([3, 5, 2], "relu", new RandomState(99));
        StateDicts.Load(b, path);
        foreach (var ((name, pa), (_, pb)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            var bitsA = pa.ToArray().Select(v => double.CreateTruncating(v)).Select(BitConverter.DoubleToInt64Bits);
            var bitsB = pb.ToArray().Select(v => double.CreateTruncating(v)).Select(BitConverter.DoubleToInt64Bits);
            Assert.True(bitsA.SequenceEqual(bitsB), name);
        }
    }

    [Fact]
    public void Double_state_saved_as_F32_rounds_to_nearest_float()
    {
        var layer = new Linear<double>(1, 1);
        layer.Weight.AsSpan()[0] = 0.1;
        var st = StateDicts.ToSafeTensors(layer.StateDict(), SafeTensorDType.F32);
        Assert.Equal(0.1f, st[0].ToFloatArray()[0]);
    }

    [Fact]
    public void LoadStateDict_names_missing_and_unexpected_keys_and_shape_mismatches_and_changes_nothing()
    {
        var net = Mlp.Create<double>([3, 4, 2], "relu", new RandomState(1));
        var before = net.Parameters()[0].ToArray();
        var state = net.StateDict();
        state.Remove("2.bias");
        state["0.weight"] = Tensor<double>.Zeros(3, 4);
        state["extra.weight"] = Tensor<double>.Zeros(1);
        var e = Assert.Throws<NablaException>(() => net.LoadStateDict(state));
        Assert.Contains("missing keys: \"2.bias\"", e.Message);
        Assert.Contains("unexpected keys: \"extra.weight\"", e.Message);
        Assert.Contains("shape mismatch for \"0.weight\": the state has (3, 4), the module has (4, 3)", e.Message);
        Assert.Equal(before, net.Parameters()[0].ToArray());
    }

    [Fact]
    public void ZeroGrad_zeros_every_parameter_gradient_in_place()
    {
        var net = Mlp.Create<double>([2, 3, 1], "sigmoid", new RandomState(2));
        net.Forward(Tensor.FromArray(new[] { 1.0, 2.0 }, 1, 2)).Sum().Backward();
        var buffer = net.Parameters()[0].Grad!;
        Assert.Contains(buffer.ToArray(), v => v != 0);
        net.ZeroGrad();
        Assert.Same(buffer, net.Parameters()[0].Grad);
        Assert.All(net.Parameters(), p => Assert.All(p.Grad!.ToArray(), v => Assert.Equal(0.0, v)));
    }

    [Fact]
    public void Activation_modules_compute_their_functions()
    {
        var x = Tensor.FromArray(new[] { -1.0, 0.0, 2.0 });
        Assert.Equal(new[] { 0.0, 0.0, 2.0 }, new ReLU<double>().Forward(x).ToArray());
        Assert.Equal(1 / (1 + Math.Exp(1)), new Sigmoid<double>().Forward(x).ToArray()[0], 15);
        Assert.Equal(Math.Tanh(2), new Tanh<double>().Forward(x).ToArray()[2], 15);
        Assert.Equal(Math.Sin(-1), new Sin<double>().Forward(x).ToArray()[0], 15);
        Assert.Same(x, new Identity<double>().Forward(x));
        var p = new Softmax<double>().Forward(x).ToArray();
        double s = Math.Exp(-1) + 1 + Math.Exp(2);
        Assert.Equal(Math.Exp(2) / s, p[2], 15);
    }
}

internal static class SpanExtensions
{
    public static void SetValues(this Span<double> span, params double[] values) => values.CopyTo(span);
}
