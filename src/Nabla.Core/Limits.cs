using System.Globalization;

namespace Nabla;

/// <summary>
/// The sizes Nabla accepts from its inputs (network descriptions, convolution settings, IDX files, class labels), in
/// one place. Each limit is checked, in overflow-checked 64-bit arithmetic, before anything it bounds is allocated, so
/// an input that asks for too much is refused with a <see cref="NablaException"/> naming the field, the value and the
/// limit, never an out-of-memory crash (docs/limits.md lists them with their reasons).
/// </summary>
public static class Limits
{
    /// <summary>
    /// The largest whole-number setting of a layer in a description (1 048 576): out features and channels, kernel,
    /// stride, padding, dilation, groups and embedding sizes.
    /// </summary>
    public const int MaxLayerSetting = 1 << 20;

    /// <summary>
    /// The most parameters and buffers a network built from a description may hold (16 777 216 values: 64 MiB in
    /// float32, 128 MiB in float64, before gradients and optimizer state multiply it by up to four).
    /// </summary>
    public const long MaxModelValues = 1L << 24;

    /// <summary>The most values one sample may have at the output of any layer of a described network (16 777 216).</summary>
    public const long MaxSampleValues = 1L << 24;

    /// <summary>
    /// The most activation values one training step of a text model may compute (67 108 864): the batch size times a
    /// window's values summed over the layers (see <see cref="MaxSampleValues"/>, which bounds one window). 256 MiB in
    /// float32, 512 MiB in float64, before gradients double it.
    /// </summary>
    public const long MaxStepValues = 1L << 26;

    /// <summary>
    /// The most pieces <c>Chunk</c> returns for a dimension of size 0 (1 048 576), each an empty tensor of its own; a
    /// dimension of n &gt; 0 elements never gives more than n.
    /// </summary>
    public const int MaxEmptyChunks = 1 << 20;

    /// <summary>The most elements one tensor may hold (2 147 483 591, <see cref="Array.MaxLength"/>).</summary>
    public const long MaxTensorElements = 2_147_483_591;

    /// <summary>
    /// The most elements an IDX file may hold (67 108 864): read as doubles that is 512 MiB, checked against the header
    /// before any data is read (MNIST's training images are 47 040 000).
    /// </summary>
    public const long MaxIdxElements = 1L << 26;

    /// <summary>
    /// The largest text file a character corpus may read (134 217 728 bytes, 128 MiB): loading holds the bytes, the
    /// decoded characters and one token id per character, about nine bytes of memory per byte of text.
    /// </summary>
    public const long MaxCorpusBytes = 1L << 27;

    /// <summary>The most classes a classifier may have (1 000): its evaluation keeps a classes × classes confusion matrix.</summary>
    public const int MaxClasses = 1_000;

    /// <summary>
    /// Refuses <paramref name="value"/> above <paramref name="limit"/>: the message says what <paramref name="what"/>
    /// would be and the limit.
    /// </summary>
    /// <exception cref="NablaException">The value is over the limit.</exception>
    internal static void Check(string what, long value, long limit)
    {
        if (value > limit)
            throw new NablaException(string.Create(CultureInfo.InvariantCulture,
                $"{what} would be {value:N0}; the limit is {limit:N0} (see docs/limits.md)"));
    }

    /// <summary>
    /// The product of <paramref name="factors"/> (each ≥ 0), or <see cref="long.MaxValue"/> when it overflows 64 bits,
    /// so that a check against any limit refuses it instead of wrapping to a small number.
    /// </summary>
    internal static long Product(params ReadOnlySpan<long> factors)
    {
        long p = 1;
        // A zero factor makes the product 0 even where the others alone would overflow.
        foreach (long f in factors)
            if (f == 0) return 0;
        foreach (long f in factors)
        {
            try { p = checked(p * f); }
            catch (OverflowException) { return long.MaxValue; }
        }
        return p;
    }

    /// <summary>a + b for counts ≥ 0, or <see cref="long.MaxValue"/> when it overflows (see <see cref="Product"/>).</summary>
    internal static long Sum(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>
    /// The output size along one axis of a window sweep, ⌊(size + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1, in
    /// 64-bit arithmetic (every term fits: the arguments are 32-bit); negative when the window does not fit.
    /// </summary>
    internal static long WindowOutput(long size, long kernel, long stride, long padding, long dilation)
    {
        long span = dilation * (kernel - 1) + 1, padded = size + 2 * padding;
        return padded < span ? -1 : (padded - span) / stride + 1;
    }

    /// <summary>Refuses an enum argument that is none of its type's named values, naming the parameter.</summary>
    /// <exception cref="NablaArgumentException">The value is not defined.</exception>
    internal static TEnum Defined<TEnum>(TEnum value, string parameter) where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? value
            : throw new NablaArgumentException(parameter,
                $"{parameter} is {Convert.ToInt64(value, CultureInfo.InvariantCulture)}, not a {typeof(TEnum).Name} (one of {string.Join(", ", Enum.GetNames<TEnum>())})");
}
