namespace Nabla.Tensors;

/// <summary>
/// Walks several strided operands of one shape together, a row (the innermost dimension) at a time.
/// Dimensions of size 1 are dropped and neighbouring dimensions that are contiguous in every operand are
/// merged first, so contiguous operands (and scalars broadcast against them) become a single long row.
/// </summary>
internal sealed class Rows
{
    private readonly int[] shape;      // collapsed shape; the last entry is the row length
    private readonly int[][] strides;  // per operand, per collapsed dimension
    private readonly int[] index;

    /// <summary>The storage offset of the current row's first element, per operand.</summary>
    public readonly int[] Offsets;

    /// <summary>Elements per row.</summary>
    public int RowLength { get; }

    /// <summary>How many rows there are.</summary>
    public int RowCount { get; }

    public Rows(int[] fullShape, int[][] fullStrides, int[] offsets)
    {
        var dims = new List<int>();
        for (int d = 0; d < fullShape.Length; d++) if (fullShape[d] != 1) dims.Add(d);
        var sh = new List<int>();
        var st = fullStrides.Select(_ => new List<int>()).ToArray();
        foreach (int d in dims)
        {
            int last = sh.Count - 1;
            bool merge = last >= 0;
            for (int k = 0; merge && k < st.Length; k++)
                merge = st[k][last] == fullStrides[k][d] * fullShape[d];
            if (merge)
            {
                sh[last] *= fullShape[d];
                for (int k = 0; k < st.Length; k++) st[k][last] = fullStrides[k][d];
            }
            else
            {
                sh.Add(fullShape[d]);
                for (int k = 0; k < st.Length; k++) st[k].Add(fullStrides[k][d]);
            }
        }
        if (sh.Count == 0) { sh.Add(1); foreach (var s in st) s.Add(1); }
        shape = sh.ToArray();
        strides = st.Select(s => s.ToArray()).ToArray();
        index = new int[shape.Length];
        Offsets = (int[])offsets.Clone();
        RowLength = shape[^1];
        long count = 1;
        for (int d = 0; d < shape.Length - 1; d++) count *= shape[d];
        RowCount = fullShape.Contains(0) ? 0 : (int)count;
    }

    /// <summary>The step between neighbouring elements of a row for operand <paramref name="k"/>.</summary>
    public int InnerStride(int k) => strides[k][^1];

    /// <summary>Moves <see cref="Offsets"/> to the next row (odometer order over the outer dimensions).</summary>
    public void Next()
    {
        for (int d = shape.Length - 2; d >= 0; d--)
        {
            index[d]++;
            for (int k = 0; k < Offsets.Length; k++) Offsets[k] += strides[k][d];
            if (index[d] < shape[d]) return;
            for (int k = 0; k < Offsets.Length; k++) Offsets[k] -= strides[k][d] * shape[d];
            index[d] = 0;
        }
    }
}
