using Nabla.Checking;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Tests.Losses;

public class LossTests
{
    // PyTorch 1.13, float64 (/tmp/nnref/ref.py):
    // z = [[1,2,3],[1000,-1000,0],[-1000,1000,0.5]]; F.cross_entropy(z, [2,1,1]) and reduction='none', then .backward()
    private static readonly double[,] Logits = { { 1, 2, 3 }, { 1000, -1000, 0 }, { -1000, 1000, 0.5 } };
    private static readonly int[] Labels = [2, 1, 1];

    [Fact]
    public void Cross_entropy_matches_pytorch_including_logits_of_plus_minus_1000()
    {
        var z = Tensor<double>.FromArray(Logits).RequireGrad();
        var loss = Loss.CrossEntropy(z, Labels);
        Assert.Equal(666.8025353214815, loss.ToScalar(), 12);
        loss.Backward();
        double[] grad = [0.030010191056793478, 0.08157615701826587, -0.1115863480750594, 0.3333333333333333, -0.3333333333333333, 0.0, 0, 0, 0];
        var g = z.Grad!.ToArray();
        for (int i = 0; i < grad.Length; i++) Assert.Equal(grad[i], g[i], 1e-15);
        var none = Loss.CrossEntropy(Tensor<double>.FromArray(Logits), Labels, Reduction.None).ToArray();
        Assert.Equal(0.4076059644443804, none[0], 1e-15);
        Assert.Equal(2000.0, none[1]);
        Assert.Equal(0.0, none[2]);
        Assert.Equal(none.Sum(), Loss.CrossEntropy(Tensor<double>.FromArray(Logits), Labels, Reduction.Sum).ToScalar(), 12);
    }

    [Fact]
    public void Cross_entropy_in_float_stays_finite_for_extreme_logits()
    {
        var z = Tensor<double>.FromArray(Logits).To<float>().RequireGrad();
        var loss = Loss.CrossEntropy(z, Labels);
        Assert.Equal(666.8025f, loss.ToScalar(), 1e-3f);
        loss.Backward();
        Assert.All(z.Grad!.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Cross_entropy_of_uniform_logits_is_log_of_the_class_count()
    {
        var loss = Loss.CrossEntropy(Tensor<double>.Zeros(4, 10), new[] { 0, 3, 9, 5 });
        Assert.Equal(Math.Log(10), loss.ToScalar(), 15);
    }

    [Fact]
    public void Cross_entropy_accepts_labels_as_a_tensor_and_rejects_bad_labels()
    {
        var z = Tensor<double>.FromArray(Logits);
        Assert.Equal(666.8025353214815, Loss.CrossEntropy(z, Tensor.FromArray(new[] { 2.0, 1, 1 })).ToScalar(), 12);
        Assert.Contains("label 3 at row 0", Assert.Throws<NablaException>(() => Loss.CrossEntropy(z, new[] { 3, 0, 0 })).Message);
        Assert.Contains("2 labels given for 3 rows", Assert.Throws<NablaException>(() => Loss.CrossEntropy(z, new[] { 0, 0 })).Message);
        Assert.Throws<NablaException>(() => Loss.CrossEntropy(z, Tensor.FromArray(new[] { 0.5, 0, 0 })));
    }

    [Fact]
    public void Binary_cross_entropy_with_logits_matches_pytorch_and_stays_finite_at_plus_minus_1000()
    {
        // z = [1000, -1000, 0, 2.5, -3], y = [0, 0, 1, 1, 0.3]; F.binary_cross_entropy_with_logits in float64
        var z = Tensor.FromArray(new[] { 1000.0, -1000, 0, 2.5, -3 }).RequireGrad();
        var y = Tensor.FromArray(new[] { 0.0, 0, 1, 1, 0.3 });
        var loss = Loss.BinaryCrossEntropyWithLogits(z, y);
        Assert.Equal(200.34412485328525, loss.ToScalar(), 12);
        loss.Backward();
        double[] grad = [0.2, 0.0, -0.1, -0.01517163600424869, -0.050514825364486635];
        for (int i = 0; i < grad.Length; i++) Assert.Equal(grad[i], z.Grad!.ToArray()[i], 15);
        double[] none = [1000.0, 0.0, 0.6931471805599453, 0.07888973429254957, 0.9485873515737423];
        var l = Loss.BinaryCrossEntropyWithLogits(z, y, Reduction.None).ToArray();
        for (int i = 0; i < none.Length; i++) Assert.Equal(none[i], l[i], 14);
    }

    [Fact]
    public void Mean_squared_error_and_sum_of_squares_by_hand()
    {
        var p = Tensor.FromArray(new[] { 1.0, 2.0, 4.0 }).RequireGrad();
        var t = Tensor.FromArray(new[] { 0.0, 2.0, 1.0 });
        var mse = Loss.Mse(p, t);   // (1 + 0 + 9)/3
        Assert.Equal(10.0 / 3, mse.ToScalar(), 15);
        mse.Backward();             // 2(p − t)/3
        Assert.Equal(new[] { 2.0 / 3, 0, 2.0 }, p.Grad!.ToArray());
        p.ZeroGrad();
        var ss = Loss.SumOfSquares(p, t);
        Assert.Equal(10.0, ss.ToScalar());
        ss.Backward();
        Assert.Equal(new[] { 2.0, 0, 6.0 }, p.Grad!.ToArray());
    }

    [Fact]
    public void Sum_of_squares_of_one_output_is_the_squared_difference()
    {
        // (1.907 − 20)² = 18.093² = 327.356649
        Assert.Equal(327.357, Loss.SumOfSquares(Tensor.FromArray(new[] { 1.907 }), Tensor.FromArray(new[] { 20.0 })).ToScalar(), 3);
    }

    [Fact]
    public void Hinge_is_relu_of_one_minus_label_times_score_averaged()
    {
        var s = Tensor.FromArray(new[] { 2.0, 0.5, -0.25, -3 }).RequireGrad();
        var y = Tensor.FromArray(new[] { 1.0, 1, 1, -1 });
        // margins 1 − y·s: −1 → 0, 0.5, 1.25, −2 → 0; mean = 1.75/4
        var loss = Loss.Hinge(s, y);
        Assert.Equal(0.4375, loss.ToScalar());
        loss.Backward();
        Assert.Equal(new[] { 0.0, -0.25, -0.25, 0.0 }, s.Grad!.ToArray());
    }

    [Fact]
    public void Shapes_that_differ_are_rejected_with_both_shapes()
    {
        var e = Assert.Throws<NablaException>(() => Loss.Mse(Tensor<double>.Zeros(4, 1), Tensor<double>.Zeros(4)));
        Assert.Contains("(4, 1)", e.Message);
    }

    public static TheoryData<string> GradCases() => ["mse", "sum", "bce", "ce", "ce-none", "hinge"];

    [Theory]
    [MemberData(nameof(GradCases))]
    public void Gradients_match_central_differences(string which)
    {
        var rng = new Random(which.Length);
        Tensor<double> R(double lo, double hi, params int[] shape) =>
            new(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray(), shape);
        int[] labels = [0, 2, 1, 2];
        Func<Tensor<double>[], Tensor<double>> f = which switch
        {
            "mse" => x => Loss.Mse(x[0], x[1]),
            "sum" => x => Loss.SumOfSquares(x[0].Tanh(), x[1]),
            "bce" => x => Loss.BinaryCrossEntropyWithLogits(x[0], x[1]),
            "ce" => x => Loss.CrossEntropy(x[0], labels),
            "ce-none" => x => Loss.CrossEntropy(x[0], labels, Reduction.None) * x[1].Sum(1),
            _ => x => Loss.Hinge(x[0], x[1]),
        };
        Tensor<double>[] inputs = which switch
        {
            "hinge" => [R(-0.8, 0.8, 4, 3), R(-0.8, 0.8, 4, 3)],
            "bce" => [R(-4, 4, 4, 3), R(0, 1, 4, 3)],
            _ => [R(-3, 3, 4, 3), R(-3, 3, 4, 3)],
        };
        var report = TensorGradCheck.Check(f, inputs, which);
        Assert.True(report.Passed, report.Message);
    }
}
