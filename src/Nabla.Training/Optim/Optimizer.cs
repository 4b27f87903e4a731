using System.Numerics;
using Nabla.Serialization;
using Nabla.Nn;
using Nabla.Tensors;

namespace Nabla.Optim;

/// <summary>
/// What an optimizer needs to resume bit-exactly: the step count and every state buffer by name
/// (<c>"{parameter index}.{buffer}"</c>, e.g. <c>"0.exp_avg"</c>), as copies.
/// </summary>
public sealed record OptimizerState<T>(long Step, IReadOnlyDictionary<string, Tensor<T>> Buffers)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// Updates parameters from their gradients. <see cref="Step"/> runs under <see cref="NoGrad"/>, in place on each
/// parameter's storage, with state buffers allocated once, so a step allocates nothing proportional to the model.
/// Parameters whose <see cref="Tensor{T}.Grad"/> is null are skipped (their state is left as it is).
/// </summary>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>[] parameters;
    private readonly T[] scratchA, scratchB;

    /// <summary>Takes the parameters to update (each a contiguous tensor with RequiresGrad set, e.g. <c>model.Parameters()</c>).</summary>
    protected Optimizer(IEnumerable<Tensor<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        LearningRate = learningRate; // checked before anything is allocated
        this.parameters = [.. parameters];
        for (int i = 0; i < this.parameters.Length; i++)
            if (!this.parameters[i].IsContiguous || !this.parameters[i].IsLeaf)
                throw new NablaException($"parameter {i} of shape ({string.Join(", ", this.parameters[i].Shape)}) must be a contiguous leaf tensor to be optimized in place");
        int max = this.parameters.Length == 0 ? 0 : this.parameters.Max(p => p.ElementCount);
        scratchA = new T[max];
        scratchB = new T[max];
    }

    /// <summary>The parameters, in the order given (their indices name the state buffers).</summary>
    public IReadOnlyList<Tensor<T>> Parameters => parameters;

    /// <summary>The step size α; set it each epoch from a learning-rate schedule. Must be ≥ 0 and finite.</summary>
    public double LearningRate
    {
        get;
        set => field = value >= 0 && double.IsFinite(value) ? value : throw new NablaArgumentException("learningRate",
            $"{GetType().Name.Split('`')[0]}: learningRate is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be finite and ≥ 0");
    }

    /// <summary>How many times <see cref="Step"/> has run (restored by <see cref="LoadState(OptimizerState{T})"/>).</summary>
    public long StepCount { get; private set; }

    /// <summary>Fills every parameter's gradient with zeros in place (keeping the buffers).</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }

    /// <summary>One update of every parameter with a gradient, in place, under no-grad.</summary>
    public void Step()
    {
        using (NoGrad.Scope())
        {
            StepCount++;
            for (int i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.Grad is not { } g) continue;
                int n = p.ElementCount;
                Update(i, p.AsSpan(), g.IsContiguous ? g.AsReadOnlySpan() : g.Contiguous().AsReadOnlySpan(), scratchA.AsSpan(0, n), scratchB.AsSpan(0, n));
            }
        }
    }

    /// <summary>
    /// Updates parameter <paramref name="index"/> in place from its gradient at step <see cref="StepCount"/> (1 on the
    /// first step). <paramref name="scratchA"/> and <paramref name="scratchB"/> are reusable buffers of the parameter's length.
    /// </summary>
    protected abstract void Update(int index, Span<T> param, ReadOnlySpan<T> grad, Span<T> scratchA, Span<T> scratchB);

    /// <summary>The names of the buffers this optimizer keeps per parameter (e.g. exp_avg, exp_avg_sq).</summary>
    protected abstract IReadOnlyList<string> BufferNames { get; }

    /// <summary>Parameter <paramref name="index"/>'s buffer <paramref name="name"/>, or null while it does not exist yet.</summary>
    protected abstract T[]? GetBuffer(int index, string name);

    /// <summary>Replaces parameter <paramref name="index"/>'s buffer <paramref name="name"/> (null: not created yet).</summary>
    protected abstract void SetBuffer(int index, string name, T[]? values);

    /// <summary>A copy of the step count and every existing state buffer, named <c>"{index}.{buffer}"</c>.</summary>
    public OptimizerState<T> State()
    {
        var buffers = new OrderedDictionary<string, Tensor<T>>();
        for (int i = 0; i < parameters.Length; i++)
            foreach (var name in BufferNames)
                if (GetBuffer(i, name) is { } b) buffers.Add($"{i}.{name}", new Tensor<T>((T[])b.Clone(), [.. parameters[i].Shape]));
        return new OptimizerState<T>(StepCount, buffers);
    }

    /// <summary>
    /// Restores a state taken by <see cref="State"/> from an optimizer of the same kind over parameters of the same
    /// shapes; buffers absent from the state are reset. Throws a <see cref="NablaException"/> naming unknown keys and shape mismatches.
    /// </summary>
    public void LoadState(OptimizerState<T> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        var known = new HashSet<string>();
        for (int i = 0; i < parameters.Length; i++)
            foreach (var name in BufferNames)
            {
                string key = $"{i}.{name}";
                known.Add(key);
                if (state.Buffers.TryGetValue(key, out var t) && !t.Shape.SequenceEqual(parameters[i].Shape))
                    problems.Add($"shape mismatch for \"{key}\": the state has ({string.Join(", ", t.Shape)}), parameter {i} has ({string.Join(", ", parameters[i].Shape)})");
            }
        var unknown = state.Buffers.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0) problems.Add("unexpected keys: " + string.Join(", ", unknown.Select(k => $"\"{k}\"")));
        if (state.Step < 0) problems.Add($"step {state.Step} is negative");
        if (problems.Count > 0) throw new NablaException($"cannot load the optimizer state into {GetType().Name}: " + string.Join("; ", problems));
        for (int i = 0; i < parameters.Length; i++)
            foreach (var name in BufferNames)
                SetBuffer(i, name, state.Buffers.TryGetValue($"{i}.{name}", out var t) ? t.ToArray() : null);
        StepCount = state.Step;
    }

    /// <summary>Writes <see cref="State"/> to a safetensors file, the step count in the metadata as <c>"step"</c>.</summary>
    public void SaveState(string path)
    {
        var state = State();
        SafetensorsFile.Save(path, StateDicts.ToSafeTensors(state.Buffers),
            new Dictionary<string, string> { ["step"] = state.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), ["optimizer"] = GetType().Name.Split('`')[0] });
    }

    /// <summary>Reads a file written by <see cref="SaveState"/> and loads it with <see cref="LoadState(OptimizerState{T})"/>.</summary>
    public void LoadState(string path)
    {
        var file = SafetensorsFile.Load(path);
        if (!file.Metadata.TryGetValue("step", out var s) || !long.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out long step))
            throw new NablaException($"{path}: no \"step\" entry in the safetensors metadata; not an optimizer state file");
        LoadState(new OptimizerState<T>(step, StateDicts.FromSafeTensors<T>(file.Names.Select(n => file.Tensors[n]))));
    }

    private protected static T C(double value) => T.CreateTruncating(value);
}
