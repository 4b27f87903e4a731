using System.Numerics;
using System.Text;

namespace Nabla.Nn;

public abstract partial class Module<T>
{
    /// <summary>
    /// This module (named "") and every descendant with its full dotted name (<c>fc1</c>, <c>hidden.0</c>), depth first,
    /// each parent before its children; a module reachable under two names appears once, under the first, as in PyTorch's
    /// <c>named_modules()</c>. Collection fields appear as the <see cref="ModuleList{T}"/> that names their modules.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Module<T>>> NamedModules() =>
        Walk("", 0, new HashSet<Module<T>>(ReferenceEqualityComparer.Instance)).Select(m => new KeyValuePair<string, Module<T>>(m.Name, m.Module));

    /// <summary>The modules of <see cref="NamedModules"/>, without their names.</summary>
    public IEnumerable<Module<T>> Modules() => NamedModules().Select(kv => kv.Value);

    /// <summary>Depth-first walk: each distinct module once, with its full name and depth (0 for this module).</summary>
    internal IEnumerable<(string Name, Module<T> Module, int Depth)> Walk(string prefix, int depth, HashSet<Module<T>> seen)
    {
        if (!seen.Add(this)) yield break;
        yield return (prefix, this, depth);
        foreach (var (name, child) in Children())
            foreach (var m in child.Walk(prefix.Length == 0 ? name : $"{prefix}.{name}", depth + 1, seen))
                yield return m;
    }

    /// <summary>
    /// Calls <paramref name="action"/> on every distinct module of the tree, each module's children before the module
    /// itself (PyTorch's <c>apply</c>), for initialisation recipes such as
    /// <c>net.Apply(m => { if (m is Linear&lt;float&gt; l) Init.XavierUniform(l.Weight, rng); })</c>; returns this module.
    /// </summary>
    public Module<T> Apply(Action<Module<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ApplyAfterChildren(action, new HashSet<Module<T>>(ReferenceEqualityComparer.Instance));
        return this;
    }

    private void ApplyAfterChildren(Action<Module<T>> action, HashSet<Module<T>> seen)
    {
        if (!seen.Add(this)) return;
        foreach (var (_, child) in Children()) child.ApplyAfterChildren(action, seen);
        action(this);
    }

    /// <summary>
    /// The settings printed inside this module's parentheses by <see cref="ToString"/> (PyTorch's <c>extra_repr</c>);
    /// empty by default. Override it to show a custom module's settings.
    /// </summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>
    /// The module tree as PyTorch's <c>repr</c> prints it: the type name without generic arity, then in parentheses
    /// <see cref="ExtraRepr"/> and one line <c>(name): child</c> per child, nested children indented by two more spaces
    /// per level; a module with settings and no children prints on one line (<c>Name(settings)</c>), one with neither
    /// as <c>Name()</c>.
    /// </summary>
    public override string ToString()
    {
        var lines = new List<string>();
        string extra = ExtraRepr();
        if (extra.Length > 0) lines.AddRange(extra.Split('\n'));
        int extraLines = lines.Count;
        foreach (var (name, child) in Children())
            lines.Add($"({name}): {child.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)}");
        var text = new StringBuilder(TypeName).Append('(');
        if (extraLines == 1 && lines.Count == 1) text.Append(lines[0]);
        else if (lines.Count > 0) text.Append("\n  ").AppendJoin("\n  ", lines).Append('\n');
        return text.Append(')').ToString();
    }
}
