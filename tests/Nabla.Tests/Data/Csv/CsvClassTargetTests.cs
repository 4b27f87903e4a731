using Nabla.Data;

namespace Nabla.Tests.Data.Csv;

public class CsvClassTargetTests
{
    private static LabeledTable Load(string text, CsvOptions options) => CsvLoader.Load(new StringReader(text), options, "iris.csv");

    [Fact]
    public void String_labels_map_to_indices_in_ordinal_order_and_keep_their_text()
    {
        var data = Load("x,species\n1,virginica\n2,setosa\n3, versicolor \n4,setosa\n", new CsvOptions { Target = "species", ClassTarget = true });
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, data.Classes);
        Assert.Equal(new[] { 2.0, 0, 1, 0 }, data.Targets);
        Assert.Equal(new[] { 2, 0, 1, 0 }, data.ClassIndices);
    }

    [Fact]
    public void Integer_labels_are_ordered_by_value_not_by_text()
    {
        var data = Load("x,y\n1,10\n2,2\n3,-1\n4,2\n", new CsvOptions { Target = "y", ClassTarget = true });
        Assert.Equal(new[] { "-1", "2", "10" }, data.Classes);
        Assert.Equal(new[] { 2, 1, 0, 1 }, data.ClassIndices);
    }

    [Fact]
    public void Known_classes_fix_the_mapping_and_unknown_labels_are_errors()
    {
        var options = new CsvOptions { Target = "y", ClassTarget = true, KnownClasses = ["b", "a"] };
        Assert.Equal(new[] { 1, 0 }, Load("x,y\n1,a\n2,b\n", options).ClassIndices);
        var ex = Assert.Throws<NablaException>(() => Load("x,y\n1,a\n2,c\n", options));
        Assert.Equal("iris.csv:3: column 2 (\"y\"): class \"c\" is not one of the known classes \"b\", \"a\"", ex.Message);
    }

    [Fact]
    public void Numeric_targets_are_not_mapped_without_ClassTarget()
    {
        var data = Load("x,y\n1,10\n", new CsvOptions { Target = "y" });
        Assert.Empty(data.Classes);
        Assert.Null(data.ClassIndices);
        Assert.Equal(new[] { 10.0 }, data.Targets);
    }

    [Fact]
    public void Order_breaks_numeric_ties_ordinally()
    {
        Assert.Equal(new[] { "01", "1", "3" }, CsvClassLabels.Order(["3", "1", "01", "1"]));
    }
}
