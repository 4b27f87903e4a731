using System.Globalization;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// What every optimizer shares whatever its element type: its parameter groups and their live hyperparameters, the
/// step count, and <see cref="Step"/>. Learning-rate schedulers take this type, so one scheduler class serves
/// <c>Optimizer&lt;float&gt;</c> and <c>Optimizer&lt;double&gt;</c>.
/// </summary>
public abstract class Optimizer
{
    private protected ParamGroupSettings[] groups = [];

    /// <summary>For <see cref="Optimizer{T}"/>, which fills <see cref="ParamGroups"/>.</summary>
    protected Optimizer() { }

    /// <summary>The parameter groups in the order given, each with its hyperparameters (settable between steps).</summary>
    public IReadOnlyList<ParamGroupSettings> ParamGroups => groups;

    /// <summary>
    /// The step size α. The getter returns the first group's; the setter sets every group's (use
    /// <see cref="ParamGroups"/> for one group). Must be finite and ≥ 0.
    /// </summary>
    public double LearningRate
    {
        get => groups.Length > 0 ? groups[0].LearningRate : throw new NablaException($"{Name} has no parameter groups");
        set
        {
            if (!(value >= 0 && double.IsFinite(value)))
                throw new NablaArgumentException("learningRate", $"{Name}: learningRate is {value.ToString(CultureInfo.InvariantCulture)}; it must be finite and ≥ 0");
            foreach (var g in groups) g.LearningRate = value;
        }
    }

    /// <summary>How many times <see cref="Step"/> has run (restored with the optimizer's state).</summary>
    public long StepCount { get; private protected set; }

    /// <summary>One update of every parameter that has a gradient, in place, under no-grad.</summary>
    public abstract void Step();

    /// <summary>Fills every parameter's gradient with zeros in place (keeping the buffers).</summary>
    public abstract void ZeroGrad();

    /// <summary>The group option a one-cycle schedule cycles as momentum: "momentum" (SGD), "beta1" (Adam), or null.</summary>
    internal virtual string? CycledMomentum => null;

    /// <summary>The names of the options this optimizer reads from a group, besides the learning rate.</summary>
    internal virtual IReadOnlyList<string> OptionNames => [];

    internal string Name => GetType().Name.Split('`')[0];
}

/// <summary>
/// Updates parameters of element type <typeparamref name="T"/> from their gradients. <see cref="Step"/> runs under
/// <see cref="NoGrad"/>, in place on each parameter's storage, with state buffers allocated once, so a step allocates
/// nothing proportional to the model. Parameters whose <see cref="Tensor{T}.Grad"/> is null are skipped (their state is
/// left as it is). Parameters come in groups (<see cref="ParamGroup{T}"/>); their flat index over all groups in order
/// names the state buffers.
/// </summary>
public abstract partial class Optimizer<T> : Optimizer where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] parameters;
    private readonly int[] groupOf;
    private readonly T[] scratchA, scratchB;

    /// <summary>
    /// Takes the groups and the defaults for every option a group leaves unset: <paramref name="learningRate"/>, and
    /// <paramref name="defaults"/>, which sets the others on each group's fresh settings before the group's own
    /// options are applied. Refuses no parameters at all, a tensor given twice, and a non-contiguous or non-leaf tensor.
    /// </summary>
    protected Optimizer(IEnumerable<ParamGroup<T>> groups, double learningRate, Action<ParamGroupSettings> defaults)
    {
        if (groups is null) throw new NablaArgumentException(nameof(groups), $"{Name}: groups is null");
        if (!(learningRate >= 0 && double.IsFinite(learningRate)))
            throw new NablaArgumentException(nameof(learningRate), $"{Name}: learningRate is {learningRate.ToString(CultureInfo.InvariantCulture)}; it must be finite and ≥ 0");
        var given = groups.ToList();
        var seen = new Dictionary<Tensor<T>, (int Group, int Index)>(ReferenceEqualityComparer.Instance);
        var flat = new List<Tensor<T>>();
        var owners = new List<int>();
        var settings = new ParamGroupSettings[given.Count];
        for (int g = 0; g < given.Count; g++)
        {
            var group = given[g] ?? throw new NablaArgumentException(nameof(groups), $"{Name}: parameter group {g} is null");
            for (int i = 0; i < group.Parameters.Count; i++)
            {
                var p = group.Parameters[i] ?? throw new NablaArgumentException(nameof(groups), $"{Name}: parameter {i} of group {g} is null");
                if (!seen.TryAdd(p, (g, i)))
                    throw new NablaArgumentException(nameof(groups), $"{Name}: parameter {i} of group {g} is the same tensor as parameter {seen[p].Index} of group {seen[p].Group}; each tensor may be given once");
                if (!p.IsContiguous || !p.IsLeaf)
                    throw new NablaException($"{Name}: parameter {i} of group {g}, of shape ({string.Join(", ", p.Shape)}), must be a contiguous leaf tensor to be optimized in place");
                flat.Add(p);
                owners.Add(g);
            }
            var s = settings[g] = new ParamGroupSettings(Name, g, flat.Count - group.Parameters.Count, group.Parameters.Count) { LearningRate = learningRate };
            defaults(s);
            foreach (var (name, value) in group.Overrides())
            {
                if (name != ParamGroupSettings.Lr && !OptionNames.Contains(name))
                    throw new NablaArgumentException(nameof(groups), $"{Name}: parameter group {g} sets {name}, which {Name} does not use (it uses lr, {string.Join(", ", OptionNames)})");
                s.Set(name, value);
            }
        }
        if (flat.Count == 0)
            throw new NablaArgumentException(nameof(groups), $"{Name} was given no parameters to optimize ({given.Count} group{(given.Count == 1 ? "" : "s")}, all empty); did the module register its layers?");
        this.groups = settings;
        parameters = [.. flat];
        groupOf = [.. owners];
        int max = parameters.Max(p => p.ElementCount);
        scratchA = new T[max];
        scratchB = new T[max];
    }

    /// <summary>Every parameter in flat order (the groups' parameters one group after another); indices name the state buffers.</summary>
    public IReadOnlyList<Tensor<T>> Parameters => parameters;

    /// <inheritdoc/>
    public override void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }

    /// <inheritdoc/>
    public override void Step()
    {
        using (NoGrad.Scope())
        {
            StepCount++;
            for (int i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.Grad is not { } g) continue;
                int n = p.ElementCount;
                Update(i, groups[groupOf[i]], p.AsSpan(), g.IsContiguous ? g.AsReadOnlySpan() : g.Contiguous().AsReadOnlySpan(), scratchA.AsSpan(0, n), scratchB.AsSpan(0, n));
            }
        }
    }

    /// <summary>
    /// Updates parameter <paramref name="index"/> (flat) in place from its gradient at step <see cref="Optimizer.StepCount"/>
    /// (1 on the first step), with the hyperparameters of its <paramref name="group"/>. <paramref name="scratchA"/> and
    /// <paramref name="scratchB"/> are reusable buffers of the parameter's length.
    /// </summary>
    protected abstract void Update(int index, ParamGroupSettings group, Span<T> param, ReadOnlySpan<T> grad, Span<T> scratchA, Span<T> scratchB);

    /// <summary>The names of the buffers this optimizer keeps per parameter (e.g. exp_avg, exp_avg_sq).</summary>
    protected abstract IReadOnlyList<string> BufferNames { get; }

    /// <summary>Parameter <paramref name="index"/>'s buffer <paramref name="name"/>, or null while it does not exist yet.</summary>
    protected abstract T[]? GetBuffer(int index, string name);

    /// <summary>Replaces parameter <paramref name="index"/>'s buffer <paramref name="name"/> (null: not created yet).</summary>
    protected abstract void SetBuffer(int index, string name, T[]? values);

    private protected static T C(double value) => T.CreateTruncating(value);

    /// <summary>The groups an old-style constructor's parameters make: one group of all of them.</summary>
    private protected static ParamGroup<T>[] OneGroup(IEnumerable<Tensor<T>> parameters) =>
        [new ParamGroup<T>(parameters ?? throw new NablaArgumentException(nameof(parameters), "parameters is null"))];
}
