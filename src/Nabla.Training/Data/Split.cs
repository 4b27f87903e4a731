namespace Nabla.Data;

/// <summary>Row indices of a train/validation split.</summary>
/// <param name="Train">The training rows, in permutation order.</param>
/// <param name="Validation">The validation rows, in permutation order.</param>
public sealed record SplitIndices(int[] Train, int[] Validation);

/// <summary>Splits rows by a caller-supplied permutation, so that the caller's seeded generator decides the split.</summary>
public static class Split
{
    /// <summary>
    /// As scikit-learn's <c>train_test_split</c> with <c>test_size = validationFraction</c>: the validation set is
    /// the first ⌈validationFraction · rows⌉ entries of <paramref name="order"/> (the product computed in double
    /// precision), and the training set is the rest, both in permutation order.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="order"/> is not a permutation of 0..rows−1.</exception>
    /// <exception cref="NablaException">The fraction is outside [0, 1) or leaves no training rows.</exception>
    public static SplitIndices TrainValidation(int rows, double validationFraction, int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new NablaException($"the validation fraction must be at least 0 and less than 1, got {validationFraction}");
        CheckPermutation(rows, order);
        var validation = (int)Math.Ceiling(validationFraction * rows);
        if (validation >= rows)
            throw new NablaException(
                $"a validation fraction of {validationFraction} of {rows} row{(rows == 1 ? "" : "s")} leaves no rows for training");
        return new SplitIndices(order[validation..], order[..validation]);
    }

    /// <summary>Throws unless <paramref name="order"/> holds each of 0..rows−1 exactly once.</summary>
    internal static void CheckPermutation(int rows, int[] order)
    {
        if (order.Length != rows)
            throw new ArgumentException($"the permutation has {order.Length} entries for {rows} rows", nameof(order));
        var seen = new bool[rows];
        for (var i = 0; i < order.Length; i++)
        {
            var r = order[i];
            if (r < 0 || r >= rows || seen[r])
                throw new ArgumentException($"the permutation is not one of 0..{rows - 1}: entry {i} is {r}", nameof(order));
            seen[r] = true;
        }
    }
}
