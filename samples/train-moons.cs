#:project ../src/Nabla.Training/Nabla.Training.csproj
#:property PublishAot=false
// Train a classifier on the two-moons data with Nabla's library API: the same steps PyTorch users know.
// Run: dotnet run samples/train-moons.cs
using Nabla.Data;
using Nabla.Losses;
using Nabla.Nn;
using Nabla.Optim;
using Nabla.Rng;
using Nabla.Tensors;

var rng = new RandomState(0);                                    // NumPy's legacy generator, bit-exact
var moons = Datasets.Moons(200, noise: 0.1, random: rng);        // 200 points, labels 0 and 1
var x = new Tensor<float>(Array.ConvertAll(moons.Features.Values, v => (float)v), moons.Rows, 2);
int[] labels = Array.ConvertAll(moons.Targets, t => (int)t);

var net = Mlp.Create<float>([2, 16, 16, 2], "relu", rng);        // Linear layers with PyTorch's init
var optimizer = new Adam<float>(net.Parameters(), learningRate: 0.01);
for (int step = 1; step <= 300; step++)
{
    optimizer.ZeroGrad();
    var loss = Loss.CrossEntropy(net.Forward(x), labels);       // fused, numerically stable
    loss.Backward();                                             // reverse-mode autodiff
    optimizer.Step();                                            // in place, no allocation
    if (step % 100 == 0) Console.WriteLine($"step {step}: loss {loss.ToScalar():F4}");
}

// Accuracy: the predicted class is the larger of the two logits.
using (NoGrad.Scope())
{
    var logits = net.Forward(x).ToArray();
    int correct = Enumerable.Range(0, moons.Rows).Count(i => (logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == labels[i]);
    Console.WriteLine($"accuracy: {correct} of {moons.Rows}");
}
StateDicts.Save(net, Path.Combine(Path.GetTempPath(), "moons.safetensors"));  // PyTorch's names and layout
