using System.Numerics;
using Nabla.Rng;

namespace Nabla.Data;

/// <summary>
/// tf.data's shuffle buffer over a row stream: K rows are held; each sample is buffer row j, j uniform on the rows
/// held (drawn with <see cref="RandomState.RandInt(long)"/>), and the stream's next row takes slot j; once the stream
/// ends, the held rows come out in random order. Memory: K·(F + t) elements, allocated once per pass.
/// </summary>
internal sealed class ShuffledRows<T> : ISampleReader<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CsvRowReader<T> rows;
    private readonly RandomState random;
    private readonly int capacity, inputSize, targetSize;
    private readonly bool indexTarget;
    private readonly T[] inputs, targets;
    private readonly int[] targetIndices;
    private int held = -1; // −1 until the buffer is first filled

    public ShuffledRows(CsvRowReader<T> rows, int capacity, int inputSize, SampleField target, RandomState random)
    {
        this.rows = rows;
        this.random = random;
        this.capacity = capacity;
        this.inputSize = inputSize;
        indexTarget = target.IsIndices;
        targetSize = target.Size;
        inputs = new T[checked(capacity * inputSize)];
        targets = indexTarget ? [] : new T[checked(capacity * targetSize)];
        targetIndices = indexTarget ? new int[capacity] : [];
    }

    public bool ReadNext(SampleBuffers<T> into)
    {
        if (held < 0)
        {
            held = 0;
            while (held < capacity && ReadInto(held)) held++;
        }
        if (held == 0) return false;
        int j = (int)random.RandInt(held);
        inputs.AsSpan(j * inputSize, inputSize).CopyTo(into.Inputs);
        if (indexTarget) into.TargetIndices[0] = targetIndices[j];
        else targets.AsSpan(j * targetSize, targetSize).CopyTo(into.Targets);
        if (!ReadInto(j))
        {
            held--;
            Move(held, j);
        }
        return true;
    }

    private bool ReadInto(int slot) => rows.ReadRow(inputs.AsSpan(slot * inputSize, inputSize),
        indexTarget ? default : targets.AsSpan(slot * targetSize, targetSize),
        indexTarget ? targetIndices.AsSpan(slot, 1) : default);

    private void Move(int from, int to)
    {
        if (from == to) return;
        inputs.AsSpan(from * inputSize, inputSize).CopyTo(inputs.AsSpan(to * inputSize, inputSize));
        if (indexTarget) targetIndices[to] = targetIndices[from];
        else targets.AsSpan(from * targetSize, targetSize).CopyTo(targets.AsSpan(to * targetSize, targetSize));
    }

    public void Dispose() => rows.Dispose();
}
