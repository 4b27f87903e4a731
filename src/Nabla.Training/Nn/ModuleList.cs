using System.Collections;
using System.Globalization;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A list of modules, as PyTorch's <c>nn.ModuleList</c>: its modules are children named by position ("0", "1", …), so
/// their parameters are named <c>0.weight</c>, <c>1.bias</c>, … under the list's own name. It has no forward of its own:
/// the module holding it decides how its modules are called. A field holding an array or <c>List</c> of modules is
/// shown as one of these.
/// </summary>
public sealed class ModuleList<T> : Module<T>, IList<Module<T>>, IReadOnlyList<Module<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    [NotRegistered] private readonly List<Module<T>> _modules = [];   // children come from Children()

    /// <summary>A list holding <paramref name="modules"/> in order (none when empty); throws for a null module.</summary>
    public ModuleList(params IEnumerable<Module<T>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Add(m);
    }

    /// <summary>Always throws: a module list is iterated by the module holding it, which calls each module itself.</summary>
    public override Tensor<T> Forward(Tensor<T> input) =>
        throw new NablaException("ModuleList has no Forward: iterate it and call each module (module.Call(x)) in your module's Forward");

    /// <summary>The modules in order, named "0", "1", … by position.</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        for (int i = 0; i < _modules.Count; i++) yield return (i.ToString(CultureInfo.InvariantCulture), _modules[i]);
    }

    /// <summary>The module at <paramref name="index"/>; setting it replaces that module (not null).</summary>
    public Module<T> this[int index]
    {
        get => _modules[CheckIndex(index, _modules.Count)];
        set => _modules[CheckIndex(index, _modules.Count)] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Count;

    /// <summary>False: modules can be added and removed.</summary>
    public bool IsReadOnly => false;

    /// <summary>Appends <paramref name="item"/> (not null).</summary>
    public void Add(Module<T> item) => _modules.Add(item ?? throw new ArgumentNullException(nameof(item)));

    /// <summary>Inserts <paramref name="item"/> (not null) at <paramref name="index"/>, renumbering the modules after it.</summary>
    public void Insert(int index, Module<T> item) =>
        _modules.Insert(CheckIndex(index, _modules.Count + 1), item ?? throw new ArgumentNullException(nameof(item)));

    /// <summary>Removes the module at <paramref name="index"/>, renumbering the modules after it.</summary>
    public void RemoveAt(int index) => _modules.RemoveAt(CheckIndex(index, _modules.Count));

    /// <summary>Removes the first occurrence of <paramref name="item"/>; false when it is not in the list.</summary>
    public bool Remove(Module<T> item) => _modules.Remove(item);

    /// <summary>Removes every module.</summary>
    public void Clear() => _modules.Clear();

    /// <summary>Whether <paramref name="item"/> (by reference) is in the list.</summary>
    public bool Contains(Module<T> item) => _modules.Contains(item);

    /// <summary>The position of <paramref name="item"/> (by reference), or −1.</summary>
    public int IndexOf(Module<T> item) => _modules.IndexOf(item);

    /// <summary>Copies the modules into <paramref name="array"/> from <paramref name="arrayIndex"/> on.</summary>
    public void CopyTo(Module<T>[] array, int arrayIndex) => _modules.CopyTo(array, arrayIndex);

    /// <summary>Enumerates the modules in order.</summary>
    public IEnumerator<Module<T>> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int CheckIndex(int index, int bound) =>
        (uint)index < (uint)bound ? index : throw new NablaArgumentException(nameof(index), $"ModuleList: index is {index}; it must be in [0, {bound})");
}
