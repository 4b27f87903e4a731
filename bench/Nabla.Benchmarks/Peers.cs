namespace Nabla.Benchmarks;

/// <summary>
/// Finds the peer directory, shared/bench beside the repository (a fresh clone has shared/ next to it; CI too):
/// the --peers option if given, else $NABLA_PEERS, else ../shared/bench from the repository root (the first
/// directory above the program holding Nabla.slnx), or from a directory further up (a git worktree such as
/// /work/wt/perf finds /work/shared/bench).
/// </summary>
internal static class Peers
{
    public static string Directory(string[] args)
    {
        string? given = Options.Get(args, "--peers", Environment.GetEnvironmentVariable("NABLA_PEERS") ?? "");
        if (given.Length > 0) return Path.GetFullPath(given);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
            {
                for (var up = dir.Parent; up is not null; up = up.Parent)
                    if (System.IO.Directory.Exists(Path.Combine(up.FullName, "shared", "bench")))
                        return Path.Combine(up.FullName, "shared", "bench");
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "bench"));
            }
        return Path.GetFullPath(Path.Combine("..", "shared", "bench"));
    }

    /// <summary>The path of a peer file, or null after printing where it was looked for and how to get it.</summary>
    public static string? File(string[] args, string name, TextWriter error)
    {
        string path = Path.Combine(Directory(args), name);
        if (System.IO.File.Exists(path)) return path;
        error.WriteLine($"missing peer file {path}: the peers live in shared/bench beside the repository " +
            "(clone or copy them there, or pass --peers DIR / set NABLA_PEERS)");
        return null;
    }
}
