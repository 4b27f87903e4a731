namespace Nabla.Tensors;

/// <summary>
/// Turns gradient recording off on the current thread: <c>using (NoGrad.Scope()) { ... }</c>.
/// Scopes nest; disposing one restores the state it found, also when an exception leaves the block.
/// </summary>
public static class NoGrad
{
    [ThreadStatic] private static bool active;

    /// <summary>True while a scope is open on this thread: ops then build no graph.</summary>
    public static bool IsActive => active;

    /// <summary>Opens a scope in which tensor ops record nothing; dispose it to restore the previous state.</summary>
    public static Restorer Scope()
    {
        var r = new Restorer(active);
        active = true;
        return r;
    }

    /// <summary>Restores the recording state a <see cref="Scope"/> found when disposed.</summary>
    public sealed class Restorer : IDisposable
    {
        private readonly bool previous;
        private bool disposed;
        internal Restorer(bool previous) => this.previous = previous;

        /// <summary>Restores the previous recording state; later calls do nothing.</summary>
        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            active = previous;
        }
    }
}
