using Nabla.Data;
using Nabla.Rng;

namespace Nabla.Tests.Data.Datasets;

/// <summary>
/// Reference values from scikit-learn 1.2.1 on NumPy 1.24.2 (Debian python3-sklearn), e.g.
/// <c>/usr/bin/python3 -c "import numpy as np; from sklearn.datasets import make_moons;
/// print(make_moons(n_samples=7, noise=0.1, random_state=np.random.RandomState(3)))"</c>,
/// and from the nnfs spiral recipe run on NumPy after <c>np.random.seed(0)</c>. Values built from sin/cos are compared
/// within 1e-15 (libm and NumPy's own sin/cos may differ in the last bit); labels and order must match exactly.
/// </summary>
public class DatasetsTests
{
    private const double LastBit = 1e-15;

    [Fact]
    public void Moons_match_scikit_learn_for_the_same_random_state()
    {
        var d = Nabla.Data.Datasets.Moons(7, noise: 0.1, random: new RandomState(3));
        AssertClose([0.5980553870290882, -0.3633234996049862, 1.9539957879337315, 0.49420791594056435, 1.7077574137112828,
            -0.4261566514033517, 0.09392363893243107, 0.38195913844224005, -0.034733017559121386, 1.0066298733513626,
            0.8372414720793118, 0.03978858601245592, -1.1629157428583616, -0.06389355251899861], d.Features.Values);
        Assert.Equal([1.0, 1, 1, 1, 0, 0, 0], d.Targets);
    }

    [Fact]
    public void Unshuffled_noise_free_moons_match_scikit_learn()
    {
        // make_moons(n_samples=6, noise=None, shuffle=False)
        var d = Nabla.Data.Datasets.Moons(6, shuffle: false);
        AssertClose([1.0, 0.0, 6.123233995736766e-17, 1.0, -1.0, 1.2246467991473532e-16, 0.0, 0.5, 0.9999999999999999, -0.5, 2.0, 0.4999999999999999],
            d.Features.Values);
        Assert.Equal([0.0, 0, 0, 1, 1, 1], d.Targets);
    }

    [Fact]
    public void Noise_free_moons_lie_on_their_half_circles()
    {
        var d = Nabla.Data.Datasets.Moons(101, random: new RandomState(1));
        for (int i = 0; i < d.Rows; i++)
        {
            double x = d.Features[i, 0], y = d.Features[i, 1];
            bool inner = d.Targets[i] == 1;
            double cx = inner ? 1 : 0, cy = inner ? 0.5 : 0;
            Assert.Equal(1.0, Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)), 12);
            Assert.True(inner ? y <= 0.5 + 1e-12 : y >= -1e-12, $"row {i}: ({x}, {y}) is on the wrong half");
        }
        Assert.Equal(50, d.Targets.Count(t => t == 0));
        Assert.Equal(51, d.Targets.Count(t => t == 1));
    }

    [Fact]
    public void Circles_match_scikit_learn_for_the_same_random_state()
    {
        // make_circles(n_samples=7, noise=0.05, factor=0.5, random_state=np.random.RandomState(4))
        var d = Nabla.Data.Datasets.Circles(7, noise: 0.05, factor: 0.5, random: new RandomState(4));
        AssertClose([-0.05257411032210034, 0.5143052111340023, 0.03636179361675369, -0.550486074154084, 0.5126682590389817,
            0.038413438081425604, 1.0618612510030006, -0.08228032213332837, -0.43914332257920496, 0.8449104901567225,
            -0.5730161319500601, 0.03518305118246989, -0.4442277776853808, -0.8402221365969279], d.Features.Values);
        Assert.Equal([1.0, 1, 1, 0, 0, 1, 0], d.Targets);
    }

    [Fact]
    public void Noise_free_circles_have_radius_1_and_factor()
    {
        var d = Nabla.Data.Datasets.Circles(40, factor: 0.3, random: new RandomState(0));
        for (int i = 0; i < d.Rows; i++)
            Assert.Equal(d.Targets[i] == 0 ? 1.0 : 0.3, Math.Sqrt(d.Features[i, 0] * d.Features[i, 0] + d.Features[i, 1] * d.Features[i, 1]), 12);
        Assert.Equal(20, d.Targets.Count(t => t == 0));
    }

    [Fact]
    public void Spirals_match_the_nnfs_recipe_after_seed_0()
    {
        // a fresh RandomState(0) draws what np.random does after np.random.seed(0); the shared Default is left to other tests
        var d = Nabla.Data.Datasets.Spirals(4, 3, new RandomState(0));
        AssertClose([0.0, 0.0, -0.1272901524030417, -0.3080719529790427, 0.5107758746560241, 0.42843021638747414, -0.9922135786035949,
            0.12454804066964548, -0.0, -0.0, 0.09158143993491186, 0.3205057736930167, -0.6604156760651707, -0.09108007055238745,
            0.8794785548136086, 0.4759385166415578, 0.0, 0.0, -0.3332427600765781, -0.00777006870338325, 0.6662548472254004,
            -0.023429105682946295, -0.6356033408166245, 0.7720157985059282], d.Features.Values);
        Assert.Equal([0.0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], d.Targets);
        Assert.Equal(3, d.Classes.Count);
    }

    [Fact]
    public void Spiral_points_stay_within_the_unit_disc_with_radius_growing_along_each_arm()
    {
        var d = Nabla.Data.Datasets.Spirals(50, 4, new RandomState(7));
        Assert.Equal((200, 2), (d.Rows, d.Features.Columns));
        for (int i = 0; i < d.Rows; i++)
            Assert.Equal((i % 50) / 49.0, Math.Sqrt(d.Features[i, 0] * d.Features[i, 0] + d.Features[i, 1] * d.Features[i, 1]), 12);
        Assert.All(Enumerable.Range(0, 4), c => Assert.Equal(50, d.Targets.Count(t => t == c)));
    }

    [Fact]
    public void Xor_labels_say_whether_exactly_one_coordinate_is_positive()
    {
        var d = Nabla.Data.Datasets.Xor(500, random: new RandomState(2));
        for (int i = 0; i < d.Rows; i++)
        {
            Assert.InRange(d.Features[i, 0], -1, 1);
            Assert.InRange(d.Features[i, 1], -1, 1);
            Assert.Equal(d.Features[i, 0] * d.Features[i, 1] < 0 ? 1.0 : 0.0, d.Targets[i]);
        }
        Assert.InRange(d.Targets.Count(t => t == 1), 200, 300);
    }

    [Fact]
    public void Sine_is_a_regression_on_one_feature()
    {
        var d = Nabla.Data.Datasets.Sine(8);
        Assert.Equal(Nabla.Training.TaskKind.Regression, d.Task);
        Assert.Equal((8, 1, 0), (d.Rows, d.Features.Columns, d.Classes.Count));
        Assert.Equal(0.25, d.Features[2, 0]);
        Assert.Equal(1.0, d.Targets[2], 15);  // sin(2π · 0.25)
        Assert.Equal(-1.0, d.Targets[6], 15); // sin(2π · 0.75)
    }

    [Fact]
    public void Noisy_sine_adds_normal_noise_from_the_given_state()
    {
        var clean = Nabla.Data.Datasets.Sine(5);
        var noisy = Nabla.Data.Datasets.Sine(5, noise: 0.5, random: new RandomState(0));
        double[] z = new RandomState(0).Normal(0, 0.5, 5);
        for (int i = 0; i < 5; i++) Assert.Equal(clean.Targets[i] + z[i], noisy.Targets[i]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_data_and_another_seed_differs()
    {
        var a = Nabla.Data.Datasets.Moons(30, 0.2, new RandomState(9));
        var b = Nabla.Data.Datasets.Moons(30, 0.2, new RandomState(9));
        var c = Nabla.Data.Datasets.Moons(30, 0.2, new RandomState(10));
        Assert.Equal(a.Features.Values, b.Features.Values);
        Assert.Equal(a.Targets, b.Targets);
        Assert.NotEqual(a.Features.Values, c.Features.Values);
    }

    [Fact]
    public void Invalid_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Nabla.Data.Datasets.Moons(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nabla.Data.Datasets.Moons(10, noise: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nabla.Data.Datasets.Circles(10, factor: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Nabla.Data.Datasets.Spirals(10, 0));
        Assert.Throws<ArgumentException>(() => new Table(["a", "b"], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new LabeledTable(new Table(["a"], [1, 2]), [0], Nabla.Training.TaskKind.Classification, ["0", "1"], "y"));
        Assert.Throws<ArgumentException>(() => new LabeledTable(new Table(["a"], [1, 2]), [0, 2], Nabla.Training.TaskKind.Classification, ["0", "1"], "y"));
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= LastBit * Math.Max(1, Math.Abs(expected[i])),
                $"feature [{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}

public class NumPyMathTests
{
    [Fact]
    public void Linspace_matches_numpy_bit_for_bit()
    {
        // np.linspace(0, np.pi, 5); np.linspace(0, 2*np.pi, 3, endpoint=False); np.linspace(4, 8, 7); np.linspace(0, 1, 1)
        Assert.Equal([0.0, 0.7853981633974483, 1.5707963267948966, 2.356194490192345, 3.141592653589793], NumPyMath.Linspace(0, Math.PI, 5));
        Assert.Equal([0.0, 2.0943951023931953, 4.1887902047863905], NumPyMath.Linspace(0, 2 * Math.PI, 3, endpoint: false));
        Assert.Equal([4.0, 4.666666666666667, 5.333333333333333, 6.0, 6.666666666666666, 7.333333333333333, 8.0], NumPyMath.Linspace(4, 8, 7));
        Assert.Equal([0.0], NumPyMath.Linspace(0, 1, 1));
    }
}
