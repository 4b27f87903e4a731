using System.Numerics;

namespace Nabla.Tensors;

/// <summary>
/// Reuses the arrays of engine-made gradients that are provably dead: a non-retained gradient of a computed tensor once
/// its rule ran (<see cref="Autograd"/> releases it; nothing outside the engine can reach it then, since the tensor's
/// Grad is already null and rules copy what they keep). Buckets by exact length, per element type and thread, a few
/// arrays each, so a training loop's repeating shapes hit and nothing grows without bound. Only arrays the engine
/// rented and marked (<see cref="TensorStorage{T}.Pooled"/>) ever come back; a user's array never does.
/// </summary>
internal static class BufferPool<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    const int PerLength = 4, DefaultMinLength = 256;

    [ThreadStatic] private static Dictionary<int, Stack<T[]>>? buckets;
    [ThreadStatic] private static int minLength;

    /// <summary>
    /// Below this many elements (default 256) an allocation is cheap and pooling only adds bookkeeping; tests set 1 on
    /// their thread so small programs exercise the pool.
    /// </summary>
    public static int MinLength { get => minLength == 0 ? DefaultMinLength : minLength; set => minLength = value; }
    [ThreadStatic] private static bool disabled;
    [ThreadStatic] private static bool poison;

    /// <summary>Turns pooling off on this thread (every Rent allocates, Return drops): the reference the tests compare with.</summary>
    public static bool Disabled { get => disabled; set => disabled = value; }

    /// <summary>Debug switch: returned arrays are filled with NaN, so an engine bug that reads a returned buffer shows at once.</summary>
    public static bool Poison { get => poison; set => poison = value; }

    /// <summary>An array of exactly <paramref name="length"/> elements with unspecified contents.</summary>
    public static T[] Rent(int length)
    {
        if (!disabled && length >= MinLength && buckets is not null && buckets.TryGetValue(length, out var stack) && stack.Count > 0)
            return stack.Pop();
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>A tensor of <paramref name="shape"/> over a rented array whose storage may come back through <see cref="Release"/>.</summary>
    public static Tensor<T> RentTensor(int[] shape)
    {
        var t = new Tensor<T>(Rent(Shapes.ElementCount(shape)), shape);
        t.Store.Pooled = t.ElementCount >= MinLength;
        return t;
    }

    /// <summary>
    /// Gives <paramref name="grad"/>'s array back when it was rented and <paramref name="owner"/> (whose gradient it was,
    /// and which just dropped it) still owns it; marks the storage so it can never be returned twice.
    /// </summary>
    public static void Release(Tensor<T> owner, Tensor<T> grad)
    {
        var store = grad.Store;
        if (!store.Pooled || !ReferenceEquals(store.Owner, owner)) return;
        store.Pooled = false;
        store.Owner = null;
        if (disabled) return;
        if (poison) store.Data.AsSpan().Fill(T.NaN);
        buckets ??= [];
        if (!buckets.TryGetValue(store.Data.Length, out var stack)) buckets[store.Data.Length] = stack = new Stack<T[]>(PerLength);
        if (stack.Count < PerLength) stack.Push(store.Data);
    }
}
