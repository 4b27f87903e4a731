using System.Runtime.ExceptionServices;

namespace Nabla.Formulas;

/// <summary>
/// Runs recursive work over a formula on a thread with a large stack when the formula is long
/// enough to nest deeply, so 10 000 nested parentheses parse instead of crashing the process.
/// </summary>
public static class DeepStack
{
    private const int ShortText = 400;
    private const int LargeStackBytes = 256 * 1024 * 1024;

    /// <summary>Returns <paramref name="work"/>'s result: run on the calling thread for texts of at most 400 characters, otherwise on a new thread with a 256 MB stack, rethrowing any exception it throws.</summary>
    public static T Run<T>(int textLength, Func<T> work)
    {
        if (textLength <= ShortText) return work();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, LargeStackBytes);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
