using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// The root of every <see cref="Module{T}"/> whatever its element type. It exists for one reason: it carries the
/// <see cref="DynamicallyAccessedMembersAttribute"/> (fields and properties) that makes a module's fields readable by
/// reflection in a trimmed or Native AOT program. The annotation applies to every derived type, and the result of
/// <c>GetType()</c> on a module flows to the field discovery through an annotated return, which is what tells the AOT
/// compiler to keep those fields. On the generic <see cref="Module{T}"/> itself the annotation compiled without a warning
/// yet kept nothing (checked with .NET 10's compiler: a published program found no fields), so it lives here.
/// </summary>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields |
                            DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties)]
public abstract class Module
{
    /// <summary>For <see cref="Module{T}"/> only: a module class derives from <see cref="Module{T}"/>, never from this type directly.</summary>
    protected Module() { }

    /// <summary>This module's runtime type, annotated so the trimmer keeps the fields and properties discovery reads.</summary>
    [return: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields |
                                        DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties)]
    private protected Type DiscoverableType() => GetType();
}

/// <summary>
/// A layer or network: a function <see cref="Forward"/> of one tensor, with named parameters, buffers and child modules.
/// Names follow PyTorch's state-dict convention: a module's own parameters by name (<c>weight</c>, <c>bias</c>),
/// children's prefixed with the child's name and a dot (<c>fc1.weight</c>, <c>hidden.0.bias</c>).
/// <para>
/// <b>What a module holds is found from its fields</b>, as PyTorch finds it from attribute assignments, so a subclass
/// needs no registration code. The instance fields are read, base-class fields first, then in declaration order:
/// a field whose value is a <see cref="Module{T}"/> is a child named by the field; a field holding a collection of
/// modules (a one-dimensional array, <c>List</c>, <c>IList</c>, <c>IReadOnlyList</c>, <c>ICollection</c>,
/// <c>IReadOnlyCollection</c> or <c>IEnumerable</c> of modules, or of such collections) is a child
/// <see cref="ModuleList{T}"/> whose modules are named by position (<c>hidden.0</c>, <c>grid.1.0</c>), as PyTorch's
/// <c>nn.ModuleList</c>; a <see cref="Tensor{T}"/> field whose <see cref="Tensor{T}.RequiresGrad"/> is set is a
/// parameter (PyTorch's <c>nn.Parameter</c>); a field holding null is skipped (a <see cref="Linear{T}"/> without
/// bias); other fields are ignored. A leading underscore is dropped (<c>_fc1</c> is <c>fc1</c>), an auto-property is
/// named by the property and a captured primary-constructor parameter by the parameter (such a field comes first among
/// its class's fields, as the class header declares it); <see cref="StateNameAttribute"/>
/// on a field or auto-property renames it (<c>[StateName("c_attn")]</c>) and <see cref="NotRegisteredAttribute"/>
/// excludes it. Two members with one name are an error naming both, and so is a field holding a dictionary of modules
/// (use <see cref="ModuleDict{T}"/>). The field list is found once per type; values are read on every call, so a field
/// assigned later is seen. For members known only at run time a subclass calls <see cref="RegisterModule"/>,
/// <see cref="RegisterParameter"/> and <see cref="RegisterBuffer"/>; they come after the field-held ones. The defaults
/// of <see cref="Children"/>, <see cref="OwnParameters"/> and <see cref="OwnBuffers"/> yield both; an override replaces
/// them. Built-in layers override <see cref="OwnParameters"/> (and the containers <see cref="Children"/>), so their
/// parameters are never read through reflection.
/// </para>
/// <para>
/// <b>Why fields are read by reflection.</b> The alternatives each cost the user something: an explicit register call
/// per member forgets a member silently (the failure this design removes), and a source generator would force
/// <c>partial</c> on every user module. Reflection stays safe under trimming and Native AOT through the non-generic
/// <see cref="Module"/> this type derives from, whose <see cref="DynamicallyAccessedMembersAttribute"/> for fields and
/// properties is inherited by every module class, so the trimmer keeps their fields (see <see cref="Module"/> for why
/// the annotation is not on this generic type).
/// </para>
/// </summary>
public abstract partial class Module<T> : Module where T : unmanaged, IFloatingPointIeee754<T>
{
    private Action<Module<T>, Tensor<T>, Tensor<T>>[]? _forwardHooks;

    /// <summary>
    /// Computes the module's output from <paramref name="input"/>, recording the graph when gradients are on. Modules
    /// calling their children should use <see cref="Call"/> (PyTorch's <c>module(x)</c>) so forward hooks see them.
    /// </summary>
    public abstract Tensor<T> Forward(Tensor<T> input);

    /// <summary>
    /// <see cref="Forward"/>(<paramref name="input"/>), then every forward hook (<see cref="RegisterForwardHook"/>) in
    /// registration order with this module, the input and the output, as PyTorch's <c>module(x)</c>. A child called
    /// through <see cref="Forward"/> directly is invisible to hooks (and has no shape in <see cref="Summary"/>). Without
    /// hooks this costs one null check over <see cref="Forward"/>.
    /// </summary>
    public Tensor<T> Call(Tensor<T> input)
    {
        var hooks = _forwardHooks;
        if (hooks is null) return Forward(input);
        var output = Forward(input);
        foreach (var hook in hooks) hook(this, input, output);
        return output;
    }

    /// <summary>
    /// Adds <paramref name="hook"/>(module, input, output), run after every <see cref="Call"/> of this module (not of its
    /// children); disposing the returned handle removes it. A hook observes: it cannot replace the output. While a layer
    /// of a <see cref="Sequential{T}"/> has a hook, the Sequential calls each layer separately instead of fusing pairs
    /// (the same values).
    /// </summary>
    public IDisposable RegisterForwardHook(Action<Module<T>, Tensor<T>, Tensor<T>> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        Action<Module<T>, Tensor<T>, Tensor<T>>[]? old, updated;
        do
        {
            old = _forwardHooks;
            updated = [.. old ?? [], hook];
        } while (Interlocked.CompareExchange(ref _forwardHooks, updated, old) != old);
        return new HookHandle(this, hook);
    }

    /// <summary>True while a forward hook is registered on this module.</summary>
    internal bool HasForwardHooks => _forwardHooks is not null;

    private void RemoveForwardHook(Action<Module<T>, Tensor<T>, Tensor<T>> hook)
    {
        Action<Module<T>, Tensor<T>, Tensor<T>>[]? old, updated;
        do
        {
            old = _forwardHooks;
            int at = old is null ? -1 : Array.IndexOf(old, hook);
            if (at < 0) return;
            updated = old!.Length == 1 ? null : [.. old[..at], .. old[(at + 1)..]];
        } while (Interlocked.CompareExchange(ref _forwardHooks, updated, old) != old);
    }

    private sealed class HookHandle(Module<T> module, Action<Module<T>, Tensor<T>, Tensor<T>> hook) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) module.RemoveForwardHook(hook);
        }
    }

    /// <summary>
    /// True in training mode (the default), false after <see cref="Eval"/>: <see cref="Dropout{T}"/> then passes its
    /// input through and <see cref="BatchNorm1d{T}"/>/<see cref="BatchNorm2d{T}"/> use their running statistics.
    /// </summary>
    public bool IsTraining { get; internal set; } = true;

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
    /// Every parameter with its full dotted name, own parameters first, then each child's in order (depth first). A
    /// tensor reachable under two names (a weight shared by two modules) appears once, under the first, as in PyTorch's
    /// <c>named_parameters()</c>. The tensors are the live parameters, not copies.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Tensor<T>>> NamedParameters() => Distinct(Named(this, "", parameters: true, buffers: false));

    /// <summary>Every parameter (the live tensors, each once) in <see cref="NamedParameters"/> order; hand this to an optimizer.</summary>
    public IReadOnlyList<Tensor<T>> Parameters() => NamedParameters().Select(kv => kv.Value).ToList();

    /// <summary>Fills every parameter's gradient with zeros in place (keeping the buffers, so steps do not allocate).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>Every buffer (the live tensors, each once, under its first name), own buffers first, then each child's in order.</summary>
    public IEnumerable<KeyValuePair<string, Tensor<T>>> NamedBuffers() => Distinct(Named(this, "", parameters: false, buffers: true));

    /// <summary>
    /// Parameters and/or buffers under every name that reaches them, in PyTorch's state-dict order: own parameters,
    /// own buffers, then each child's with the child's name and a dot before theirs.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, Tensor<T>>> Named(Module<T> module, string prefix, bool parameters, bool buffers)
    {
        if (parameters)
            foreach (var (name, p) in module.OwnParameters()) yield return new(prefix + name, p);
        if (buffers)
            foreach (var (name, b) in module.OwnBuffers()) yield return new(prefix + name, b);
        foreach (var (childName, child) in module.Children())
            foreach (var kv in Named(child, $"{prefix}{childName}.", parameters, buffers))
                yield return kv;
    }

    private static IEnumerable<KeyValuePair<string, Tensor<T>>> Distinct(IEnumerable<KeyValuePair<string, Tensor<T>>> named)
    {
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance);
        foreach (var kv in named)
            if (seen.Add(kv.Value)) yield return kv;
    }

    /// <summary>
    /// The parameters and buffers as an ordered name → tensor map of copies (detached, own storage), so a later
    /// training step does not change a saved state. Names and order are PyTorch's <c>state_dict()</c>'s: a tensor reachable
    /// under two names (weight tying) is saved under both.
    /// </summary>
    public OrderedDictionary<string, Tensor<T>> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor<T>>();
        foreach (var (name, p) in Named(this, "", parameters: true, buffers: true)) state.Add(name, new Tensor<T>(p.ToArray(), [.. p.Shape]));
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
        var parameters = Named(this, "", parameters: true, buffers: true).ToList();
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
            throw new NablaException($"cannot load the state dict into {TypeName}: " + string.Join("; ", problems));
        using (NoGrad.Scope())
            foreach (var (name, p) in parameters) p.CopyFrom(state[name]);
    }

    private static string Format(IReadOnlyList<int> shape) => "(" + string.Join(", ", shape) + (shape.Count == 1 ? ",)" : ")");

    /// <summary>This module's type name without generic arity (<c>Sequential</c>), as PyTorch prints it.</summary>
    internal string TypeName => ModuleNames.Of(GetType());
}
