namespace Nabla.Kernels;

/// <summary>
/// Cache blocking of the packed matrix product: a KC×NC block of op(B) is packed once (it lives in L3),
/// an MC×KC block of op(A) is packed for each block row (it lives in L2), and a KC×NR micro-panel of the
/// packed B stays in L1 while the micro-kernel sweeps the MR-row panels of the packed A over it.
/// MC must be a multiple of the kernel's MR and NC of its NR.
/// </summary>
/// <param name="MC">Rows of op(A) packed at once.</param>
/// <param name="KC">Depth of one packed block (k is split into ⌈k/KC⌉ near-equal blocks).</param>
/// <param name="NC">Columns of op(B) packed at once.</param>
internal readonly record struct GemmBlocking(int MC, int KC, int NC)
{
    /// <summary>Zen 3 (32 KiB L1d, 512 KiB L2 per core): A block 144×256×4 B = 144 KiB, B micro-panel 256×16×4 B = 16 KiB.</summary>
    public static GemmBlocking Float => new(MC: 144, KC: 256, NC: 4080);

    /// <summary>Same footprint in bytes as <see cref="Float"/>: A block 72×256×8 B = 144 KiB, B micro-panel 256×8×8 B = 16 KiB.</summary>
    public static GemmBlocking Double => new(MC: 72, KC: 256, NC: 4080);

    /// <summary>
    /// For the AVX-512 kernel (6×32), on the cores that have it (Zen 4/5: 1 MiB L2): k up to 800 in one slice, so each
    /// block of C is written once instead of once per slice. Measured on W3's forward product (256×512×784, two
    /// workers, Zen 5): 286 GFLOP/s with KC 256 (four slices of 196), 352 with one slice. A block 144×800×4 B = 450 KiB;
    /// NC keeps the packed B block at 1280×800 ≤ 2²⁰ elements (4 MiB float), the size the packing buffers had before.
    /// </summary>
    public static GemmBlocking WideFloat => new(MC: 144, KC: 800, NC: 1280);

    /// <summary>For the AVX-512 kernel (6×16), as <see cref="WideFloat"/> in bytes (W3's forward in float64: 137 → 166 GFLOP/s).</summary>
    public static GemmBlocking WideDouble => new(MC: 72, KC: 800, NC: 1280);
}
