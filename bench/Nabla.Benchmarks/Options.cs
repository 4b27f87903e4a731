namespace Nabla.Benchmarks;

/// <summary>Reads "--name value" options from a workload's arguments.</summary>
internal static class Options
{
    public static string Get(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    public static int[] Ints(string[] args, string name, string fallback) =>
        Get(args, name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
}
