using System.Reflection;
using Nabla.Ops;

namespace Nabla.Tests.Ops;

public class OpTableTests
{
    private static IEnumerable<Type> OpStructs(Type openInterface) =>
        typeof(OpTable).Assembly.GetTypes().Where(t => t.IsValueType && t.GetInterfaces()
            .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface));

    [Fact]
    public void Every_unary_op_struct_is_registered()
    {
        var registered = OpTable.Unary.Select(o => o.OpType).ToHashSet();
        var missing = OpStructs(typeof(IUnaryOp<>)).Where(t => !registered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, $"unary ops missing from OpTable.Unary: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_binary_op_struct_is_registered()
    {
        var registered = OpTable.Binary.Select(o => o.OpType).ToHashSet();
        var missing = OpStructs(typeof(IBinaryOp<>)).Where(t => !registered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, $"binary ops missing from OpTable.Binary: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Op_names_are_unique()
    {
        var names = OpTable.Unary.Select(o => o.Name).Concat(OpTable.Binary.Select(o => o.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
