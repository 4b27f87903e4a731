using System.Numerics;
using System.Runtime.InteropServices;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Converts state dicts (name → tensor) to and from safetensors, so a model saved here loads in PyTorch
/// (<c>safetensors.torch.load_file</c> + <c>load_state_dict</c>) and back.
/// </summary>
public static class StateDicts
{
    /// <summary>
    /// One <see cref="SafeTensor"/> per entry, in order, named by its key. <paramref name="dtype"/> null means the
    /// tensor's own type (F32 for float, F64 for double, bits unchanged); F32 from double rounds to nearest even.
    /// Batch norm's <c>num_batches_tracked</c> is written as I64, its type in PyTorch.
    /// </summary>
    public static List<SafeTensor> ToSafeTensors<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> state, SafeTensorDType? dtype = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var target = dtype ?? (typeof(T) == typeof(float) ? SafeTensorDType.F32 : SafeTensorDType.F64);
        if (target is not (SafeTensorDType.F32 or SafeTensorDType.F64))
            throw new NablaException($"state dicts are saved as F32 or F64, not {target}");
        var result = new List<SafeTensor>();
        foreach (var (name, t) in state)
        {
            var data = t.ToArray();
            int[] shape = [.. t.Shape];
            if (IsCounter(name))
                result.Add(SafeTensor.FromDoubles(name, shape, data.Select(double.CreateTruncating).ToArray(), SafeTensorDType.I64));
            else if (typeof(T) == typeof(float) && target == SafeTensorDType.F32)
                result.Add(SafeTensor.FromFloats(name, shape, MemoryMarshal.Cast<T, float>(data.AsSpan())));
            else if (typeof(T) == typeof(double))
                result.Add(SafeTensor.FromDoubles(name, shape, MemoryMarshal.Cast<T, double>(data.AsSpan()), target));
            else
                result.Add(SafeTensor.FromDoubles(name, shape, data.Select(double.CreateTruncating).ToArray(), target));
        }
        return result;
    }

    /// <summary>
    /// A state dict from safetensors, in order: F32/F16/BF16 and F64 entries convert to <typeparamref name="T"/>
    /// (exactly when widening; F64 to float rounds to nearest even). Integer tensors are rejected, except batch norm's
    /// I64 <c>num_batches_tracked</c>.
    /// </summary>
    public static OrderedDictionary<string, Tensor<T>> FromSafeTensors<T>(IEnumerable<SafeTensor> tensors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new OrderedDictionary<string, Tensor<T>>();
        foreach (var st in tensors)
        {
            if (!(IsCounter(st.Name) && st.DType == SafeTensorDType.I64) && st.DType is not (SafeTensorDType.F64 or SafeTensorDType.F32 or SafeTensorDType.F16 or SafeTensorDType.BF16))
                throw new NablaException($"tensor \"{st.Name}\" holds {st.DType}; a state dict needs floating-point tensors");
            T[] data;
            if (typeof(T) == typeof(float)) data = MemoryMarshal.Cast<float, T>(st.ToFloatArray().AsSpan()).ToArray();
            else if (typeof(T) == typeof(double)) data = MemoryMarshal.Cast<double, T>(st.ToDoubleArray().AsSpan()).ToArray();
            else data = st.ToDoubleArray().Select(T.CreateTruncating).ToArray();
            state.Add(st.Name, new Tensor<T>(data, [.. st.Shape]));
        }
        return state;
    }

    /// <summary>Batch norm's batch counter, an integer (I64) in PyTorch's state dicts and so in the files written here.</summary>
    private static bool IsCounter(string name) => name == "num_batches_tracked" || name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    /// <summary>
    /// Writes <paramref name="module"/>'s state dict to a safetensors file at <paramref name="path"/>. A tensor reachable
    /// under several names (a tied weight, as <see cref="Gpt{T}"/>'s <c>lm_head.weight</c> and <c>transformer.wte.weight</c>)
    /// is written once, under the ordinally first of its names, and each other name is recorded in the file's metadata as
    /// <c>dropped → kept</c> (unless <paramref name="metadata"/> already has that key), as <c>safetensors.torch.save_model</c> does.
    /// </summary>
    public static void Save<T>(Module<T> module, string path, SafeTensorDType? dtype = null, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        var state = module.StateDict();
        var meta = metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(metadata);
        foreach (var names in TiedNames(module))
        {
            var kept = names.Min(StringComparer.Ordinal)!;
            foreach (var dropped in names.Where(n => n != kept))
            {
                state.Remove(dropped);
                meta.TryAdd(dropped, kept);
            }
        }
        SafetensorsFile.Save(path, ToSafeTensors(state, dtype), meta.Count == 0 ? metadata : meta);
    }

    /// <summary>
    /// Loads a safetensors file at <paramref name="path"/> into <paramref name="module"/> (strictly, see
    /// <see cref="Module{T}.LoadStateDict"/>). For a tied tensor the file may hold any one of its names, or several if they
    /// are equal; the value goes into the one shared tensor, so the tie holds after loading. Tied names holding different
    /// values are refused, naming both.
    /// </summary>
    public static void Load<T>(Module<T> module, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        var file = SafetensorsFile.Load(path);
        var state = FromSafeTensors<T>(file.Names.Select(n => file.Tensors[n]));
        foreach (var names in TiedNames(module))
        {
            var present = names.Where(state.ContainsKey).ToList();
            if (present.Count == 0) continue;   // reported as missing by LoadStateDict
            var first = state[present[0]];
            foreach (var other in present.Skip(1))
                if (!state[other].Shape.SequenceEqual(first.Shape) || !state[other].ToArray().AsSpan().SequenceEqual(first.ToArray()))
                    throw new NablaException($"{path}: \"{present[0]}\" and \"{other}\" name one tied tensor of the model but hold different values");
            foreach (var name in names) state.TryAdd(name, first);
        }
        module.LoadStateDict(state);
    }

    /// <summary>
    /// The names of each parameter or buffer reachable under more than one name (state-dict order within a group).
    /// Found by walking every path of the module tree, as state dicts do, and grouping by reference.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> TiedNames<T>(Module<T> module) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        var byTensor = new Dictionary<Tensor<T>, List<string>>(ReferenceEqualityComparer.Instance);
        var order = new List<List<string>>();
        void Walk(Module<T> m, string prefix)
        {
            foreach (var (name, t) in m.NamedParameters().Concat(m.NamedBuffers()))
            {
                if (name.Contains('.', StringComparison.Ordinal)) continue;   // a descendant's, reached through the walk
                if (!byTensor.TryGetValue(t, out var names)) { byTensor.Add(t, names = []); order.Add(names); }
                names.Add(prefix + name);
            }
            foreach (var (childName, child) in m.Children()) Walk(child, $"{prefix}{childName}.");
        }
        Walk(module, "");
        return order.Where(n => n.Count > 1).ToList();
    }
}
