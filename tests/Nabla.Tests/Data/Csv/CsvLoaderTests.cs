using Nabla.Data;
using Nabla.Tests.IO;

namespace Nabla.Tests.Data.Csv;

public class CsvLoaderTests
{
    // The features, and the target when the options name one (LoadTable reads features alone).
    private static (Table Features, double[]? Targets, string? TargetName) Load(string text, CsvOptions? options = null)
    {
        if (options?.Target is null) return (CsvLoader.LoadTable(new StringReader(text), options, "data.csv"), null, null);
        var data = CsvLoader.Load(new StringReader(text), options, "data.csv");
        return (data.Features, data.Targets, data.TargetName);
    }

    private static string Error(string text, CsvOptions? options = null) =>
        Assert.Throws<NablaException>(() => Load(text, options)).Message;

    [Fact]
    public void Features_default_to_every_column_except_the_target()
    {
        var data = Load("x1,y,x2\n1,10,2\n3,30,4\n", new CsvOptions { Target = "y" });
        Assert.Equal(new[] { "x1", "x2" }, data.Features.ColumnNames);
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, data.Features.Values);
        Assert.Equal(new[] { 10.0, 30 }, data.Targets);
        Assert.Equal("y", data.TargetName);
        Assert.Equal(2, data.Features.Rows);
        Assert.Equal(new[] { 2, 3 }, data.Features.Lines);
    }

    [Fact]
    public void Requested_features_come_in_the_requested_order_and_other_columns_are_not_read()
    {
        var data = Load("a,b,c,note\n1,2,3,hello\n", new CsvOptions { Features = ["c", "a"] });
        Assert.Equal(new[] { "c", "a" }, data.Features.ColumnNames);
        Assert.Equal(new[] { 3.0, 1 }, data.Features.Values);
        Assert.Null(data.Targets);
    }

    [Fact]
    public void Numbers_use_the_invariant_culture_with_exponents_and_surrounding_spaces()
    {
        var data = Load("a,b,c\n-1.5e-3, 2 ,\" 7 \"\n", new CsvOptions());
        Assert.Equal(new[] { -0.0015, 2, 7 }, data.Features.Values);
    }

    [Fact]
    public void A_bad_cell_names_file_line_column_number_name_and_text()
    {
        Assert.Equal("data.csv:3: column 3 (\"x2\"): \"abc\" is not a number",
            Error("x0,x1,x2\n1,2,3\n4,5,abc\n"));
    }

    [Fact]
    public void A_comma_decimal_is_not_a_number()
    {
        Assert.Equal("data.csv:2: column 1 (\"a\"): \"1,5\" is not a number", Error("a,b\n\"1,5\",2\n"));
    }

    [Fact]
    public void Line_numbers_count_blank_lines_and_lines_inside_quoted_fields()
    {
        // line 1 header, 2 data, 3 blank, 4-5 one record whose second field spans two lines, 6 blank, 7 bad.
        var text = "id,note,x\n1,plain,2\n\n2,\"two\nlines\",3\n\n3,\"q,uoted\",zz\n";
        Assert.Equal("data.csv:7: column 3 (\"x\"): \"zz\" is not a number", Error(text, new CsvOptions { Features = ["id", "x"] }));
    }

    [Fact]
    public void A_cell_after_a_multi_line_field_is_reported_on_the_line_where_it_starts()
    {
        var text = "a,b,c\n1,\"x\ny\nz\",bad\n";
        Assert.Equal("data.csv:4: column 3 (\"c\"): \"bad\" is not a number", Error(text, new CsvOptions { Features = ["a", "c"] }));
    }

    [Fact]
    public void Crlf_line_endings_count_once()
    {
        Assert.Equal("data.csv:3: column 2 (\"b\"): \"?\" is not a number", Error("a,b\r\n1,2\r\n3,?\r\n"));
    }

    [Fact]
    public void Quoted_header_names_with_commas_are_matched()
    {
        var data = Load("\"x, cm\",y\n1,2\n", new CsvOptions { Target = "y" });
        Assert.Equal(new[] { "x, cm" }, data.Features.ColumnNames);
    }

    [Fact]
    public void A_missing_column_is_named_and_the_present_ones_listed()
    {
        Assert.Equal("data.csv: no column named \"label\"; the columns are: \"a\", \"b\"",
            Error("a,b\n1,2\n", new CsvOptions { Target = "label" }));
        Assert.Contains("no column named \"z\"", Error("a,b\n1,2\n", new CsvOptions { Features = ["a", "z"] }));
    }

    [Fact]
    public void A_row_with_an_empty_cell_is_rejected_with_its_line()
    {
        Assert.Equal("data.csv:3: column 2 (\"b\"): missing value (empty cell)", Error("a,b\n1,2\n3,\n5,6\n"));
        Assert.Equal("data.csv:2: column 1 (\"a\"): missing value (empty cell)", Error("a,b\n  ,2\n"));
    }

    [Fact]
    public void Rows_with_missing_values_are_dropped_and_counted_when_asked()
    {
        var data = Load("a,b,unused\n1,2,\n3,,x\n,4,x\n5,6,x\n", new CsvOptions { Features = ["a", "b"], MissingValues = MissingValues.Drop });
        Assert.Equal(new[] { 1.0, 2, 5, 6 }, data.Features.Values);
        Assert.Equal(new[] { 3, 4 }, data.Features.DroppedLines);
        Assert.Equal(new[] { 2, 5 }, data.Features.Lines);
    }

    [Fact]
    public void Dropping_every_row_is_an_error()
    {
        Assert.Equal("data.csv: all 2 data rows have missing values and were dropped",
            Error("a,b\n,1\n2,\n", new CsvOptions { MissingValues = MissingValues.Drop }));
    }

    [Fact]
    public void A_missing_target_is_a_missing_value_too()
    {
        Assert.Equal("data.csv:2: column 2 (\"y\"): missing value (empty cell)", Error("x,y\n1,\n", new CsvOptions { Target = "y" }));
    }

    [Fact]
    public void Ragged_rows_name_the_line_and_the_counts()
    {
        Assert.Equal("data.csv:4: 2 fields, but the header has 3 columns", Error("a,b,c\n1,2,3\n\n4,5\n"));
        Assert.Equal("data.csv:2: 4 fields, but the header has 3 columns", Error("a,b,c\n1,2,3,4\n"));
    }

    [Fact]
    public void A_line_of_spaces_is_skipped_like_an_empty_line()
    {
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, Load("a,b\n1,2\n   \n3,4\n").Features.Values);
    }

    [Fact]
    public void An_empty_file_and_a_header_only_file_are_clear_errors()
    {
        Assert.Equal("data.csv: the file is empty; a header row naming the columns is required", Error(""));
        Assert.Equal("data.csv: the file is empty; a header row naming the columns is required", Error("\n\n"));
        Assert.Equal("data.csv: the file has a header but no data rows", Error("a,b\n"));
    }

    [Fact]
    public void Duplicate_column_names_are_refused()
    {
        Assert.Equal("data.csv:1: column name \"a\" appears twice (columns 1 and 3)", Error("a,b,a\n1,2,3\n"));
    }

    [Fact]
    public void The_target_cannot_also_be_a_feature()
    {
        Assert.Contains("\"y\" is both the target and a feature", Error("x,y\n1,2\n", new CsvOptions { Target = "y", Features = ["x", "y"] }));
    }

    [Fact]
    public void A_file_with_only_the_target_column_has_no_features()
    {
        Assert.Contains("no feature columns", Error("y\n1\n", new CsvOptions { Target = "y" }));
    }

    [Fact]
    public void Nan_and_infinity_are_refused()
    {
        Assert.Equal("data.csv:2: column 1 (\"a\"): \"NaN\" is not a finite number", Error("a\nNaN\n"));
        Assert.Contains("\"-Infinity\" is not a finite number", Error("a\n-Infinity\n"));
    }

    [Fact]
    public void Unterminated_quotes_are_reported_with_a_line()
    {
        Assert.StartsWith("data.csv:3: ", Error("a,b\n1,2\n3,\"oops\n4,5\n"));
    }

    [Fact]
    public void A_file_on_disk_is_named_by_its_path_in_errors()
    {
        using var dir = new TempDirectory();
        var path = dir.File("d.csv");
        File.WriteAllText(path, "a\n1\nx\n");
        Assert.Equal($"{path}:3: column 1 (\"a\"): \"x\" is not a number", Assert.Throws<NablaException>(() => CsvLoader.LoadTable(path)).Message);
        Assert.Equal($"{dir.File("none.csv")}: file not found", Assert.Throws<NablaException>(() => CsvLoader.LoadTable(dir.File("none.csv"))).Message);
    }

    [Fact]
    public void A_semicolon_separator_can_be_chosen()
    {
        Assert.Equal(new[] { 1.5, 2 }, Load("a;b\n1.5;2\n", new CsvOptions { Separator = ';' }).Features.Values);
    }

    [Fact]
    public void A_utf8_byte_order_mark_does_not_become_part_of_the_first_column_name()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "x,y\n1,2\n"u8.ToArray()]);
        Assert.Equal(new[] { 1.0 }, CsvLoader.Load(path, new CsvOptions { Target = "y" }).Features.Values);
    }
}
