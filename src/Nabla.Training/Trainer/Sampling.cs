using System.Numerics;
using System.Text;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// Text generation from a <see cref="TextModel{T}"/>, nanoGPT's way, reproducible by seed. Each new token: crop the ids
/// to the last <see cref="TextModel{T}.Context"/>, run the model, take the last position's logits z, divide by the
/// temperature, with top-k set every logit below the k-th largest to −∞ (ties with the k-th survive), p = softmax,
/// then draw one token (see <see cref="Draw"/>). Temperature 0 is greedy: the first index of the largest logit, and no
/// random number is used.
/// </summary>
public static class Sampling
{
    /// <summary>
    /// One token from <paramref name="logits"/> (one position's, length V): the index described on
    /// <see cref="Sampling"/>. The draw is one <see cref="RandomState.RandomSample()"/> u in [0, 1) and the inverse CDF
    /// in index order: the first i with u &lt; p[0] + … + p[i], summed in double (the last index with p &gt; 0 if
    /// rounding leaves u above the total). Refused: an empty or NaN-holding row, a negative or non-finite temperature,
    /// top-k below 1.
    /// </summary>
    public static int Draw(ReadOnlySpan<double> logits, double temperature, int? topK, RandomState rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (logits.IsEmpty) throw new NablaArgumentException(nameof(logits), "Sampling.Draw: no logits to draw from");
        if (!(temperature >= 0 && double.IsFinite(temperature)))
            throw new NablaArgumentException(nameof(temperature), $"Sampling.Draw: temperature is {temperature}; it must be a finite number ≥ 0");
        if (topK is < 1) throw new NablaArgumentException(nameof(topK), $"Sampling.Draw: topK is {topK}; it must be ≥ 1");
        int best = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            // −∞ is a masked token; NaN and +∞ leave no distribution (+∞ − +∞ is NaN in the shifted softmax).
            if (double.IsNaN(logits[i]) || double.IsPositiveInfinity(logits[i]))
                throw new NablaArgumentException(nameof(logits), $"Sampling.Draw: logit {i} is {(double.IsNaN(logits[i]) ? "NaN" : "+∞")}; the model's output overflowed");
            if (logits[i] > logits[best]) best = i;
        }
        if (double.IsNegativeInfinity(logits[best])) throw new NablaArgumentException(nameof(logits), "Sampling.Draw: every logit is −∞; there is no token to draw");
        if (temperature == 0) return best;
        double cut = topK is { } k && k < logits.Length ? KthLargest(logits, k) : double.NegativeInfinity;
        // Softmax of z / temperature over the survivors, shifted by the maximum so no exponent overflows. When
        // z_max / temperature itself overflows (a tiny temperature), (z − z_max) / temperature, the same number in
        // exact arithmetic, keeps the largest at e^0 instead of ∞ − ∞ = NaN.
        double max = logits[best] / temperature, total = 0;
        bool overflows = double.IsInfinity(max);
        var p = new double[logits.Length];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = logits[i] < cut ? 0 : overflows ? Math.Exp((logits[i] - logits[best]) / temperature) : Math.Exp(logits[i] / temperature - max);
            total += p[i];
        }
        double u = rng.RandomSample(), cumulative = 0;
        int last = best;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == 0) continue;
            cumulative += p[i] / total;
            last = i;
            if (u < cumulative) return i;
        }
        return last;
    }

    private static double KthLargest(ReadOnlySpan<double> values, int k)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[^k];
    }

    /// <summary>
    /// Appends <paramref name="tokens"/> sampled characters to <paramref name="prompt"/> and returns them (without the
    /// prompt), calling <paramref name="onToken"/> with each one as it is made. An empty prompt starts from the
    /// vocabulary's first character (id 0; the newline in most texts), which is not part of the result. A prompt longer
    /// than the context is cropped to its last <see cref="TextModel{T}.Context"/> characters, as every later window is.
    /// Refused: a prompt character outside the vocabulary (named, with its position), a negative token count, and the
    /// settings <see cref="Draw"/> refuses.
    /// </summary>
    public static string Generate<T>(TextModel<T> model, string prompt, int tokens, double temperature, int? topK, RandomState rng,
        Action<string>? onToken = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(rng);
        if (tokens < 0) throw new NablaArgumentException(nameof(tokens), $"Sampling.Generate: tokens is {tokens}; it must be ≥ 0");
        if (!(temperature >= 0 && double.IsFinite(temperature)))
            throw new NablaArgumentException(nameof(temperature), $"Sampling.Generate: temperature is {temperature}; it must be a finite number ≥ 0");
        if (topK is < 1) throw new NablaArgumentException(nameof(topK), $"Sampling.Generate: topK is {topK}; it must be ≥ 1");
        int[] start;
        try { start = prompt.Length == 0 ? [0] : model.Vocabulary.Encode(prompt); }
        catch (NablaException e) { throw new NablaArgumentException(nameof(prompt), $"the prompt: {e.Message}"); }
        var ids = new List<int>(start);
        var output = new StringBuilder();
        var logits = new double[model.Vocabulary.Size];
        using (NoGrad.Scope())
        {
            for (int n = 0; n < tokens; n++)
            {
                int length = Math.Min(ids.Count, model.Context);
                var window = IndexTensor.FromArray(ids.GetRange(ids.Count - length, length).ToArray(), 1, length);
                var last = model.Forward(window).ToArray().AsSpan((length - 1) * logits.Length, logits.Length);
                for (int i = 0; i < logits.Length; i++) logits[i] = double.CreateTruncating(last[i]);
                int next = Draw(logits, temperature, topK, rng);
                ids.Add(next);
                string character = model.Vocabulary[next];
                output.Append(character);
                onToken?.Invoke(character);
            }
        }
        return output.ToString();
    }
}
