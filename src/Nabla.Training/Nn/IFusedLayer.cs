using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Nn;

/// <summary>
/// A built-in layer <see cref="Sequential{T}"/> may fuse with the layer after it, and whose op keeps its input and output
/// nowhere but in the graph node it records, so the activations between it and another built-in layer go back to the
/// engine's pool once no graph node needs them (BufferPool rule 4). Conv2d fuses a following activation, the pooling
/// layers a following Flatten.
/// </summary>
internal interface IFusedLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>This layer and <paramref name="next"/> applied to <paramref name="input"/> as one op, or null when they do not fuse.</summary>
    Tensor<T>? FusedWith(Module<T> next, Tensor<T> input);
}
