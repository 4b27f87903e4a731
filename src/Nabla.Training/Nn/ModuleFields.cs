using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Reflection;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// Finds the fields of a module type that hold child modules, collections of them or tensors (the rules are on
/// <see cref="Module{T}"/>), once per type; the values are read from the instance on every call, so a field assigned
/// later is seen.
/// </summary>
internal static class ModuleFields<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>What a discovered field holds.</summary>
    internal enum Kind { Module, Collection, Tensor }

    /// <summary>One discovered field and the name it gets in parameter and state-dict names.</summary>
    internal sealed record Member(FieldInfo Field, string Name, Kind Kind);

    /// <summary>A type's discovered fields: module and collection fields, tensor fields, and every name they take.</summary>
    internal sealed record TypeMembers(Member[] Modules, Member[] Tensors, HashSet<string> Names);

    private static readonly ConcurrentDictionary<Type, TypeMembers> Cache = new();

    /// <summary>What the annotation on <see cref="Module"/> keeps: every field and property of every module class.</summary>
    internal const DynamicallyAccessedMemberTypes Kept = DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields |
                                                         DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.NonPublicProperties;

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>The collection types whose element type is looked into (with one-dimensional arrays).</summary>
    private static readonly Type[] Collections =
        [typeof(List<>), typeof(IList<>), typeof(IReadOnlyList<>), typeof(ICollection<>), typeof(IReadOnlyCollection<>), typeof(IEnumerable<>)];

    /// <summary>The discovered fields of <paramref name="type"/>, a type derived from <see cref="Module{T}"/>.</summary>
    public static TypeMembers Of([DynamicallyAccessedMembers(Kept)] Type type)
    {
        if (Cache.TryGetValue(type, out var members)) return members;
        members = Discover(type);
        Cache.TryAdd(type, members);
        return members;
    }

    private static TypeMembers Discover(Type type)
    {
        var chain = new List<Type>();
        for (Type? t = type; t is not null && t != typeof(Module<T>); t = t.BaseType) chain.Add(t);
        chain.Reverse();   // base-class fields first
        var modules = new List<Member>();
        var tensors = new List<Member>();
        var names = new Dictionary<string, string>();
        foreach (var t in chain)
        {
            foreach (var field in DeclaredFields(t))
            {
                var property = BackedProperty(t, field);
                if (Has<NotRegisteredAttribute>(field, property)) continue;
                var renamed = (StateNameAttribute?)field.GetCustomAttribute(typeof(StateNameAttribute))
                              ?? (StateNameAttribute?)property?.GetCustomAttribute(typeof(StateNameAttribute));
                Kind? kind = KindOf(field.FieldType);
                string where = $"{ModuleNames.Of(type)}.{property?.Name ?? field.Name}";
                if (IsModuleDictionary(field.FieldType))
                    throw new NablaException($"{where} holds a dictionary of modules, whose order and names are not defined; use a ModuleDict<{typeof(T).Name}> (insertion order, keys as names)");
                if (kind is null)
                {
                    if (renamed is not null)
                        throw new NablaException($"{where} has [StateName(\"{renamed.Name}\")] but holds a {field.FieldType.Name}, neither a module, a collection of modules nor a Tensor<{typeof(T).Name}>");
                    continue;
                }
                string name = renamed?.Name ?? NameOf(field.Name);
                if (renamed is not null && ModuleNames.Problem(name) is { } problem)
                    throw new NablaException($"{where} has [StateName(\"{name}\")]: {problem}");
                if (!names.TryAdd(name, where))
                    throw new NablaException($"{ModuleNames.Of(type)} has two members named \"{name}\" ({names[name]} and {where}); rename one with [StateName] or exclude one with [NotRegistered]");
                (kind == Kind.Tensor ? tensors : modules).Add(new Member(field, name, kind.Value));
            }
        }
        return new TypeMembers([.. modules], [.. tensors], [.. names.Keys]);
    }

    /// <summary>Module, Collection or Tensor by the field's declared type; null for anything else.</summary>
    private static Kind? KindOf(Type fieldType) =>
        typeof(Module<T>).IsAssignableFrom(fieldType) ? Kind.Module
        : fieldType == typeof(Tensor<T>) ? Kind.Tensor
        : IsModuleCollection(fieldType) ? Kind.Collection
        : null;

    /// <summary>A one-dimensional array or one of <see cref="Collections"/> whose elements are modules or such collections.</summary>
    private static bool IsModuleCollection(Type type)
    {
        Type? element = type.IsArray && type.GetArrayRank() == 1 ? type.GetElementType()
            : type.IsGenericType && Array.IndexOf(Collections, type.GetGenericTypeDefinition()) >= 0 ? type.GetGenericArguments()[0]
            : null;
        return element is not null && (typeof(Module<T>).IsAssignableFrom(element) || IsModuleCollection(element));
    }

    /// <summary>A dictionary type whose values are modules or collections of them (refused rather than silently skipped).</summary>
    private static bool IsModuleDictionary(Type type) =>
        type.IsGenericType && Array.IndexOf(Dictionaries, type.GetGenericTypeDefinition()) >= 0
        && type.GetGenericArguments()[1] is var value && (typeof(Module<T>).IsAssignableFrom(value) || IsModuleCollection(value));

    private static readonly Type[] Dictionaries =
        [typeof(Dictionary<,>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>), typeof(SortedDictionary<,>), typeof(OrderedDictionary<,>)];

    /// <summary>
    /// The field's name in state dicts: an auto-property's backing field (<c>&lt;Fc1&gt;k__BackingField</c>) and a captured
    /// primary-constructor parameter (<c>&lt;fc1&gt;P</c>) are named by the property or parameter, and one leading
    /// underscore is dropped (<c>_fc1</c> → <c>fc1</c>).
    /// </summary>
    internal static string NameOf(string fieldName)
    {
        if (fieldName.StartsWith('<') && fieldName.IndexOf('>') is > 1 and var end) return fieldName[1..end];
        return fieldName.Length > 1 && fieldName[0] == '_' ? fieldName[1..] : fieldName;
    }

    /// <summary>The auto-property whose backing field <paramref name="field"/> is, or null.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimJustification)]
    private static PropertyInfo? BackedProperty(Type type, FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
            ? type.GetProperty(NameOf(field.Name), Declared)
            : null;

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimJustification)]
    private static FieldInfo[] DeclaredFields(Type type) => type.GetFields(Declared);

    private const string TrimJustification =
        "Only called with module classes (a module's runtime type and its base classes up to Module<T>); the DynamicallyAccessedMembers " +
        "annotation on Module, which Module<T> derives from, applies to every derived class, so the trimmer keeps their fields and properties.";

    private static bool Has<TAttribute>(FieldInfo field, PropertyInfo? property) where TAttribute : Attribute =>
        field.IsDefined(typeof(TAttribute)) || (property?.IsDefined(typeof(TAttribute)) ?? false);

    /// <summary>
    /// The modules in <paramref name="items"/> (a collection field's value) as a <see cref="ModuleList{T}"/>, nested
    /// collections as nested lists, in the holder's mode (<paramref name="training"/>); <paramref name="where"/> names the
    /// field in the error for a null element.
    /// </summary>
    public static ModuleList<T> ToModuleList(IEnumerable items, string where, bool training)
    {
        var list = new ModuleList<T> { IsTraining = training };
        int i = 0;
        foreach (var item in items)
        {
            list.Add(item switch
            {
                Module<T> m => m,
                IEnumerable nested => ToModuleList(nested, $"{where}[{i}]", training),
                _ => throw new NablaException($"{where}[{i}] is null; a collection of modules cannot hold null, since positions name the modules"),
            });
            i++;
        }
        return list;
    }
}

/// <summary>The names modules use: the check every child, parameter and buffer name passes, and a module type's display name.</summary>
internal static class ModuleNames
{
    /// <summary>Why <paramref name="name"/> cannot name a member (empty, or with a dot, which joins nested names), or null when it can.</summary>
    public static string? Problem(string? name) =>
        string.IsNullOrEmpty(name) ? "a name must not be empty"
        : name.Contains('.') ? "a name must not contain \".\" (dots join the names of nested modules)"
        : null;

    /// <summary>
    /// <paramref name="value"/> as Python's <c>repr</c> of a float prints a layer setting: shortest round-trip digits,
    /// a lower-case exponent (<c>1e-05</c>) and <c>.0</c> on whole numbers (<c>0.0</c>, <c>1.0</c>).
    /// </summary>
    public static string PythonFloat(double value)
    {
        if (!double.IsFinite(value)) return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        string text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return text.Contains('E') ? text.Replace('E', 'e') : text.Contains('.') ? text : text + ".0";
    }

    /// <summary>
    /// <paramref name="type"/>'s name as PyTorch prints a module's class: without the generic arity (<c>Sequential</c>,
    /// not <c>Sequential`1</c>).
    /// </summary>
    public static string Of(Type type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }
}
