using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nabla.Nn;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Optim;

/// <summary>
/// What an optimizer needs to resume bit-exactly: the step count, every state buffer by name
/// (<c>"{flat parameter index}.{buffer}"</c>, e.g. <c>"0.exp_avg"</c>) as copies, and each parameter group's size and
/// hyperparameters (null in a state saved before groups existed: the optimizer's own are then kept).
/// </summary>
public sealed record OptimizerState<T>(long Step, IReadOnlyDictionary<string, Tensor<T>> Buffers, IReadOnlyList<ParamGroupState>? Groups = null)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// One parameter group in a saved optimizer state: how many parameters it holds and its options by PyTorch's names
/// (<c>lr</c>, <c>initial_lr</c> once a scheduler set it, <c>weight_decay</c>, <c>momentum</c>, <c>dampening</c>,
/// <c>nesterov</c> as 0 or 1, <c>beta1</c>, <c>beta2</c>, <c>eps</c>; only those the optimizer uses).
/// </summary>
public sealed record ParamGroupState(int Count, IReadOnlyDictionary<string, double> Options);

public abstract partial class Optimizer<T>
{
    /// <summary>A copy of the step count, every existing state buffer (named <c>"{index}.{buffer}"</c>) and every group's options.</summary>
    public OptimizerState<T> State()
    {
        var buffers = new OrderedDictionary<string, Tensor<T>>();
        for (int i = 0; i < parameters.Length; i++)
            foreach (var name in BufferNames)
                if (GetBuffer(i, name) is { } b) buffers.Add($"{i}.{name}", new Tensor<T>((T[])b.Clone(), [.. parameters[i].Shape]));
        var states = new ParamGroupState[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            var options = new OrderedDictionary<string, double> { [ParamGroupSettings.Lr] = groups[g].LearningRate };
            if (groups[g].InitialLearningRate is { } initial) options[ParamGroupSettings.InitialLr] = initial;
            foreach (var name in OptionNames) options[name] = groups[g].Get(name);
            states[g] = new ParamGroupState(groups[g].Count, options);
        }
        return new OptimizerState<T>(StepCount, buffers, states);
    }

    /// <summary>
    /// Restores a state taken by <see cref="State"/> from an optimizer of the same kind over parameters of the same
    /// shapes in groups of the same sizes; buffers absent from the state are reset, and each group's options are set
    /// from the state's. Throws a <see cref="NablaException"/> naming unknown keys, shape mismatches, group sizes that
    /// differ and bad options, before changing anything.
    /// </summary>
    public void LoadState(OptimizerState<T> state)
    {
        if (state is null) throw new NablaArgumentException(nameof(state), $"{Name}: state is null");
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
        if (state.Groups is { } saved) problems.AddRange(GroupProblems(saved));
        if (problems.Count > 0) throw new NablaException($"cannot load the optimizer state into {Name}: " + string.Join("; ", problems));
        if (state.Groups is { } loaded)
            for (int g = 0; g < groups.Length; g++)
            {
                groups[g].InitialLearningRate = null;
                foreach (var (name, value) in loaded[g].Options) groups[g].Set(name, value);
            }
        for (int i = 0; i < parameters.Length; i++)
            foreach (var name in BufferNames)
                SetBuffer(i, name, state.Buffers.TryGetValue($"{i}.{name}", out var t) ? t.ToArray() : null);
        StepCount = state.Step;
    }

    // Everything wrong with saved groups, checked on scratch settings so a refused state changes nothing.
    private List<string> GroupProblems(IReadOnlyList<ParamGroupState> saved)
    {
        var problems = new List<string>();
        if (!saved.Select(s => s.Count).SequenceEqual(groups.Select(g => g.Count)))
        {
            problems.Add($"the state has {saved.Count} parameter group{(saved.Count == 1 ? "" : "s")} of sizes ({string.Join(", ", saved.Select(s => s.Count))}), " +
                $"this optimizer has {groups.Length} of sizes ({string.Join(", ", groups.Select(g => g.Count))})");
            return problems;
        }
        for (int g = 0; g < saved.Count; g++)
        {
            var scratch = new ParamGroupSettings(Name, g, groups[g].FirstParameter, groups[g].Count);
            foreach (var (name, value) in saved[g].Options)
            {
                if (name is not (ParamGroupSettings.Lr or ParamGroupSettings.InitialLr) && !OptionNames.Contains(name))
                    problems.Add($"parameter group {g} has option \"{name}\", which {Name} does not use");
                else
                    try { scratch.Set(name, value); }
                    catch (NablaArgumentException e) { problems.Add(e.Message); }
            }
            if (!saved[g].Options.ContainsKey(ParamGroupSettings.Lr)) problems.Add($"parameter group {g} has no \"lr\"");
        }
        return problems;
    }

    /// <summary>
    /// Writes <see cref="State"/> to a safetensors file: the buffers as tensors; in the metadata the step count as
    /// <c>"step"</c>, the optimizer's name, and the groups as <c>"param_groups"</c> (see <see cref="GroupsToText"/>).
    /// </summary>
    public void SaveState(string path)
    {
        var state = State();
        SafetensorsFile.Save(path, StateDicts.ToSafeTensors(state.Buffers), new Dictionary<string, string>
        {
            ["step"] = state.Step.ToString(CultureInfo.InvariantCulture),
            ["optimizer"] = Name,
            ["param_groups"] = GroupsToText(state.Groups!),
        });
    }

    /// <summary>Reads a file written by <see cref="SaveState"/> (or by a version without groups) and loads it with <see cref="LoadState(OptimizerState{T})"/>.</summary>
    public void LoadState(string path)
    {
        var file = SafetensorsFile.Load(path);
        if (!file.Metadata.TryGetValue("step", out var s) || !long.TryParse(s, CultureInfo.InvariantCulture, out long step))
            throw new NablaException($"{path}: no \"step\" entry in the safetensors metadata; not an optimizer state file");
        var groupStates = file.Metadata.TryGetValue("param_groups", out var text) ? GroupsFromText(text, path) : null;
        LoadState(new OptimizerState<T>(step, StateDicts.FromSafeTensors<T>(file.Names.Select(n => file.Tensors[n])), groupStates));
    }

    /// <summary>
    /// The groups as one JSON object of strings: <c>"groups"</c> the count, and per group g <c>"g.params"</c> its size
    /// and <c>"g.{option}"</c> each option, numbers written round-trip.
    /// </summary>
    public static string GroupsToText(IReadOnlyList<ParamGroupState> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var flat = new Dictionary<string, string> { ["groups"] = groups.Count.ToString(CultureInfo.InvariantCulture) };
        for (int g = 0; g < groups.Count; g++)
        {
            flat[$"{g}.params"] = groups[g].Count.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, value) in groups[g].Options) flat[$"{g}.{name}"] = value.ToString("R", CultureInfo.InvariantCulture);
        }
        return JsonSerializer.Serialize(flat, NablaJsonContext.Default.DictionaryStringString);
    }

    /// <summary>Reads what <see cref="GroupsToText"/> wrote; <paramref name="where"/> names the file in errors.</summary>
    public static IReadOnlyList<ParamGroupState> GroupsFromText(string text, string where)
    {
        Dictionary<string, string>? flat;
        try { flat = JsonSerializer.Deserialize(text, NablaJsonContext.Default.DictionaryStringString); }
        catch (JsonException e) { throw new NablaException($"{where}: the optimizer's parameter groups are not valid JSON ({e.Message})"); }
        if (flat is null || !flat.TryGetValue("groups", out var n) || !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count > flat.Count)
            throw new NablaException($"{where}: the optimizer's parameter groups have no valid \"groups\" count");
        var result = new ParamGroupState[count];
        for (int g = 0; g < count; g++)
        {
            if (!flat.TryGetValue($"{g}.params", out var size) || !int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int c))
                throw new NablaException($"{where}: parameter group {g} has no valid \"params\" count");
            var options = new OrderedDictionary<string, double>();
            string prefix = $"{g}.";
            foreach (var (key, value) in flat)
                if (key.StartsWith(prefix, StringComparison.Ordinal) && key != $"{g}.params")
                    options[key[prefix.Length..]] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                        : throw new NablaException($"{where}: option \"{key}\" of the optimizer's parameter groups is \"{value}\", not a number");
            result[g] = new ParamGroupState(c, options);
        }
        return result;
    }
}
