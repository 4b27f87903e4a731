namespace Nabla.Tests.Samples;

[Collection(SampleRunner.Collection)]
public class ToyModelSampleTests
{
    [Fact]
    public void Toy_model_sample_prints_the_numbers_notebook_004_prints()
    {
        string output = SampleRunner.Run("toy-model.cs");
        // Lines in the notebook's own print formats, with the values the notebook states as true.
        string[] expected =
        [
            "f0: value = 1.230", "h1: value = 0.942", "f1: value = 1.623", "h2: value = 5.068", "f2: value = 7.137",
            "h3: value = 0.657", "f3: value = 2.372",
            "dldf3: value = 0.745", "dldh3: value = 2.234", "dldf2: value = -1.683", "dldh2: value = -3.366",
            "dldf1: value = -17.060", "dldh1: value = 6.824", "dldf0: value = 2.281",
            "dldbeta3: value = 0.745", "dldomega3: value = 0.489", "dldbeta2: value = -1.683", "dldomega2: value = -8.530",
            "dldbeta1: value = -17.060", "dldomega1: value = -16.079", "dldbeta0: value = 2.281",
        ];
        foreach (var line in expected) Assert.Contains(line, output);
    }
}
