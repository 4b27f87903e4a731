using System.Numerics;
using Nabla.Data;
using Nabla.Losses;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>One epoch of a <see cref="TextTrainer{T}"/>: mean cross-entropies (nats per character) and their perplexities.</summary>
/// <param name="Epoch">The epoch's number, from 1.</param>
/// <param name="Loss">The mean of the epoch's training-batch losses.</param>
/// <param name="ValidationLoss">The loss over the held-out tail (<see cref="TextTrainer{T}.Evaluate"/>), or null without one.</param>
public sealed record TextEpoch(int Epoch, double Loss, double? ValidationLoss)
{
    /// <summary>e^<see cref="Loss"/>: the training perplexity.</summary>
    public double Perplexity => Math.Exp(Loss);

    /// <summary>e^<see cref="ValidationLoss"/>, or null.</summary>
    public double? ValidationPerplexity => ValidationLoss is { } v ? Math.Exp(v) : null;
}

/// <summary>
/// Trains a <see cref="TextModel{T}"/> on a <see cref="CharCorpus"/> as nanoGPT does: each step draws
/// <see cref="BatchSize"/> window offsets uniformly, with replacement, from the seeded generator (offset i gives the
/// window ids[i … i + T − 1] of the training head and its targets ids[i + 1 … i + T]), takes the mean cross-entropy over
/// every position, and steps the optimizer. An epoch is <see cref="StepsPerEpoch"/> steps, then a validation pass.
/// </summary>
public sealed partial class TextTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CharCorpus corpus;
    private readonly TextWindows training;
    private readonly RandomState rng;

    /// <summary>
    /// A trainer of <paramref name="model"/> on <paramref name="corpus"/>'s training head with windows of the model's
    /// context. Refused: a corpus whose characters are not exactly the model's vocabulary, a training head too short for
    /// one window, a batch size or step count below 1, a batch whose windows would compute more than
    /// <see cref="Limits.MaxStepValues"/> values.
    /// </summary>
    public TextTrainer(TextModel<T> model, CharCorpus corpus, Optimizer<T> optimizer, RandomState rng, int batchSize, int stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(rng);
        if (batchSize < 1) throw new NablaArgumentException(nameof(batchSize), $"TextTrainer: batchSize is {batchSize}; it must be ≥ 1");
        if (stepsPerEpoch < 1) throw new NablaArgumentException(nameof(stepsPerEpoch), $"TextTrainer: stepsPerEpoch is {stepsPerEpoch}; it must be ≥ 1");
        // Checked before the [batch, context] windows are allocated: a step computes batch × the model's values per window.
        if (Limits.Product(batchSize, model.ValuesPerWindow) > Limits.MaxStepValues)
            throw new NablaArgumentException(nameof(batchSize), $"TextTrainer: a batch of {batchSize:N0} windows would compute {Limits.Product(batchSize, model.ValuesPerWindow):N0} values per step " +
                $"({model.ValuesPerWindow:N0} per window of {model.Context:N0} tokens), more than the {Limits.MaxStepValues:N0} a step may (see docs/limits.md); " +
                $"give a batch size of at most {Math.Max(1, Limits.MaxStepValues / Math.Max(1, model.ValuesPerWindow)):N0}");
        if (!SameCharacters(corpus.Vocabulary, model.Vocabulary))
            throw new NablaArgumentException(nameof(corpus), $"TextTrainer: {corpus.Source} has {corpus.Vocabulary.Size} distinct characters, not the model's vocabulary of {model.Vocabulary.Size}; a model trains on a text with exactly its characters");
        Model = model; Optimizer = optimizer; BatchSize = batchSize; StepsPerEpoch = stepsPerEpoch;
        this.corpus = corpus;
        this.rng = rng;
        training = corpus.Training(model.Context);
    }

    // The corpus's ids are the model's only when both vocabularies hold the same characters (then in the same order).
    private static bool SameCharacters(CharVocabulary a, CharVocabulary b)
    {
        if (a.Size != b.Size) return false;
        for (int id = 0; id < a.Size; id++)
            if (a[id] != b[id]) return false;
        return true;
    }

    /// <summary>The model being trained.</summary>
    public TextModel<T> Model { get; }

    /// <summary>The optimizer stepping the model's parameters.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>Windows per step.</summary>
    public int BatchSize { get; }

    /// <summary>Optimizer steps per epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>
    /// When set, before every step the gradients are scaled so their global 2-norm is at most this
    /// (<see cref="GradClip.ClipGradNorm{T}"/>); null: no clipping.
    /// </summary>
    public double? ClipGradNorm
    {
        get;
        init => field = value is null or > 0 && (value is null || double.IsFinite(value.Value)) ? value
            : throw new NablaArgumentException(nameof(ClipGradNorm), $"TextTrainer: ClipGradNorm is {value}; it must be a finite number > 0");
    }

    /// <summary>
    /// When set, stepped after every optimizer step (per batch), as a warm-up's <see cref="LambdaLR"/> is; null: the
    /// optimizer's rate stays as it is. Its state travels in checkpoints.
    /// </summary>
    public LRScheduler? Scheduler
    {
        get;
        init => field = value is null || ReferenceEquals(value.Optimizer, Optimizer) ? value
            : throw new NablaArgumentException(nameof(Scheduler), "TextTrainer: the scheduler steps another optimizer than the trainer's; build it on the trainer's optimizer");
    }

    /// <summary>Epochs finished so far.</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Every finished epoch's losses, in order (restored from a checkpoint too).</summary>
    public IReadOnlyList<TextEpoch> History => history;

    private readonly List<TextEpoch> history = [];

    /// <summary>Runs one epoch and the validation pass (when the corpus holds text out); returns the losses.</summary>
    public TextEpoch RunEpoch()
    {
        int context = Model.Context;
        var inputs = IndexTensor.Zeros(BatchSize, context);
        var targets = IndexTensor.Zeros(BatchSize, context);
        var ids = corpus.Ids;
        double sum = 0;
        Model.Network.Train();
        for (int step = 0; step < StepsPerEpoch; step++)
        {
            for (int b = 0; b < BatchSize; b++)
            {
                int offset = (int)rng.RandInt(training.Count);
                ids.Slice(offset, context).CopyTo(inputs.AsSpan().Slice(b * context, context));
                ids.Slice(offset + 1, context).CopyTo(targets.AsSpan().Slice(b * context, context));
            }
            Optimizer.ZeroGrad();
            var loss = Model.Loss(inputs, targets);
            sum += double.CreateTruncating(loss.ToScalar());
            loss.Backward();
            if (ClipGradNorm is { } clip) GradClip.ClipGradNorm(Optimizer.Parameters, clip);
            Optimizer.Step();
            Scheduler?.Step();
        }
        CompletedEpochs++;
        // Without gradients a pass can take more windows at once than a step: as many as one sample's budget holds,
        // so that a short context over a long held-out tail is a few passes, not one per window.
        int windows = (int)Math.Clamp(Limits.MaxSampleValues / Math.Max(1, Model.ValuesPerWindow), BatchSize, int.MaxValue);
        double? validation = corpus.ValidationLength > 1 ? Evaluate(Model, corpus.Ids[corpus.TrainingLength..], windows) : null;
        var epoch = new TextEpoch(CompletedEpochs, sum / StepsPerEpoch, validation);
        history.Add(epoch);
        return epoch;
    }

    /// <summary>
    /// The mean cross-entropy of <paramref name="model"/>'s next-character predictions over <paramref name="ids"/>, in
    /// evaluation mode and without gradients: the text is cut into non-overlapping windows of the model's context
    /// (the last may be shorter), each window predicts the character after each of its positions, so every character
    /// but the first is predicted exactly once, from the characters before it in its window. Windows run
    /// <paramref name="batchSize"/> at a time (fewer when that many would compute more than <see cref="Limits.MaxStepValues"/>
    /// values; the loss is the same up to rounding). Refused: fewer than 2 ids.
    /// </summary>
    public static double Evaluate(TextModel<T> model, ReadOnlySpan<int> ids, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (ids.Length < 2) throw new NablaArgumentException(nameof(ids), $"TextTrainer.Evaluate: {ids.Length} characters hold no prediction to score; give at least 2");
        if (batchSize < 1) throw new NablaArgumentException(nameof(batchSize), $"TextTrainer.Evaluate: batchSize is {batchSize}; it must be ≥ 1");
        int context = model.Context, predictions = ids.Length - 1, full = predictions / context, rest = predictions % context;
        // No more windows at once than a training step may compute.
        batchSize = (int)Math.Clamp(Limits.MaxStepValues / Math.Max(1, model.ValuesPerWindow), 1, batchSize);
        bool wasTraining = model.Network.IsTraining;
        model.Network.Eval();
        double total = 0;
        try
        {
            using (NoGrad.Scope())
            {
                for (int first = 0; first < full; first += batchSize)
                {
                    int rows = Math.Min(batchSize, full - first);
                    total += SumLoss(model, ids, first * context, rows, context);
                }
                if (rest > 0) total += SumLoss(model, ids, full * context, 1, rest);
            }
        }
        finally { model.Network.Train(wasTraining); }
        return total / predictions;
    }

    // The summed loss of `rows` consecutive windows of `length` starting at `start`.
    private static double SumLoss(TextModel<T> model, ReadOnlySpan<int> ids, int start, int rows, int length)
    {
        var x = IndexTensor.Zeros(rows, length);
        var y = IndexTensor.Zeros(rows, length);
        ids.Slice(start, rows * length).CopyTo(x.AsSpan());
        ids.Slice(start + 1, rows * length).CopyTo(y.AsSpan());
        return double.CreateTruncating(model.Loss(x, y, Reduction.Sum).ToScalar());
    }
}
