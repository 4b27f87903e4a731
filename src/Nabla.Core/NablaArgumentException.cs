namespace Nabla;

/// <summary>
/// A public API argument that cannot be used: the message names the argument, its value and what it must be,
/// e.g. "Linear: inFeatures is -1; it must be ≥ 0". Thrown before anything is allocated.
/// </summary>
public sealed class NablaArgumentException(string parameter, string message) : NablaException(message)
{
    /// <summary>The name of the argument that was wrong, as the method declares it.</summary>
    public string Parameter { get; } = parameter;

    /// <summary>Returns <paramref name="value"/> if <paramref name="valid"/> holds, otherwise throws naming the argument.</summary>
    internal static T Check<T>(T value, bool valid, string where, string parameter, string requirement) =>
        valid ? value : throw new NablaArgumentException(parameter, $"{where}: {parameter} is {Text(value)}; it must be {requirement}");

    private static string Text<T>(T value) =>
        value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : value?.ToString() ?? "null";
}
