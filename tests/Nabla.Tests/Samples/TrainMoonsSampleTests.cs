namespace Nabla.Tests.Samples;

[Collection(SampleRunner.Collection)]
public class TrainMoonsSampleTests
{
    [Fact]
    public void The_library_sample_trains_moons_to_a_falling_loss_and_full_accuracy()
    {
        string output = SampleRunner.Run("train-moons.cs");
        var losses = output.Split('\n').Where(l => l.StartsWith("step ")).Select(l => double.Parse(l[(l.IndexOf("loss ") + 5)..])).ToArray();
        Assert.Equal(3, losses.Length);
        Assert.True(losses[0] > losses[1] && losses[1] > losses[2], $"the loss did not fall: {string.Join(", ", losses)}");
        Assert.Contains("accuracy: 200 of 200", output);
    }
}
