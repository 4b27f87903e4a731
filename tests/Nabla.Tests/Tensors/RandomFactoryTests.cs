using System.Text.Json;
using Nabla.Rng;
using Nabla.Tensors;
using Nabla.Tests.Training;

namespace Nabla.Tests.Tensors;

/// <summary>Tests that seed the process-wide generator run alone, so no other test draws from it in between.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "RandomState.Default";
}

/// <summary>
/// Randn, Rand, Uniform and IndexTensor.RandInt against NumPy's legacy RandomState run by the test's own script with the
/// same seeds: float64 bit for bit, float32 as NumPy's double rounded to float.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public sealed class RandomFactoryTests
{
    private const string Script = """
        import json, sys
        import numpy as np
        out = {}
        out["randn"] = np.random.RandomState(11).standard_normal((3, 5)).ravel().tolist()
        out["rand"] = np.random.RandomState(12).random_sample((4, 3)).ravel().tolist()
        out["uniform"] = np.random.RandomState(13).uniform(-2.5, 4.0, (7,)).ravel().tolist()
        out["randint"] = np.random.RandomState(14).randint(-3, 9, (2, 3, 4)).ravel().tolist()
        out["randint_wide"] = np.random.RandomState(15).randint(-2**31, 2**31 - 1, (6,)).ravel().tolist()
        np.random.seed(16)
        out["default"] = np.random.randn(2, 2).ravel().tolist() + np.random.rand(3).tolist() + np.random.randint(0, 5, 4).tolist()
        print(json.dumps(out))
        """;

    private static JsonElement NumPy()
    {
        if (!Python.Has("numpy"))
            Assert.Skip("/usr/bin/python3 with NumPy is not installed (apt-get install python3-numpy), so the comparison did not run.");
        return JsonDocument.Parse(Python.Run("-c", Script)).RootElement.Clone();
    }

    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    [Fact]
    public void Values_match_numpy_legacy_random_state_in_both_dtypes()
    {
        var numpy = NumPy();
        var randn = Tensor<double>.Randn(new RandomState(11), 3, 5);
        Assert.Equal([3, 5], randn.Shape);
        Assert.Equal(Doubles(numpy.GetProperty("randn")), randn.ToArray());
        Assert.Equal(Doubles(numpy.GetProperty("randn")).Select(v => (float)v), Tensor<float>.Randn(new RandomState(11), 3, 5).ToArray());
        Assert.Equal(Doubles(numpy.GetProperty("rand")), Tensor<double>.Rand(new RandomState(12), 4, 3).ToArray());
        Assert.Equal(Doubles(numpy.GetProperty("rand")).Select(v => (float)v), Tensor<float>.Rand(new RandomState(12), 4, 3).ToArray());
        Assert.Equal(Doubles(numpy.GetProperty("uniform")), Tensor<double>.Uniform(new RandomState(13), -2.5, 4.0, 7).ToArray());
        Assert.Equal(Doubles(numpy.GetProperty("uniform")).Select(v => (float)v), Tensor<float>.Uniform(new RandomState(13), -2.5, 4.0, 7).ToArray());
        var ints = IndexTensor.RandInt(new RandomState(14), -3, 9, 2, 3, 4);
        Assert.Equal([2, 3, 4], ints.Shape);
        Assert.Equal(numpy.GetProperty("randint").EnumerateArray().Select(v => v.GetInt32()), ints.ToArray());
        Assert.Equal(numpy.GetProperty("randint_wide").EnumerateArray().Select(v => v.GetInt32()), IndexTensor.RandInt(new RandomState(15), int.MinValue, int.MaxValue, 6).ToArray());
    }

    [Fact]
    public void The_overloads_without_a_generator_draw_from_the_seeded_default()
    {
        var numpy = NumPy();
        RandomState.Default.Seed(16);
        var drawn = Tensor<double>.Randn(2, 2).ToArray().Concat(Tensor<double>.Rand(3).ToArray())
            .Concat(IndexTensor.RandInt(0, 5, 4).ToArray().Select(v => (double)v));
        Assert.Equal(Doubles(numpy.GetProperty("default")), drawn);
        RandomState.Default.Seed(16);
        Assert.Equal(Tensor<double>.Uniform(new RandomState(16), 1, 3, 5).ToArray(), Tensor<double>.Uniform(1, 3, 5).ToArray());
    }

    [Fact]
    public void Bad_shapes_and_ranges_are_refused_before_anything_is_drawn()
    {
        var rng = new RandomState(1);
        var before = rng.GetState();
        var e = Assert.Throws<NablaArgumentException>(() => Tensor<double>.Randn(rng, 2, -1));
        Assert.Equal("shape", e.Parameter);
        Assert.Contains("-1", e.Message);
        Assert.Contains("more than", Assert.Throws<NablaException>(() => Tensor<float>.Rand(rng, 1 << 20, 1 << 20)).Message);
        Assert.Equal("high", Assert.Throws<NablaArgumentException>(() => Tensor<double>.Uniform(rng, 0, double.PositiveInfinity, 2)).Parameter);
        e = Assert.Throws<NablaArgumentException>(() => IndexTensor.RandInt(rng, 5, 5, 3));
        Assert.Equal("high", e.Parameter);
        Assert.Contains("greater than low (5)", e.Message);
        Assert.Throws<NablaArgumentException>(() => IndexTensor.RandInt(rng, 0, 5, -3));
        Assert.Equal(before, rng.GetState());
        Assert.Equal(Tensor<double>.Rand(new RandomState(1), 2).ToArray(), Tensor<double>.Rand(rng, 2).ToArray());
    }
}
