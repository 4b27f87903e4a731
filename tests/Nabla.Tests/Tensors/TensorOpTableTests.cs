using System.Reflection;
using Nabla.Checking;
using Nabla.Ops;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class TensorOpTableTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var row in TensorOpTable.All)
            for (int s = 0; s < row.ShapeSets.Length; s++) data.Add(row.Name, s);
        return data;
    }

    internal static Tensor<double> Sample(int[] shape, Domain domain, Random random)
    {
        var data = new double[Shapes.ElementCount(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            double v;
            do v = domain.Min + (domain.Max - domain.Min) * random.NextDouble();
            while (!domain.Contains(v));
            data[i] = v;
        }
        return new Tensor<double>(data, shape);
    }

    private static (TensorOpInfo Row, Tensor<double>[] Inputs) Setup(string name, int shapeSet, bool reversed)
    {
        var row = TensorOpTable.Find(name) ?? throw new InvalidOperationException(name);
        var random = new Random(name.Length * 7919 + shapeSet);
        var inputs = row.ShapeSets[shapeSet]
            .Select((shape, i) => Sample(reversed ? shape.Reverse().ToArray() : shape, row.Domains[i], random)).ToArray();
        return (row, inputs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_central_differences(string op, int shapeSet)
    {
        var (row, inputs) = Setup(op, shapeSet, reversed: false);
        var report = TensorGradCheck.Check(row.Build, inputs, $"{op} with shapes {string.Join(" and ", row.ShapeSets[shapeSet].Select(s => Shapes.Format(s)))}");
        Assert.True(report.Passed, report.Message);
        Assert.True(report.EntriesChecked > 0 || inputs.All(x => x.ElementCount == 0));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_central_differences_on_strided_views(string op, int shapeSet)
    {
        // Each input is a transposed (non-contiguous) view of a leaf, so the strided kernels and the view rule run too.
        var (row, inputs) = Setup(op, shapeSet, reversed: true);
        var report = TensorGradCheck.Check(x => row.Build(x.Select(t => t.Transpose()).ToArray()), inputs, $"{op} on transposed views");
        Assert.True(report.Passed, report.Message);
    }

    private static readonly HashSet<string> NotDifferentiable =
    [
        "Scalar", "FromArray", "Zeros", "Ones", "Full", "Randn", "Rand", "Uniform", "ZerosLike", "OnesLike", "Arange", "Linspace", "Eye", "OneHot", "op_Implicit",
        "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual", "EqualTo", "NotEqualTo", "ArgMax",
        "Detach", "RequireGrad", "RetainGrad",
        "SigmoidInPlace", "ReluInPlace", "ApplyInPlace", "SubtractScaledInPlace",
        "Add", "Subtract", "Multiply", "Divide",   // only the into: forms (they record nothing); the operators have rows
    ];

    [Fact]
    public void Every_differentiable_tensor_member_has_a_row_in_the_op_table()
    {
        var covered = TensorOpTable.All.Select(r => r.Member).ToHashSet();
        var members = typeof(Tensor<double>).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Tensor<double>) && !NotDifferentiable.Contains(m.Name) && (!m.IsSpecialName || m.Name.StartsWith("op_")))
            .Select(m => m.Name).Distinct();
        var missing = members.Where(m => !covered.Contains(m)).ToList();
        Assert.True(missing.Count == 0, $"differentiable tensor members without a TensorOpTable row: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_element_wise_op_in_the_shared_table_has_a_tensor_row()
    {
        var names = TensorOpTable.All.Select(r => r.Name).ToHashSet();
        var missing = OpTable.Unary.Select(o => o.Name).Concat(OpTable.Binary.Select(o => o.Name))
            .Where(n => !names.Contains($"apply<{n}>")).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Row_names_are_unique_and_every_row_has_a_domain_per_input()
    {
        Assert.Equal(TensorOpTable.All.Count, TensorOpTable.All.Select(r => r.Name).Distinct().Count());
        foreach (var row in TensorOpTable.All)
            Assert.All(row.ShapeSets, set => Assert.Equal(row.Domains.Length, set.Length));
    }
}
