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

    /// <summary>For the AVX-512 kernel (6×32): the same A block; its B micro-panel 256×32×4 B = 32 KiB, NC a multiple of 32.</summary>
    public static GemmBlocking WideFloat => new(MC: 144, KC: 256, NC: 4064);

    /// <summary>For the AVX-512 kernel (6×16), as <see cref="WideFloat"/> in bytes.</summary>
    public static GemmBlocking WideDouble => new(MC: 72, KC: 256, NC: 4064);
}
