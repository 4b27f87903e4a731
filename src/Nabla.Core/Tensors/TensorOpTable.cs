using Nabla.Ops;
using T = Nabla.Tensors.Tensor<double>;

namespace Nabla.Tensors;

/// <summary>
/// One differentiable tensor op as a table row: a name, the public member it exercises, how to build it from
/// its inputs, the input shapes to try (several sets, broadcast ones included) and where to sample each input.
/// </summary>
internal sealed record TensorOpInfo(string Name, string Member, Func<T[], T> Build, int[][][] ShapeSets, Domain[] Domains)
{
    /// <summary>The op's name.</summary>
    public override string ToString() => Name;
}

/// <summary>
/// Every differentiable tensor op, once: the gradient tests run a central-difference check on every row and
/// every shape set (reverse mode, forward mode against reverse mode, and second derivatives), and a test fails when a
/// public differentiable member of <see cref="Tensor{T}"/> has no row or a recorded op has no tangent rule.
/// The element-wise rows are generated from <see cref="OpTable"/>, so a new op struct is checked here for free.
/// </summary>
internal static partial class TensorOpTable
{
    private static readonly Domain Any = Domain.Everywhere;
    private static int[][][] S(params int[][][] sets) => sets;

    private static readonly int[][][] UnaryShapes = S([[]], [[5]], [[2, 3]], [[2, 1, 3]]);
    private static readonly int[][][] BinaryShapes = S([[2, 3], [2, 3]], [[2, 3], [3]], [[4, 1, 3], [2, 1]], [[], [2, 2]], [[3, 1], [1, 4]]);

    /// <summary>Every differentiable tensor op, one row each.</summary>
    public static IReadOnlyList<TensorOpInfo> All { get; } = Build();

    /// <summary>The row called <paramref name="name"/>, or null.</summary>
    public static TensorOpInfo? Find(string name) => All.FirstOrDefault(r => r.Name == name);

    private static List<TensorOpInfo> Build()
    {
        var rows = new List<TensorOpInfo>();
        foreach (var op in OpTable.Unary)
            rows.Add(new($"apply<{op.Name}>", nameof(T.Apply), x => op.ApplyTo(x[0]), UnaryShapes, [op.Domain]));
        foreach (var op in OpTable.Binary)
            rows.Add(new($"apply<{op.Name}>", nameof(T.Apply), x => op.ApplyTo(x[0], x[1]), BinaryShapes, [op.DomainA, op.DomainB]));

        void Unary(string name, string member, Func<T, T> f, Domain d, int[][][]? shapes = null) =>
            rows.Add(new(name, member, x => f(x[0]), shapes ?? UnaryShapes, [d]));
        void Binary(string name, string member, Func<T, T, T> f, Domain a, Domain b, int[][][]? shapes = null) =>
            rows.Add(new(name, member, x => f(x[0], x[1]), shapes ?? BinaryShapes, [a, b]));

        // Element-wise entry points (they route to the op structs above, some with their own derivative rules).
        Binary("add", "op_Addition", (a, b) => a + b, Any, Any);
        Binary("sub", "op_Subtraction", (a, b) => a - b, Any, Any);
        Binary("mul", "op_Multiply", (a, b) => a * b, Any, Any);
        Binary("div", "op_Division", (a, b) => a / b, Any, new Domain(0.5, 3));
        Binary("pow", "Pow", (a, b) => a.Pow(b), new Domain(0.5, 3), new Domain(-2, 2));
        Unary("pow(scalar)", "Pow", x => x.Pow(3.0), Any);
        Binary("maximum", "Maximum", (a, b) => a.Maximum(b), Any, Any);
        Binary("minimum", "Minimum", (a, b) => a.Minimum(b), Any, Any);
        Unary("add(scalar)", "op_Addition", x => 2.0 + x + 1.5, Any);
        Unary("sub(scalar)", "op_Subtraction", x => 2.0 - x - 1.5, Any);
        Unary("mul(scalar)", "op_Multiply", x => 2.0 * x * 1.5, Any);
        Unary("div(scalar)", "op_Division", x => 2.0 / x / 1.5, new Domain(0.5, 3));
        Unary("negate", "op_UnaryNegation", x => -x, Any);
        Unary("neg", "Neg", x => x.Neg(), Any);
        Unary("abs", "Abs", x => x.Abs(), new Domain(-3, 3, 0, 1e-3));
        Unary("exp", "Exp", x => x.Exp(), Any);
        Unary("log", "Log", x => x.Log(), Domain.Positive);
        Unary("sqrt", "Sqrt", x => x.Sqrt(), Domain.Positive);
        Unary("sin", "Sin", x => x.Sin(), Any);
        Unary("cos", "Cos", x => x.Cos(), Any);
        Unary("tan", "Tan", x => x.Tan(), new Domain(-1.2, 1.2));
        Unary("tanh", "Tanh", x => x.Tanh(), Any);
        Unary("sigmoid", "Sigmoid", x => x.Sigmoid(), Any);
        Unary("relu", "Relu", x => x.Relu(), new Domain(-3, 3, 0, 1e-3));
        Unary("clamp", "Clamp", x => x.Clamp(-10.0, 0.5), new Domain(-3, 3, 0.5, 1e-3));
        Binary("where", "Where", (a, b) => T.Where(Checker(a.Shape.ToArray()), a, b), Any, Any,
            S([[2, 3], [2, 3]], [[2, 3], [3]], [[3, 1], [1, 3]]));

        // Views.
        int[][][] m23 = S([[2, 3]], [[4, 3]]), t234 = S([[2, 3, 4]]);
        Unary("reshape", "Reshape", x => x.Reshape(3, -1) * x.Reshape(3, -1), Any, S([[2, 3]], [[6]], [[3, 2, 1]]));
        Unary("flatten", "Flatten", x => x.Transpose().Flatten(), Any, t234);
        Unary("permute", "Permute", x => x.Permute(2, 0, 1) * Tensor<double>.Arange(4).Reshape(4, 1, 1), Any, t234);
        Unary("transpose", "Transpose", x => x.Transpose().Sin(), Any, S([[2, 3]], [[2, 3, 4]]));
        Unary("transpose(axes)", "Transpose", x => x.Transpose(0, 2).Exp(), Any, t234);
        Unary("moveaxis", "MoveAxis", x => x.MoveAxis(0, -1).Sin(), Any, t234);
        Unary("slice", "Slice", x => x.Slice(1, 1, 4, 2).Exp(), Any, S([[2, 5]], [[3, 4, 2]]));
        Unary("select", "Select", x => x.Select(-1, 1).Exp(), Any, m23);
        Unary("unsqueeze", "Unsqueeze", x => x.Unsqueeze(1).Expand(2, 3, 3).Sin(), Any, S([[2, 3]]));
        Unary("squeeze", "Squeeze", x => x.Squeeze().Exp() + x.Squeeze(1).Exp(), Any, S([[2, 1, 3]]));
        Unary("expand", "Expand", x => x.Expand(4, 2, 3).Sin(), Any, S([[2, 3]], [[1, 3]], [[2, 1]]));
        Unary("contiguous", "Contiguous", x => x.Transpose().Contiguous().Exp(), Any, m23);
        Unary("clone", "Clone", x => x.Clone() * x, Any, m23);

        // Reductions.
        Unary("sum", "Sum", x => x.Sum(), Any);
        Unary("sum(axis)", "Sum", x => x.Sum(1).Sin(), Any, S([[2, 3]], [[2, 3, 4]]));
        Unary("sum(axes, keepdims)", "Sum", x => x.Sum([0, 2], keepDims: true).Sin(), Any, t234);
        Unary("mean", "Mean", x => x.Mean() + x.Mean(0).Sin().Sum(), Any, m23);
        Unary("max", "Max", x => x.Max() + x.Max(1).Sum(), Any, S([[2, 3]], [[2, 3, 4]]));
        Unary("min", "Min", x => x.Min([0, 1], keepDims: true).Exp(), Any, S([[2, 3]], [[2, 3, 4]]));
        Unary("logsumexp", "LogSumExp", x => x.LogSumExp(-1).Sin(), Any, S([[4]], [[2, 3]], [[2, 3, 4]]));
        Unary("logsumexp(axes)", "LogSumExp", x => x.LogSumExp([0, 2], keepDims: true), Any, t234);
        Unary("softmax", "Softmax", x => x.Softmax() * Tensor<double>.Arange(x.Shape[^1]), Any, S([[4]], [[2, 3]]));
        Unary("softmax(axis 0)", "Softmax", x => x.Softmax(0).Sin(), Any, S([[3, 2]], [[2, 3, 2]]));
        Unary("log_softmax", "LogSoftmax", x => x.LogSoftmax().Sin(), Any, S([[4]], [[2, 3]]));
        Unary("log_softmax(axis 1)", "LogSoftmax", x => x.LogSoftmax(1).Sin(), Any, t234);

        // Linear algebra.
        Binary("matmul", "MatMul", (a, b) => a.MatMul(b), Any, Any,
            S([[3], [3]], [[2, 3], [3]], [[3], [3, 4]], [[2, 3], [3, 4]], [[2, 2, 3], [3, 4]], [[2, 1, 2, 3], [3, 3, 2]], [[4, 2], [3, 2, 5]]));
        Binary("matmul(transposed views)", "MatMul", (a, b) => a.Transpose().MatMul(b.Transpose()), Any, Any, S([[3, 2], [4, 3]]));
        Binary("outer", "Outer", (a, b) => T.Outer(a, b), Any, Any, S([[3], [4]]));

        // Fused layer and losses (Nabla.Nn, Nabla.Losses).
        rows.Add(new("linear", "Linear", x => T.Linear(x[0], x[1], x[2]), S([[4, 3], [2, 3], [2]], [[3], [2, 3], [2]], [[2, 2, 3], [4, 3], [4]]), [Any, Any, Any]));
        Binary("linear(no bias)", "Linear", (x, w) => T.Linear(x, w), Any, Any, S([[4, 3], [2, 3]], [[1, 5], [1, 5]]));
        int[][][] fusedShapes = S([[4, 3], [2, 3], [2]], [[2, 2, 3], [4, 3], [4]]);
        rows.Add(new("linear_relu (fused)", "Linear", x => T.LinearActivation<Relu>(x[0], x[1], x[2]), fusedShapes, [Any, Any, Any]));
        rows.Add(new("linear_sigmoid (fused)", "Linear", x => T.LinearActivation<Sigmoid>(x[0], x[1], x[2]), fusedShapes, [Any, Any, Any]));
        rows.Add(new("linear_tanh (fused)", "Linear", x => T.LinearActivation<Tanh>(x[0], x[1], x[2]), fusedShapes, [Any, Any, Any]));
        Binary("linear_relu (fused, no bias)", "Linear", (x, w) => T.LinearActivation<Relu>(x, w, null), Any, Any, S([[4, 3], [2, 3]]));
        Binary("mse", "Mse", (a, b) => T.Mse(a, b), Any, Any, S([[2, 3], [2, 3]], [[4], [4]], [[], []]));
        Binary("mse(sum)", "Mse", (a, b) => T.Mse(a, b, Losses.Reduction.Sum), Any, Any, S([[2, 3], [2, 3]]));
        Binary("mse(none)", "Mse", (a, b) => T.Mse(a, b, Losses.Reduction.None).Sin(), Any, Any, S([[2, 3], [2, 3]]));
        Binary("bce_with_logits", "BinaryCrossEntropyWithLogits", (z, y) => T.BinaryCrossEntropyWithLogits(z, y), Any, new Domain(0, 1), S([[2, 3], [2, 3]], [[5], [5]]));
        Binary("bce_with_logits(none)", "BinaryCrossEntropyWithLogits", (z, y) => T.BinaryCrossEntropyWithLogits(z, y, Losses.Reduction.None).Sin(), Any, new Domain(0, 1), S([[2, 3], [2, 3]]));
        Unary("hinge", "Hinge", s => T.Hinge(s, Signs(s.Shape.ToArray())), new Domain(1.1, 3), S([[2, 3]], [[5]]));
        Binary("hinge(margin violated)", "Hinge", (s, y) => T.Hinge(s, y, Losses.Reduction.Sum), new Domain(-0.5, 0.5), new Domain(-0.5, 0.5), S([[2, 3], [2, 3]]));
        Unary("cross_entropy", "CrossEntropy", z => T.CrossEntropy(z, ClassLabels(z.Shape.ToArray())), Any, S([[4, 3]], [[5]], [[2, 6]]));
        Unary("cross_entropy(sum)", "CrossEntropy", z => T.CrossEntropy(z, ClassLabels(z.Shape.ToArray()), Losses.Reduction.Sum), Any, S([[3, 4]]));
        Unary("cross_entropy(none)", "CrossEntropy", z => T.CrossEntropy(z, ClassLabels(z.Shape.ToArray()), Losses.Reduction.None).Sin(), Any, S([[3, 4]]));

        // Convolution, pooling, normalisation, embedding and dropout (Nabla.Nn's image and sequence layers).
        rows.Add(new("conv2d", "Conv2d", x => T.Conv2d(x[0], x[1], x[2]), S([[2, 2, 4, 5], [3, 2, 3, 2], [3]], [[1, 1, 3, 3], [2, 1, 3, 3], [2]]), [Any, Any, Any]));
        Binary("conv2d(stride, padding, dilation, groups)", "Conv2d", (x, w) => T.Conv2d(x, w, null, stride: 2, padding: 1, dilation: 2, groups: 2), Any, Any, S([[2, 4, 5, 6], [4, 2, 2, 3]]));
        int[][][] convShapes = S([[2, 2, 4, 5], [3, 2, 3, 2], [3]]);
        rows.Add(new("conv2d_relu (fused)", "Conv2d", x => T.Conv2dActivation<Relu>(x[0], x[1], x[2]), convShapes, [Any, Any, Any]));
        rows.Add(new("conv2d_tanh (fused)", "Conv2d", x => T.Conv2dActivation<Tanh>(x[0], x[1], x[2], padding: 1), convShapes, [Any, Any, Any]));
        Unary("max_pool2d", "MaxPool2d", x => x.MaxPool2d(2) + x.MaxPool2d(3, 2, 1, 1).Sum(), Any, S([[2, 2, 4, 5]]));
        Unary("max_pool2d (flattened output)", "MaxPool2d", x => x.MaxPool2dShaped(2, null, 0, [2, 8]).Sin(), Any, S([[2, 2, 4, 5]]));
        Unary("avg_pool2d (flattened output)", "AvgPool2d", x => x.AvgPool2dShaped(3, 2, 1, false, [2, 12]).Sin(), Any, S([[2, 2, 4, 5]]));
        Unary("avg_pool2d", "AvgPool2d", x => x.AvgPool2d(2) * x.AvgPool2d(3, 2, 1).Sum() + x.AvgPool2d(3, 2, 1, countIncludePad: false).Sum(), Any, S([[2, 2, 4, 5]]));
        rows.Add(new("batch_norm", "BatchNorm", x => T.BatchNorm(x[0], x[1], x[2], null, null, training: true).Sin(), S([[3, 2, 2, 2], [2], [2]], [[4, 3], [3], [3]]), [Any, Any, Any]));
        Binary("batch_norm(eval)", "BatchNorm", (x, w) => T.BatchNorm(x, w, null, T.Full(0.3, 2), T.Full(1.7, 2), training: false).Sin(), Any, Any, S([[2, 2, 3], [2]]));
        rows.Add(new("layer_norm", "LayerNorm", x => T.LayerNorm(x[0], [2, 3], x[1], x[2]).Sin(), S([[2, 2, 3], [2, 3], [2, 3]]), [Any, Any, Any]));
        Unary("layer_norm(no affine)", "LayerNorm", x => T.LayerNorm(x, [4]).Sin(), Any, S([[3, 4]]));
        Unary("embedding", "Embedding", w => T.Embedding(w, [1, 0, 1, 3], [2, 2]).Sin(), Any, S([[4, 3]]));
        Unary("dropout", "Dropout", x => x.Dropout(0.4, new Rng.RandomState(5)).Sin(), Any, S([[3, 4]]));
        AddJoiningAndIndexingRows(rows);
        AddSequenceRows(rows);
        AddRecurrent(rows);
        return rows;
    }

    /// <summary>A fixed 0/1 pattern of the given shape (1 on even flat positions).</summary>
    private static T Checker(int[] shape)
    {
        var data = new double[Shapes.ElementCount(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = i % 2 == 0 ? 1 : 0;
        return new T(data, shape);
    }

    /// <summary>Labels ±1 alternating over the flat positions (+1 first).</summary>
    private static T Signs(int[] shape)
    {
        var data = new double[Shapes.ElementCount(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = i % 2 == 0 ? 1 : -1;
        return new T(data, shape);
    }

    /// <summary>One class index per row of logits [N, C] (or [C]): (2r + 1) mod C.</summary>
    private static int[] ClassLabels(int[] shape) =>
        Enumerable.Range(0, shape.Length == 2 ? shape[0] : 1).Select(r => (2 * r + 1) % shape[^1]).ToArray();
}
