namespace Nabla.Cli.Rendering;

/// <summary>
/// Whether standard output is a terminal a person watches, so it may get colours, cursor movement and a live
/// progress bar. Under mpirun it is not: Open MPI gives each rank a pseudo-terminal even when mpirun's own output
/// goes to a file, so the rank's stream looks like a terminal while its bytes end up in the log.
/// </summary>
public static class OutputKind
{
    /// <summary>True when standard output is a terminal, this process is not an MPI rank, and TERM is not "dumb".</summary>
    public static bool StandardOutputIsTerminal =>
        !Console.IsOutputRedirected && !MpiLaunch.IsRank && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>True when the NO_COLOR convention (no-color.org) asks for no colours: the variable is set and not empty.</summary>
    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
