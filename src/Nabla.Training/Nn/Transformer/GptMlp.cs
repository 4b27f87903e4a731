using System.Numerics;
using Nabla.Rng;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// nanoGPT's <c>MLP</c>: y = dropout(c_proj(GELU(c_fc(x)))) with <c>c_fc</c> = Linear(C, 4C), the exact (erf) GELU and
/// <c>c_proj</c> = Linear(4C, C).
/// </summary>
public sealed class GptMlp<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T> _cFc, _cProj;
    private readonly RandomState _rng;

    /// <summary>An MLP of width <paramref name="width"/>; c_fc then c_proj initialised with <paramref name="init"/> from <paramref name="rng"/>.</summary>
    public GptMlp(int width, RandomState rng, double dropout = 0, bool bias = true, InitScheme init = InitScheme.PyTorchDefault)
    {
        ArgumentNullException.ThrowIfNull(rng);
        NablaArgumentException.Check(width, width >= 1, "GptMlp", nameof(width), "≥ 1");
        if (!(dropout >= 0 && dropout <= 1))
            throw new NablaArgumentException(nameof(dropout), $"GptMlp: dropout must be in [0, 1], got {dropout}");
        (DropoutP, _rng) = (dropout, rng);
        _cFc = new Linear<T>(width, 4 * width, rng, init, bias);
        _cProj = new Linear<T>(4 * width, width, rng, init, bias);
    }

    /// <summary>The dropout probability on the output, in training mode.</summary>
    public double DropoutP { get; }
    /// <summary><c>c_fc</c>, C → 4C.</summary>
    public Linear<T> CFc => _cFc;
    /// <summary><c>c_proj</c>, 4C → C.</summary>
    public Linear<T> CProj => _cProj;

    /// <summary>dropout(c_proj(GELU(c_fc(x)))) for x [.., C].</summary>
    public override Tensor<T> Forward(Tensor<T> input) => _cProj.Call(_cFc.Call(input).Gelu()).Dropout(DropoutP, _rng, IsTraining);

    /// <summary>"c_fc", then "c_proj".</summary>
    public override IEnumerable<(string Name, Module<T> Module)> Children()
    {
        yield return ("c_fc", _cFc);
        yield return ("c_proj", _cProj);
    }

    /// <summary>No own parameters.</summary>
    protected override IEnumerable<(string Name, Tensor<T> Parameter)> OwnParameters() => [];
}
