using Nabla.Cli;
using Nabla.Distributed;
using Nabla.Formulas;

namespace Nabla.Tests.Cli;

/// <summary>
/// A library error names its setting (<see cref="NablaException.Setting"/>) and no flag; the command line shows the
/// flag the user typed in its place.
/// </summary>
public class SettingFlagsTests
{
    [Fact]
    public void A_missing_formula_value_names_the_parameter_in_the_library_and_the_flag_in_the_cli()
    {
        var e = Assert.Throws<FormulaException>(() => Formula.Parse("x*y").Evaluate(new Dictionary<string, double> { ["x"] = 1 }));
        Assert.Equal("at", e.Setting);
        Assert.DoesNotContain("--", e.Message);

        var (exit, _, stderr) = CliRunner.Run("grad", "x*y", "--at", "x=1");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: --at: no value given for y (give every variable a value, e.g. \"x=1,y=1\")", stderr);
    }

    [Fact]
    public void A_message_that_starts_with_its_setting_gets_the_flag_in_that_place()
    {
        Assert.Equal("--row 25: data.csv has 24 data rows", SettingFlags.Message(new NablaException("row 25: data.csv has 24 data rows") { Setting = "row" }));
        Assert.Equal("--resume: cannot read", SettingFlags.Message(new NablaException("cannot read") { Setting = "resume" }));
        // A setting the CLI has no flag for, and an error about no setting, print as they are.
        Assert.Equal("rows 3", SettingFlags.Message(new NablaException("rows 3") { Setting = "rows" }));
        Assert.Equal("row 3", SettingFlags.Message(new NablaException("row 3")));
        // The setting's name must stand as a word: "rowing" is not "row".
        Assert.Equal("--row: rowing", SettingFlags.Message(new NablaException("rowing") { Setting = "row" }));
    }

    [Fact]
    public void A_missing_MPI_library_reads_as_before_on_the_command_line()
    {
        var e = Assert.Throws<NablaException>(() => MpiLibrary.Load(["libnabla-no-such-mpi.so"]));
        Assert.Equal("distributed", e.Setting);
        Assert.StartsWith("--distributed training needs Open MPI, but its library (libnabla-no-such-mpi.so) was not found", SettingFlags.Message(e));
    }
}
