namespace Nabla.Nn;

/// <summary>
/// Gives a module field or auto-property another name in parameter and state-dict names than the one it gets from the
/// field (<c>[StateName("c_attn")] readonly Linear&lt;float&gt; attention</c> is saved as <c>c_attn.weight</c>), to load
/// another program's checkpoints. The name must be non-empty and have no dot.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class StateNameAttribute(string name) : Attribute
{
    /// <summary>The name the member gets.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Keeps a module field or auto-property out of the module's children and parameters: a reference to a shared or
/// parent module used but not owned, or a tensor that should not be trained or saved.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class NotRegisteredAttribute : Attribute;
