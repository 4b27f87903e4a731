using System.Numerics;

namespace Nabla.Tensors;

// Ownership rules: when an array may go back to the pool. A returned array is handed to the next Rent, so an array
// goes back only when no tensor, view, span or rule can reach it any more; nothing is ever returned on a guess.
//
//  1. Rent gives a fresh or recycled array; every op output, gradient and kernel temporary may come from it. Renting
//     is always safe: the array is the renter's alone. Arrays a user passes in (new Tensor(data, shape)) are never
//     returned: only the three paths below return, and each names an engine-made array.
//  2. A gradient of a computed tensor goes back when its rule ran and the tensor does not retain it (Autograd.Backward
//     → Release): Grad is already null, rules copy what they keep, and the storage records the tensor that adopted it
//     (Owner), so a gradient that was copied or handed to a leaf never comes back through another tensor.
//  3. A partial gradient a rule passed as owned (a fresh tensor only the rule held) goes back once Accumulate has
//     added it into its target instead of adopting it (Recycle): the rule drops it right after.
//  4. An intermediate activation inside a Sequential of built-in layers (Linear, ReLU, Sigmoid, Tanh and their fused
//     pairs) is private: the user never receives it, those layers keep no reference to their input or output except
//     in the graph node they record, and it does not share storage with the next output. Sequential marks it
//     (Intermediate) with the number of live graph nodes that reach it (its producer and its one consumer); Backward
//     decrements when it frees a node (Unreference) and the array goes back at zero — at once under NoGrad, after both
//     rules ran in a training step. A retained graph is never freed, so its activations are never returned. This holds
//     while nothing runs a freed node's closures (GradNode.Free drops them) and no public API hands out a node's inputs;
//     a new layer joins the built-in list only if its op keeps its input and output nowhere but in its node.
//     A model whose forward pass is made only of such ops (the GPT) marks every activation between its input and its
//     output the same way in one walk over the graph it just recorded (PrivateGraph), counting the nodes that read each.
//  5. A TensorScope releases the op results made inside it when it ends (TensorScope.cs states which). This is the one
//     path that returns arrays tensors can still reach, so it marks the storage Released first, and every read of a
//     tensor's storage (Tensor.Storage, the view constructor, Backward's saved-tensor check) refuses a released storage:
//     a released array is never read through a tensor again, whoever rents it next.
//
//  6. A workspace array a graph node alone holds (a LayerNorm's normalised input, an attention's log-sum-exps) goes back
//     through ReturnWorkspace when the node is freed (GradNode.OnFree), or at once when nothing was recorded.
//
// Debug switch: Poison fills every returned array with NaN, so an engine bug that reads returned memory changes the
// values at once (the pool on/off property test runs with it).
/// <summary>
/// Per element type and per thread, arrays bucketed by exact length, a few per length and a bounded total, so a
/// training loop's repeating shapes hit and nothing grows without bound. See the ownership rules above.
/// </summary>
internal static class BufferPool<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // A transformer's step holds dozens of activations and gradients of one length ([B·T, C]); the byte bound below,
    // not this count, is what keeps the pool small.
    const int PerLength = 64;
    const long MaxPooledBytes = 256L << 20;

    [ThreadStatic] private static Dictionary<int, Stack<T[]>>? buckets;
    [ThreadStatic] private static long pooledBytes;
    [ThreadStatic] private static long recycled;

    /// <summary>
    /// Below this many elements (default 256) an allocation is cheap and pooling only adds bookkeeping; tests set 1 on
    /// their thread so small programs exercise the pool. The three switches are per thread and shared by both element types.
    /// </summary>
    public static int MinLength { get => PoolSwitches.MinLength; set => PoolSwitches.MinLength = value; }

    /// <summary>Turns pooling off on this thread (every Rent allocates, every return drops): the reference the tests compare with.</summary>
    public static bool Disabled { get => PoolSwitches.Disabled; set => PoolSwitches.Disabled = value; }

    /// <summary>Debug switch: returned arrays are filled with NaN, so an engine bug that reads a returned buffer shows at once.</summary>
    public static bool Poison { get => PoolSwitches.Poison; set => PoolSwitches.Poison = value; }

    /// <summary>How many arrays this thread took back so far (tests check that a path really returns).</summary>
    public static long Returned => recycled;

    /// <summary>An array of exactly <paramref name="length"/> elements with unspecified contents.</summary>
    public static T[] Rent(int length)
    {
        if (length >= PoolSwitches.MinLength && !PoolSwitches.Disabled && buckets is not null && buckets.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            pooledBytes -= (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            return stack.Pop();
        }
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
    /// Rule 2: gives <paramref name="grad"/>'s array back when it was rented and <paramref name="owner"/> (whose gradient
    /// it was, and which just dropped it) still owns it; marks the storage so it can never be returned twice.
    /// </summary>
    public static void Release(Tensor<T> owner, Tensor<T> grad)
    {
        var store = grad.Store;
        if (!store.Pooled || !ReferenceEquals(store.Owner, owner)) return;
        store.Owner = null;
        Push(store);
    }

    /// <summary>
    /// Rule 3: takes back the array of <paramref name="g"/>, a fresh tensor its caller alone held and drops now, when it
    /// spans exactly its whole array (so no other tensor can be a view of it).
    /// </summary>
    public static void Recycle(Tensor<T> g)
    {
        var store = g.Store;
        if (g.Node is not null || g.Offset != 0 || !g.IsContiguous || store.Data.Length != g.ElementCount || store.Owner is not null || store.Private) return;
        Push(store);
    }

    /// <summary>
    /// Rule 4: <paramref name="h"/>, made by a built-in layer of a Sequential, was given only to the next built-in layer,
    /// which returned <paramref name="next"/>. Counts the graph nodes that reach h (its producer, the consumer) and
    /// takes the array back at once when there are none (no recording).
    /// </summary>
    public static void Intermediate(Tensor<T> h, Tensor<T> next)
    {
        var store = h.Store;
        if (store.Private || store.Owner is not null || ReferenceEquals(next.Store, store) || h.Offset != 0 || !h.IsContiguous
            || store.Data.Length != h.ElementCount) return;
        int refs = h.Node is null ? 0 : 1;
        if (next.Node is not null)
            foreach (var input in next.Node.Inputs) if (ReferenceEquals(input.Store, store)) refs++;
        store.Private = true;
        store.GraphRefs = refs;
        if (refs == 0) Push(store);
    }

    /// <summary>Rule 4: a freed graph node reached <paramref name="t"/>; a private array goes back when the last such node is freed.</summary>
    public static void Unreference(Tensor<T> t)
    {
        if (!t.HasStore) return;   // never marked private: a private tensor's storage exists
        var store = t.Store;
        if (store.Private && --store.GraphRefs == 0) Push(store);
    }

    /// <summary>
    /// Rule 4 for a whole forward pass: every tensor computed between <paramref name="input"/> (exclusive; null when the
    /// pass starts from indices) and <paramref name="output"/> (exclusive) becomes private, with the number of recorded
    /// nodes that reach its array (its producer and every reader). The caller guarantees that nothing but those graph
    /// nodes holds any of them: a model whose layers keep no activation and have no forward hooks. An array that some
    /// other reached tensor also uses (a view, a parameter, the input or the output) is left alone, so a view never
    /// outlives its array. Without a recorded graph nothing is reached and nothing changes.
    /// </summary>
    public static void PrivateGraph(Tensor<T> output, Tensor<T>? input)
    {
        if (output.Node is null) return;
        var made = new Dictionary<T[], (Tensor<T> Tensor, int Count)>(ReferenceEqualityComparer.Instance);
        var readers = new Dictionary<T[], int>(ReferenceEqualityComparer.Instance);
        var outside = new HashSet<T[]>(ReferenceEqualityComparer.Instance) { output.Store.Data };
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance) { output };
        var stack = new Stack<Tensor<T>>();
        stack.Push(output);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            var array = t.Store.Data;
            if (t.Node is not { Rule: not null } node || ReferenceEquals(t, input)) { outside.Add(array); continue; }
            if (!ReferenceEquals(t, output)) made[array] = made.TryGetValue(array, out var m) ? (m.Tensor, m.Count + 1) : (t, 1);
            foreach (var x in node.Inputs)
            {
                var read = x.Store.Data;
                readers[read] = readers.GetValueOrDefault(read) + 1;
                if (seen.Add(x)) stack.Push(x);
            }
        }
        foreach (var (array, (h, count)) in made)
        {
            var store = h.Store;
            if (count != 1 || outside.Contains(array) || store.Private || store.Owner is not null || store.Returned || h.Offset != 0
                || !h.IsContiguous || array.Length != h.ElementCount) continue;
            store.Private = true;
            store.GraphRefs = 1 + readers.GetValueOrDefault(array);
        }
    }

    /// <summary>Rule 6: <paramref name="workspace"/>, an array only a freed graph node (or a finished op) held, goes back.</summary>
    public static void ReturnWorkspace(T[] workspace) => PushArray(workspace);

    /// <summary>A scope ended and released <paramref name="store"/> (its tensors refuse access from now on): its array goes back.</summary>
    public static void ReturnReleased(TensorStorage<T> store) => Push(store);

    /// <summary>Takes <paramref name="store"/>'s array, once: the storage is marked so no path can return it twice.</summary>
    private static void Push(TensorStorage<T> store)
    {
        if (store.Returned) return;
        store.Returned = true;
        PushArray(store.Data);
    }

    private static void PushArray(T[] array)
    {
        if (PoolSwitches.Disabled || array.Length < PoolSwitches.MinLength) return;
        if (PoolSwitches.Poison) array.AsSpan().Fill(T.NaN);
        long bytes = (long)array.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (pooledBytes + bytes > MaxPooledBytes) return;
        buckets ??= [];
        if (!buckets.TryGetValue(array.Length, out var stack)) buckets[array.Length] = stack = new Stack<T[]>(PerLength);
        if (stack.Count >= PerLength) return;
        stack.Push(array);
        pooledBytes += bytes;
        recycled++;
    }
}

/// <summary>
/// The pool's per-thread switches, kept in a non-generic class: a thread-static field of a generic class is reached
/// through a runtime helper, one of a non-generic class inline, and Rent reads these on every op.
/// </summary>
internal static class PoolSwitches
{
    const int DefaultMinLength = 256;
    [ThreadStatic] private static int minLength;
    [ThreadStatic] private static bool disabled, poison;

    // Even an inline thread-static read is a call on Linux (__tls_get_addr), and Rent runs on every op: until some thread
    // sets a switch (tests do; programs do not), every thread has the defaults and no thread-static is read at all.
    private static volatile bool touched;

    public static int MinLength { get => !touched || minLength == 0 ? DefaultMinLength : minLength; set { touched = true; minLength = value; } }
    public static bool Disabled { get => touched && disabled; set { touched = true; disabled = value; } }
    public static bool Poison { get => touched && poison; set { touched = true; poison = value; } }
}
