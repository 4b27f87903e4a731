using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A layer or network: a function <see cref="Forward"/> of one tensor, with named parameters and named child modules.
/// Parameter names follow PyTorch's state-dict convention: a module's own parameters by name (<c>weight</c>,
/// <c>bias</c>), children's parameters prefixed with the child's name and a dot (<c>0.weight</c>, <c>2.bias</c>).
/// </summary>
public abstract class Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Computes the module's output from <paramref name="input"/>, recording the graph when gradients are on.</summary>
    public abstract Tensor<T> Forward(Tensor<T> input);

    /// <summary>This module's own parameters (not its children's), in a fixed order, with their local names.</summary>
    protected virtual IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters() => [];

    /// <summary>The direct child modules in a fixed order, with their names.</summary>
    public virtual IEnumerable<(string Name, Module<T> Module)> Children() => [];

    /// <summary>
    /// This module's own buffers: state that is saved and loaded with the parameters but not trained (batch norm's
    /// running statistics), in a fixed order, with their local names.
    /// </summary>
    protected virtual IEnumerable<(string Name, Tensor<T> Buffer)> OwnBuffers() => [];

    /// <summary>
    /// True in training mode (the default), false after <see cref="Eval"/>: <see cref="Dropout{T}"/> then passes its
    /// input through and <see cref="BatchNorm1d{T}"/>/<see cref="BatchNorm2d{T}"/> use their running statistics.
    /// </summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Sets training mode on this module and every descendant; returns this module.</summary>
    public Module<T> Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in Children()) child.Train(training);
        return this;
    }

    /// <summary>Sets evaluation mode (<see cref="IsTraining"/> false) recursively; returns this module.</summary>
    public Module<T> Eval() => Train(false);

    /// <summary>
    /// Every parameter with its full dotted name, own parameters first, then each child's in order (depth first).
    /// The tensors are the live parameters, not copies.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Tensor<T>>> NamedParameters()
    {
        foreach (var (name, p) in OwnParameters()) yield return new(name, p);
        foreach (var (childName, child) in Children())
            foreach (var (name, p) in child.NamedParameters())
                yield return new($"{childName}.{name}", p);
    }

    /// <summary>Every parameter (the live tensors) in <see cref="NamedParameters"/> order; hand this to an optimizer.</summary>
    public IReadOnlyList<Tensor<T>> Parameters() => NamedParameters().Select(kv => kv.Value).ToList();

    /// <summary>Fills every parameter's gradient with zeros in place (keeping the buffers, so steps do not allocate).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>Every buffer with its full dotted name, own buffers first, then each child's in order (the live tensors).</summary>
    public IEnumerable<KeyValuePair<string, Tensor<T>>> NamedBuffers()
    {
        foreach (var (name, b) in OwnBuffers()) yield return new(name, b);
        foreach (var (childName, child) in Children())
            foreach (var (name, b) in child.NamedBuffers())
                yield return new($"{childName}.{name}", b);
    }

    /// <summary>Parameters and buffers in PyTorch's state-dict order: own parameters, own buffers, then each child's.</summary>
    private IEnumerable<KeyValuePair<string, Tensor<T>>> NamedState()
    {
        foreach (var (name, p) in OwnParameters()) yield return new(name, p);
        foreach (var (name, b) in OwnBuffers()) yield return new(name, b);
        foreach (var (childName, child) in Children())
            foreach (var (name, t) in child.NamedState())
                yield return new($"{childName}.{name}", t);
    }

    /// <summary>
    /// The parameters and buffers as an ordered name → tensor map of copies (detached, own storage), so a later
    /// training step does not change a saved state. Names and order are PyTorch's <c>state_dict()</c>'s.
    /// </summary>
    public OrderedDictionary<string, Tensor<T>> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor<T>>();
        foreach (var (name, p) in NamedState()) state.Add(name, new Tensor<T>(p.ToArray(), [.. p.Shape]));
        return state;
    }

    /// <summary>
    /// Copies <paramref name="state"/> into the parameters and buffers in place. Every name of <see cref="StateDict"/>
    /// must be present with its shape and no other names may appear; otherwise nothing is copied and a <see cref="NablaException"/>
    /// lists every missing key, unexpected key and shape mismatch.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor<T>> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var parameters = NamedState().ToList();
        var problems = new List<string>();
        var missing = parameters.Where(kv => !state.ContainsKey(kv.Key)).Select(kv => kv.Key).ToList();
        if (missing.Count > 0) problems.Add("missing keys: " + string.Join(", ", missing.Select(k => $"\"{k}\"")));
        var known = parameters.Select(kv => kv.Key).ToHashSet();
        var unexpected = state.Keys.Where(k => !known.Contains(k)).ToList();
        if (unexpected.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")));
        foreach (var (name, p) in parameters)
            if (state.TryGetValue(name, out var value) && !value.Shape.SequenceEqual(p.Shape))
                problems.Add($"shape mismatch for \"{name}\": the state has {Format(value.Shape)}, the module has {Format(p.Shape)}");
        if (problems.Count > 0)
            throw new NablaException($"cannot load the state dict into {GetType().Name}: " + string.Join("; ", problems));
        using (NoGrad.Scope())
            foreach (var (name, p) in parameters) p.CopyFrom(state[name]);
    }

    private static string Format(IReadOnlyList<int> shape) => "(" + string.Join(", ", shape) + (shape.Count == 1 ? ",)" : ")");

    /// <summary>The module type's name without generic arity (modules with settings override this, e.g. <c>Linear(in_features=3, out_features=4, bias=True)</c>).</summary>
    public override string ToString() => GetType().Name.Split('`')[0];
}
