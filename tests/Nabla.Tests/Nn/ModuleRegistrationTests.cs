using Nabla.Nn;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Tests.Nn;

/// <summary>
/// A module subclass with no registration code: its fields are its children and parameters, named as PyTorch names
/// attributes (each rule of <see cref="Module{T}"/>'s docs has a test here).
/// </summary>
public class ModuleRegistrationTests
{
    private sealed class Net : Module<float>
    {
        private readonly Linear<float> fc1 = new(4, 8);
        private readonly List<Linear<float>> hidden = [new(8, 8), new(8, 8)];
        private readonly List<List<Linear<float>>> grid = [[new(8, 8)], [new(8, 8), new(8, 8)]];
        private readonly Tensor<float> scale = Tensor<float>.Ones(8).RequireGrad();

        public override Tensor<float> Forward(Tensor<float> x)
        {
            x = fc1.Call(x).Relu();
            foreach (var layer in hidden) x = layer.Call(x).Relu();
            foreach (var row in grid)
                foreach (var layer in row) x = layer.Call(x).Tanh();
            return x * scale;
        }
    }

    private static string[] Names<T>(IEnumerable<KeyValuePair<string, T>> named) => [.. named.Select(kv => kv.Key)];

    [Fact]
    public void Fields_lists_and_nested_lists_are_found_and_named_as_pytorch_names_them()
    {
        var net = new Net();
        string[] expected =
        [
            "scale", "fc1.weight", "fc1.bias", "hidden.0.weight", "hidden.0.bias", "hidden.1.weight", "hidden.1.bias",
            "grid.0.0.weight", "grid.0.0.bias", "grid.1.0.weight", "grid.1.0.bias", "grid.1.1.weight", "grid.1.1.bias",
        ];
        Assert.Equal(expected, Names(net.NamedParameters()));
        Assert.Equal(expected, net.StateDict().Keys.ToArray());
        Assert.Equal(13, net.Parameters().Count);
        Assert.Equal(8 + (4 * 8 + 8) + 5 * (8 * 8 + 8), net.Parameters().Sum(p => p.ElementCount));
    }

    [Fact]
    public void Train_Eval_and_ZeroGrad_reach_modules_held_in_lists()
    {
        var net = new Net();
        var grid = net.NamedModules().Where(kv => kv.Key.StartsWith("grid.1.", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        Assert.Equal(2, grid.Count);
        net.Eval();
        Assert.All(net.Modules(), m => Assert.False(m.IsTraining));
        Assert.All(grid, m => Assert.False(m.IsTraining));
        net.Train();
        Assert.All(grid, m => Assert.True(m.IsTraining));
        net.Forward(Tensor<float>.Ones(2, 4)).Sum().Backward();
        var last = (Linear<float>)grid[1];
        Assert.Contains(last.Weight.Grad!.ToArray(), v => v != 0);
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.All(p.Grad!.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void A_state_dict_loads_into_a_second_instance_and_gives_the_same_output()
    {
        var a = new Net();
        var b = new Net();
        var x = new Tensor<float>([.. Enumerable.Range(0, 12).Select(i => MathF.Sin(i))], 3, 4);
        Assert.NotEqual(a.Forward(x).ToArray(), b.Forward(x).ToArray());
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
    }

    private class Base : Module<double>
    {
        private readonly Linear<double> _first = new(1, 1);
        public override Tensor<double> Forward(Tensor<double> x) => x;
    }

    private sealed class Derived(Linear<double> captured) : Base
    {
        private readonly Linear<double> _second = new(1, 2);
        public Linear<double> Third { get; } = new(2, 3, bias: false);
        [StateName("c_attn")] private readonly Linear<double> attention = new(3, 3);
        [StateName("c_proj")] public Linear<double> Projection { get; } = new(3, 1);
        [NotRegistered] private readonly Linear<double> borrowed = new(5, 5);
        [NotRegistered] public Linear<double> BorrowedToo { get; } = new(5, 5);
        private readonly Linear<double>? absent = null;
        private readonly Tensor<double> notTrained = Tensor<double>.Ones(2);
        private readonly Linear<double>[] array = [new(1, 1)];
        private readonly IReadOnlyList<Module<double>> readOnly = [new ReLU<double>(), new Linear<double>(1, 1)];
        private readonly int width = 3;

        public override Tensor<double> Forward(Tensor<double> x) =>
            captured.Forward(BorrowedToo.Forward(borrowed.Forward(x))) + notTrained.Sum() * (absent is null ? width : 0) + array.Length + readOnly.Count;
    }

    [Fact]
    public void Base_fields_come_first_and_underscores_properties_attributes_and_captured_parameters_name_as_documented()
    {
        var net = new Derived(new Linear<double>(5, 5, bias: false));
        Assert.Equal(
            ["first", "captured", "second", "Third", "c_attn", "c_proj", "array", "readOnly"],
            net.Children().Select(c => c.Name));
        Assert.Equal(
            ["first.weight", "first.bias", "captured.weight", "second.weight", "second.bias", "Third.weight", "c_attn.weight",
             "c_attn.bias", "c_proj.weight", "c_proj.bias", "array.0.weight", "array.0.bias", "readOnly.1.weight", "readOnly.1.bias"],
            Names(net.NamedParameters()));
    }

    private sealed class Registered : Module<double>
    {
        private readonly Linear<double> fixedLayer = new(2, 2);

        public Registered(int blocks)
        {
            for (int i = 0; i < blocks; i++) RegisterModule($"block{i}", new Linear<double>(2, 2));
            Frozen = RegisterParameter("frozen", Tensor<double>.Ones(3));
            Steps = RegisterBuffer("steps", Tensor<double>.Zeros());
        }

        public Tensor<double> Frozen { get; }
        [NotRegistered] public Tensor<double> Steps { get; }

        public override Tensor<double> Forward(Tensor<double> x) => fixedLayer.Forward(x);

        public void Register(string name) => RegisterModule(name, new ReLU<double>());
        public void RegisterComputed() => RegisterParameter("computed", Tensor<double>.Ones(2).RequireGrad() * 2.0);
    }

    [Fact]
    public void Registered_modules_parameters_and_buffers_follow_the_fields_and_buffers_are_saved_but_not_trained()
    {
        var net = new Registered(2);
        Assert.Equal(["fixedLayer", "block0", "block1"], net.Children().Select(c => c.Name));
        Assert.Equal(
            ["frozen", "fixedLayer.weight", "fixedLayer.bias", "block0.weight", "block0.bias", "block1.weight", "block1.bias"],
            Names(net.NamedParameters()));
        Assert.Equal(["steps"], Names(net.NamedBuffers()));
        Assert.Equal(["frozen", "steps", "fixedLayer.weight"], net.StateDict().Keys.Take(3));
        Assert.DoesNotContain(net.Parameters(), p => ReferenceEquals(p, net.Steps));
        var summary = net.Summary(1, 2);
        Assert.Equal(3 + 3 * 6, summary.TotalParameters);
        Assert.Equal(3 * 6, summary.TrainableParameters);   // "frozen" has RequiresGrad cleared
    }

    [Fact]
    public void Registering_a_taken_or_dotted_name_or_a_computed_tensor_is_refused_with_the_name()
    {
        var net = new Registered(1);
        var e = Assert.Throws<NablaArgumentException>(() => net.Register("fixedLayer"));
        Assert.Equal("name", e.Parameter);
        Assert.Contains("Registered already has a member named \"fixedLayer\"", e.Message);
        Assert.Contains("\"block0\"", Assert.Throws<NablaArgumentException>(() => net.Register("block0")).Message);
        Assert.Contains("\"steps\"", Assert.Throws<NablaArgumentException>(() => net.Register("steps")).Message);
        Assert.Contains("must not contain \".\"", Assert.Throws<NablaArgumentException>(() => net.Register("a.b")).Message);
        Assert.Contains("must not be empty", Assert.Throws<NablaArgumentException>(() => net.Register("")).Message);
        Assert.Contains("not a leaf", Assert.Throws<NablaArgumentException>(net.RegisterComputed).Message);
        Assert.Equal(["fixedLayer", "block0"], net.Children().Select(c => c.Name));
    }

    private sealed class Clash : Module<double>
    {
        private readonly Linear<double> _fc = new(1, 1);
        private readonly Linear<double> fc = new(1, 1);
        public override Tensor<double> Forward(Tensor<double> x) => fc.Forward(_fc.Forward(x));
    }

    private sealed class BadRename : Module<double>
    {
        [StateName("a.b")] private readonly Linear<double> fc = new(1, 1);
        public override Tensor<double> Forward(Tensor<double> x) => fc.Forward(x);
    }

    private sealed class RenamedNumber : Module<double>
    {
        [StateName("n")] private readonly int count = 1;
        public override Tensor<double> Forward(Tensor<double> x) => x * count;
    }

    private sealed class HoldsNull : Module<double>
    {
        private readonly List<Linear<double>?> layers = [new(1, 1), null];
        public override Tensor<double> Forward(Tensor<double> x) => layers[0]!.Forward(x);
    }

    private sealed class HoldsDictionary : Module<double>
    {
        private readonly Dictionary<string, Linear<double>> layers = new() { ["a"] = new(1, 1) };
        public override Tensor<double> Forward(Tensor<double> x) => layers["a"].Forward(x);
    }

    [Fact]
    public void Two_fields_with_one_name_a_dotted_rename_a_renamed_non_module_a_null_in_a_list_and_a_dictionary_are_errors_that_say_where()
    {
        var e = Assert.Throws<NablaException>(() => new Clash().Parameters());
        Assert.Contains("two members named \"fc\" (Clash._fc and Clash.fc)", e.Message);
        Assert.Contains("BadRename.fc has [StateName(\"a.b\")]", Assert.Throws<NablaException>(() => new BadRename().Parameters()).Message);
        Assert.Contains("RenamedNumber.count has [StateName(\"n\")] but holds a Int32", Assert.Throws<NablaException>(() => new RenamedNumber().Parameters()).Message);
        Assert.Contains("HoldsNull.layers[1] is null", Assert.Throws<NablaException>(() => new HoldsNull().Parameters()).Message);
        Assert.Contains("HoldsDictionary.layers holds a dictionary of modules", Assert.Throws<NablaException>(() => new HoldsDictionary().Parameters()).Message);
    }

    private sealed class Head(Tensor<double> weight) : Module<double>
    {
        public override Tensor<double> Forward(Tensor<double> x) => Tensor<double>.Linear(x, weight, null);
    }

    private sealed class Tied : Module<double>
    {
        private readonly Embedding<double> wte = new(5, 3, new RandomState(1));
        private readonly Head head;
        private readonly Linear<double> a = new(2, 2, new RandomState(2));
        private readonly Linear<double> b;

        public Tied() => (head, b) = (new Head(wte.Weight), a);

        public override Tensor<double> Forward(Tensor<double> x) => head.Forward(x);
    }

    [Fact]
    public void A_tied_tensor_is_one_parameter_under_its_first_name_and_saved_under_every_name()
    {
        var net = new Tied();
        Assert.Equal(["wte.weight", "a.weight", "a.bias"], Names(net.NamedParameters()));
        Assert.Equal(3, net.Parameters().Count);
        Assert.Equal(["wte.weight", "head.weight", "a.weight", "a.bias", "b.weight", "b.bias"], net.StateDict().Keys.ToArray());
        Assert.Equal(["", "wte", "head", "a"], Names(net.NamedModules()));
        var state = net.StateDict();
        state["head.weight"] = state["wte.weight"];
        net.LoadStateDict(state);
    }

    [Fact]
    public void Apply_visits_children_before_their_parent_and_each_module_once()
    {
        var shared = new Linear<double>(2, 2, new RandomState(3));
        var inner = new Sequential<double>(shared, new ReLU<double>());
        var net = new Sequential<double>(inner, shared);
        var visited = new List<Module<double>>();
        Assert.Same(net, net.Apply(visited.Add));
        Assert.Equal<Module<double>>([shared, inner[1], inner, net], visited);
        Assert.Equal(["", "0", "0.0", "0.1"], Names(net.NamedModules()));
    }
}
