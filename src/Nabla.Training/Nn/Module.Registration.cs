using System.Collections;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

public abstract partial class Module<T>
{
    private List<(string Name, Module<T> Module)>? _modules;
    private List<(string Name, Tensor<T> Parameter)>? _parameters;
    private List<(string Name, Tensor<T> Buffer)>? _buffers;

    /// <summary>
    /// The direct child modules in a fixed order, with their names. The default yields the module fields and
    /// collections of modules (see <see cref="Module{T}"/>) in field order, then the modules given to
    /// <see cref="RegisterModule"/> in registration order; an override replaces both.
    /// </summary>
    public virtual IEnumerable<(string Name, Module<T> Module)> Children()
    {
        foreach (var member in ModuleFields<T>.Of(DiscoverableType()).Modules)
        {
            object? value = member.Field.GetValue(this);
            if (value is null) continue;
            yield return (member.Name, member.Kind == ModuleFields<T>.Kind.Module
                ? (Module<T>)value
                : ModuleFields<T>.ToModuleList((IEnumerable)value, $"{TypeName}.{member.Name}", IsTraining));
        }
        if (_modules is not null)
            foreach (var registered in _modules) yield return registered;
    }

    /// <summary>
    /// This module's own parameters (not its children's), in a fixed order, with their local names. The default yields
    /// the <see cref="Tensor{T}"/> fields whose <see cref="Tensor{T}.RequiresGrad"/> is set, in field order, then the
    /// tensors given to <see cref="RegisterParameter"/>; an override replaces both.
    /// </summary>
    protected virtual IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters()
    {
        foreach (var member in ModuleFields<T>.Of(DiscoverableType()).Tensors)
            if (member.Field.GetValue(this) is Tensor<T> { RequiresGrad: true } tensor) yield return (member.Name, tensor);
        if (_parameters is not null)
            foreach (var registered in _parameters) yield return registered;
    }

    /// <summary>
    /// This module's own buffers: state saved and loaded with the parameters but not trained (batch norm's running
    /// statistics), in a fixed order, with their local names. The default yields the tensors given to
    /// <see cref="RegisterBuffer"/> (a tensor field without <see cref="Tensor{T}.RequiresGrad"/> is not a buffer).
    /// </summary>
    protected virtual IEnumerable<(string Name, Tensor<T> Buffer)> OwnBuffers() => _buffers ?? [];

    /// <summary>
    /// Adds <paramref name="module"/> as a child named <paramref name="name"/> (after the field-held children), for
    /// children known only at run time; returns it. As PyTorch's <c>register_module</c>. Throws when the name is empty,
    /// has a dot, or is already taken by a field or a registered member.
    /// </summary>
    protected TModule RegisterModule<TModule>(string name, TModule module) where TModule : Module<T>
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name, nameof(RegisterModule));
        (_modules ??= []).Add((name, module));
        return module;
    }

    /// <summary>
    /// Adds <paramref name="parameter"/>, a leaf tensor, as a parameter named <paramref name="name"/> (after the
    /// field-held ones); returns it. It is trained when its <see cref="Tensor{T}.RequiresGrad"/> is set (a parameter with
    /// it cleared is frozen: saved and loaded, not trained). As PyTorch's <c>register_parameter</c>. Throws for a
    /// computed tensor, or a name that is empty, has a dot, or is taken.
    /// </summary>
    protected Tensor<T> RegisterParameter(string name, Tensor<T> parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckNewName(name, nameof(RegisterParameter));
        if (!parameter.IsLeaf)
            throw new NablaArgumentException(nameof(parameter), $"RegisterParameter: \"{name}\" is computed by {parameter.OpName}, not a leaf; register a leaf such as its Detach()");
        (_parameters ??= []).Add((name, parameter));
        return parameter;
    }

    /// <summary>
    /// Adds <paramref name="buffer"/> as a buffer named <paramref name="name"/>: saved and loaded with the state dict
    /// (after the parameters, as PyTorch's <c>register_buffer</c>) but not trained; returns it. Throws when the name is
    /// empty, has a dot, or is taken.
    /// </summary>
    protected Tensor<T> RegisterBuffer(string name, Tensor<T> buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckNewName(name, nameof(RegisterBuffer));
        (_buffers ??= []).Add((name, buffer));
        return buffer;
    }

    private void CheckNewName(string name, string method)
    {
        if (ModuleNames.Problem(name) is { } problem)
            throw new NablaArgumentException(nameof(name), $"{method}: name is \"{name}\"; {problem}");
        bool taken = ModuleFields<T>.Of(DiscoverableType()).Names.Contains(name)
                     || (_modules?.Exists(m => m.Name == name) ?? false)
                     || (_parameters?.Exists(p => p.Name == name) ?? false)
                     || (_buffers?.Exists(b => b.Name == name) ?? false);
        if (taken)
            throw new NablaArgumentException(nameof(name), $"{method}: {TypeName} already has a member named \"{name}\"");
    }
}
