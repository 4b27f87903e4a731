using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Modules by name in insertion order, as PyTorch's <c>nn.ModuleDict</c>: each module is a child named by its key, so its
/// parameters are named <c>key.weight</c>, … under the dictionary's own name. Keys are non-empty and have no dot. It has
/// no forward of its own: the module holding it decides how its modules are called.
/// </summary>
public sealed class ModuleDict<T> : Module<T>, IReadOnlyDictionary<string, Module<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    [NotRegistered] private readonly OrderedDictionary<string, Module<T>> _modules = new(StringComparer.Ordinal);   // children come from Children()

    /// <summary>An empty dictionary.</summary>
    public ModuleDict() { }

    /// <summary>A dictionary holding <paramref name="modules"/> in order; throws for a bad or repeated key or a null module.</summary>
    public ModuleDict(IEnumerable<KeyValuePair<string, Module<T>>> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (key, module) in modules) Add(key, module);
    }

    /// <summary>Always throws: a module dictionary is used by the module holding it, which calls each module itself.</summary>
    public override Tensor<T> Forward(Tensor<T> input) =>
        throw new NablaException("ModuleDict has no Forward: look its modules up by key and call them (module.Call(x)) in your module's Forward");

    /// <summary>The modules in insertion order, named by their keys.</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        foreach (var (key, module) in _modules) yield return (key, module);
    }

    /// <summary>
    /// The module under <paramref name="key"/> (a <see cref="NablaArgumentException"/> naming the key and the keys there
    /// are when absent); setting it replaces that module in place or appends a new key.
    /// </summary>
    public Module<T> this[string key]
    {
        get => _modules.TryGetValue(key, out var m) ? m
            : throw new NablaArgumentException(nameof(key), $"ModuleDict has no key \"{key}\"; its keys are {string.Join(", ", _modules.Keys.Select(k => $"\"{k}\""))}");
        set
        {
            CheckKey(key);
            _modules[key] = value ?? throw new ArgumentNullException(nameof(value));
        }
    }

    /// <summary>Appends <paramref name="module"/> under <paramref name="key"/>; throws for a bad or existing key or a null module.</summary>
    public void Add(string key, Module<T> module)
    {
        CheckKey(key);
        ArgumentNullException.ThrowIfNull(module);
        if (!_modules.TryAdd(key, module)) throw new NablaArgumentException(nameof(key), $"ModuleDict already has the key \"{key}\"");
    }

    /// <summary>Removes the module under <paramref name="key"/>; false when there is none.</summary>
    public bool Remove(string key) => _modules.Remove(key);

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Count;

    /// <summary>The keys in insertion order.</summary>
    public IEnumerable<string> Keys => _modules.Keys;

    /// <summary>The modules in insertion order.</summary>
    public IEnumerable<Module<T>> Values => _modules.Values;

    /// <summary>Whether a module is stored under <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => _modules.ContainsKey(key);

    /// <summary>The module under <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Module<T> value) => _modules.TryGetValue(key, out value);

    /// <summary>Enumerates (key, module) pairs in insertion order.</summary>
    public IEnumerator<KeyValuePair<string, Module<T>>> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void CheckKey(string key)
    {
        if (ModuleNames.Problem(key) is { } problem) throw new NablaArgumentException(nameof(key), $"ModuleDict: key is \"{key}\"; {problem}");
    }
}
