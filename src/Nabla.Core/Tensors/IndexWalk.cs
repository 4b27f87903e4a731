using System.Numerics;

namespace Nabla.Tensors;

/// <summary>
/// The loop behind Gather and ScatterAdd: every position p of an index of <paramref name="shape"/>, in row-major order,
/// pairs one element of a "plain" operand (read or written at p itself) with one of a "replaced" operand (at p with
/// its <paramref name="dim"/> coordinate replaced by index[p]). Both operands are strided, so views need no copy;
/// storage offsets follow an odometer over the outer dimensions and a stride step along the last one.
/// </summary>
internal sealed class IndexWalk(int[] shape, int dim)
{
    private enum Mode { CopyFromReplaced, AddFromReplaced, AddIntoReplaced }

    /// <summary>plain[p] = replaced[p | dim → index[p]]: Gather's forward.</summary>
    public void Gather<T>(int[] index, T[] replaced, int replacedOffset, int[] replacedStrides, T[] plain, int plainOffset, int[] plainStrides)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(index, replaced, replacedOffset, replacedStrides, plain, plainOffset, plainStrides, Mode.CopyFromReplaced);

    /// <summary>plain[p] += replaced[p | dim → index[p]]: ScatterAdd's gradient for src.</summary>
    public void GatherAdd<T>(int[] index, T[] replaced, int replacedOffset, int[] replacedStrides, T[] plain, int plainOffset, int[] plainStrides)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(index, replaced, replacedOffset, replacedStrides, plain, plainOffset, plainStrides, Mode.AddFromReplaced);

    /// <summary>replaced[p | dim → index[p]] += plain[p]: ScatterAdd's forward and Gather's gradient.</summary>
    public void ScatterAdd<T>(int[] index, T[] replaced, int replacedOffset, int[] replacedStrides, T[] plain, int plainOffset, int[] plainStrides)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(index, replaced, replacedOffset, replacedStrides, plain, plainOffset, plainStrides, Mode.AddIntoReplaced);

    private void Run<T>(int[] index, T[] rep, int repOffset, int[] repStrides, T[] plain, int plainOffset, int[] plainStrides, Mode mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (index.Length == 0) return;
        int rank = shape.Length;
        if (rank == 0) { Apply(ref rep[repOffset], ref plain[plainOffset], mode); return; }   // the one position is 0
        int last = rank - 1, length = shape[last], rows = index.Length / length;
        int sd = repStrides[dim], sr = dim == last ? 0 : repStrides[last], sp = plainStrides[last];
        var counter = new int[rank];
        int pr = repOffset, pp = plainOffset;
        for (int r = 0, q = 0; r < rows; r++, q += length)
        {
            switch (mode)
            {
                case Mode.CopyFromReplaced:
                    for (int j = 0; j < length; j++) plain[pp + j * sp] = rep[pr + j * sr + index[q + j] * sd];
                    break;
                case Mode.AddFromReplaced:
                    for (int j = 0; j < length; j++) plain[pp + j * sp] += rep[pr + j * sr + index[q + j] * sd];
                    break;
                default:
                    for (int j = 0; j < length; j++) rep[pr + j * sr + index[q + j] * sd] += plain[pp + j * sp];
                    break;
            }
            // Next row: the odometer over the outer dimensions; the replaced operand does not step along dim.
            for (int k = last - 1; k >= 0; k--)
            {
                int stepR = k == dim ? 0 : repStrides[k];
                counter[k]++;
                pr += stepR;
                pp += plainStrides[k];
                if (counter[k] < shape[k]) break;
                pr -= stepR * shape[k];
                pp -= plainStrides[k] * shape[k];
                counter[k] = 0;
            }
        }
    }

    private static void Apply<T>(ref T rep, ref T plain, Mode mode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (mode == Mode.CopyFromReplaced) plain = rep;
        else if (mode == Mode.AddFromReplaced) plain += rep;
        else rep += plain;
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/> in <paramref name="shape"/>, as "[1, 2]" ("[]" for 0-d).</summary>
    public static string Position(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int k = shape.Length - 1; k >= 0; k--) { index[k] = flat % shape[k]; flat /= shape[k]; }
        return "[" + string.Join(", ", index) + "]";
    }
}
