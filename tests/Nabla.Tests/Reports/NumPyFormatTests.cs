using Nabla.Examples;

namespace Nabla.Tests.Reports;

/// <summary>
/// Expected strings are NumPy 1.24.2's <c>str(array)</c> under <c>np.printoptions(precision=p)</c>, generated once by
/// make_numpy_format_cases.py (command in NumPyFormatCases.cs).
/// </summary>
public class NumPyFormatTests
{
    public static TheoryData<int> HandPickedIndices => Indices(NumPyFormatCases.HandPicked.Length);
    public static TheoryData<int> RandomIndices => Indices(NumPyFormatCases.Random.Length);
    public static TheoryData<int> SummarisedIndices => Indices(NumPyFormatCases.Summarised.Length);

    [Fact]
    public void Notebook_002_matrix_prints_exactly_as_numpy_does()
    {
        double[] data = [0.44, -0.38, -0.07, 1.37, 0.88, -0.76, -0.14, 2.74, 1.32, -1.14, -0.21, 4.11, 1.76, -1.52, -0.28, 5.48];
        Assert.Equal("[[ 0.44 -0.38 -0.07  1.37]\n [ 0.88 -0.76 -0.14  2.74]\n [ 1.32 -1.14 -0.21  4.11]\n [ 1.76 -1.52 -0.28  5.48]]",
            NumPyFormat.Format(data, [4, 4]));
    }

    [Fact]
    public void Trailing_zeros_are_dropped_and_integral_values_keep_the_point()
    {
        Assert.Equal("[-9.1 16.1  9.7 -5.1]", NumPyFormat.Format([-9.1, 16.1, 9.7, -5.1]));
        Assert.Equal("[10. 10. 10.]", NumPyFormat.Format([10.0, 10.0, 10.0]));
    }

    [Fact]
    public void Matrix_overload_matches_the_shape_overload()
    {
        Assert.Equal("[[1.  2.5]\n [3.  4. ]]", NumPyFormat.Format(new double[,] { { 1, 2.5 }, { 3, 4 } }));
    }

    [Theory]
    [MemberData(nameof(HandPickedIndices))]
    public void Hand_picked_arrays_print_like_numpy(int index) => Check(NumPyFormatCases.HandPicked[index], index);

    [Theory]
    [MemberData(nameof(RandomIndices))]
    public void Random_arrays_print_like_numpy(int index) => Check(NumPyFormatCases.Random[index], index);

    [Theory]
    [MemberData(nameof(SummarisedIndices))]
    public void Arrays_over_1000_elements_are_summarised_like_numpy(int index)
    {
        var (formula, shape, expected) = NumPyFormatCases.Summarised[index];
        Func<int, double> element = formula switch
        {
            "i * 0.25" => i => i * 0.25,
            "(i % 17) * 0.1 - 0.8" => i => (i % 17) * 0.1 - 0.8,
            "(i % 7) * 1000.5 - 3" => i => (i % 7) * 1000.5 - 3,
            _ => throw new InvalidOperationException($"no formula {formula}"),
        };
        double[] data = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(element).ToArray();
        Assert.Equal(expected, NumPyFormat.Format(data, shape));
    }

    [Fact]
    public void Mismatched_shapes_and_negative_precision_throw()
    {
        Assert.Throws<ArgumentException>(() => NumPyFormat.Format([1.0, 2.0], [3]));
        Assert.Throws<ArgumentException>(() => NumPyFormat.Format([], [-1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NumPyFormat.Format([1.0], [1], -1));
    }

    private static void Check(NumPyFormatCases.Case c, int index)
    {
        string actual = NumPyFormat.Format(c.Data, c.Shape, c.Precision);
        Assert.True(c.Expected == actual,
            $"case {index}, shape ({string.Join(", ", c.Shape)}), precision {c.Precision}, data [{string.Join(", ", c.Data.Select(d => d.ToString("R")))}]\n" +
            $"expected:\n{c.Expected}\nactual:\n{actual}");
    }

    private static TheoryData<int> Indices(int count)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < count; i++) data.Add(i);
        return data;
    }
}
