using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>ModuleList and ModuleDict, forward hooks through Call, and type names without generic arity.</summary>
public class ModuleContainerTests
{
    private static Linear<double> Layer(int seed) => new(2, 2, new RandomState((uint)seed));

    [Fact]
    public void A_module_list_names_its_modules_by_position_and_renumbers_after_an_insert()
    {
        var list = new ModuleList<double>(Layer(1), new ReLU<double>());
        list.Insert(0, Layer(2));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], list.NamedParameters().Select(kv => kv.Key));
        Assert.Same(list[0], list.Children().First().Module);
        Assert.Equal(3, list.Count);
        var e = Assert.Throws<NablaException>(() => list.Forward(Tensor<double>.Zeros(1, 2)));
        Assert.Contains("iterate it", e.Message);
        var bad = Assert.Throws<NablaArgumentException>(() => list[3]);
        Assert.Equal("index", bad.Parameter);
        Assert.Contains("index is 3; it must be in [0, 3)", bad.Message);
        Assert.Throws<ArgumentNullException>(() => list.Add(null!));
    }

    [Fact]
    public void A_module_dict_keeps_insertion_order_and_refuses_dotted_repeated_and_missing_keys()
    {
        var dict = new ModuleDict<double> { { "encoder", Layer(1) }, { "decoder", Layer(2) } };
        Assert.Equal(["encoder.weight", "encoder.bias", "decoder.weight", "decoder.bias"], dict.NamedParameters().Select(kv => kv.Key));
        Assert.Contains("must not contain \".\"", Assert.Throws<NablaArgumentException>(() => dict.Add("a.b", Layer(3))).Message);
        Assert.Contains("already has the key \"encoder\"", Assert.Throws<NablaArgumentException>(() => dict.Add("encoder", Layer(3))).Message);
        var missing = Assert.Throws<NablaArgumentException>(() => dict["head"]);
        Assert.Contains("no key \"head\"; its keys are \"encoder\", \"decoder\"", missing.Message);
        Assert.Contains("look its modules up by key", Assert.Throws<NablaException>(() => dict.Forward(Tensor<double>.Zeros(1))).Message);
        dict["encoder"] = new ReLU<double>();
        Assert.Equal(["encoder", "decoder"], dict.Keys);
    }

    [Fact]
    public void Forward_hooks_see_each_call_in_order_and_stop_after_dispose()
    {
        var layer = Layer(4);
        var seen = new List<string>();
        var first = layer.RegisterForwardHook((m, x, y) => seen.Add($"a {x.Shape[0]}->{y.Shape[1]}"));
        using var second = layer.RegisterForwardHook((m, x, y) => seen.Add($"b {ReferenceEquals(m, layer)}"));
        layer.Call(Tensor<double>.Zeros(3, 2));
        first.Dispose();
        first.Dispose();   // a second dispose does nothing
        layer.Call(Tensor<double>.Zeros(1, 2));
        layer.Forward(Tensor<double>.Zeros(1, 2));   // Forward bypasses hooks
        Assert.Equal(["a 3->2", "b True", "b True"], seen);
    }

    [Fact]
    public void A_sequential_with_a_hooked_layer_calls_every_layer_and_gives_the_fused_values_and_gradients()
    {
        var fused = new Sequential<double>(Layer(5), new ReLU<double>(), Layer(6), new Tanh<double>());
        var hooked = new Sequential<double>(Layer(5), new ReLU<double>(), Layer(6), new Tanh<double>());
        var calls = new List<string>();
        foreach (var layer in hooked) layer.RegisterForwardHook((m, _, y) => calls.Add($"{m.GetType().Name[..4]} [{string.Join(", ", y.Shape)}]"));
        var x = new Tensor<double>([0.3, -1.2, 0.7, 0.1, -0.4, 2.0], 3, 2);
        var yFused = fused.Forward(x);
        var yHooked = hooked.Forward(x);
        Assert.Equal(yFused.ToArray(), yHooked.ToArray());
        Assert.Equal(["Line [3, 2]", "ReLU [3, 2]", "Line [3, 2]", "Tanh [3, 2]"], calls);
        yFused.Sum().Backward();
        yHooked.Sum().Backward();
        foreach (var (p, q) in fused.Parameters().Zip(hooked.Parameters())) Assert.Equal(p.Grad!.ToArray(), q.Grad!.ToArray());
    }

    [Fact]
    public void Messages_and_text_name_generic_modules_without_their_arity()
    {
        var net = new Sequential<double>(Layer(1));
        var state = net.StateDict();
        state.Remove("0.bias");
        var e = Assert.Throws<NablaException>(() => net.LoadStateDict(state));
        Assert.StartsWith("cannot load the state dict into Sequential: missing keys: \"0.bias\"", e.Message);
        Assert.Equal("Sequential()", new Sequential<float>().ToString());
        Assert.Equal("ModuleList()", new ModuleList<float>().ToString());
        Assert.StartsWith("BatchNorm1d(2) needs input", Assert.Throws<NablaException>(() => new BatchNorm1d<float>(2).Forward(Tensor<float>.Zeros(2, 3))).Message);
    }

    [Fact]
    public void A_nested_sequential_prints_indented_as_pytorch_does()
    {
        var net = new Sequential<float>(new Sequential<float>(new ReLU<float>()), new Tanh<float>());
        Assert.Equal("Sequential(\n  (0): Sequential(\n    (0): ReLU()\n  )\n  (1): Tanh()\n)", net.ToString());
    }
}
