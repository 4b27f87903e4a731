#:project ../src/Nabla.App/Nabla.App.csproj
#:property PublishAot=false
// Notebook 001: a deep ReLU network, its backward pass, and a finite-difference check, with Nabla's tensor engine.
//   f_k = β_k + Ω_k·h_k,  h_{k+1} = ReLU(f_k),  output = f_K,  ℓ = Σ (output − y)²
// Run: dotnet run samples/deep-relu.cs
using Nabla.Examples;
using Nabla.Rng;
using Nabla.Tensors;

const int K = 5;      // number of hidden layers
const int D = 6;      // neurons per layer
const int Di = 1, Do = 1;

// np.random.seed(0), then the weights and biases drawn with np.random.normal in the notebook's order.
var rng = new RandomState(0);
Tensor<double> Normal(int rows, int columns) => new(rng.Normal(0.0, 1.0, rows, columns), rows, columns);
var allWeights = new Tensor<double>[K + 1];
var allBiases = new Tensor<double>[K + 1];
allWeights[0] = Normal(D, Di);
allWeights[K] = Normal(Do, D);
allBiases[0] = Normal(D, 1);
allBiases[K] = Normal(Do, 1);
for (int layer = 1; layer < K; layer++)
{
    allWeights[layer] = Normal(D, D);
    allBiases[layer] = Normal(D, 1);
}
Console.WriteLine(NumPyRepr.Format(allWeights[3].ToArray(), D, D)); // the notebook's `all_weights[3]` cell

// ReLU written as f·[f > 0]: its derivative is the notebook's indicator function, so backward computes
// indicator(f)·dℓ/dh exactly as the notebook does (and prints -0. where that is 0 times a negative number).
static Tensor<double> ReLU(Tensor<double> f) => f * f.GreaterThan(Tensor<double>.Scalar(0.0));

static Tensor<double> ComputeNetworkOutput(Tensor<double> netInput, Tensor<double>[] weights, Tensor<double>[] biases)
{
    var h = netInput;
    for (int layer = 0; layer < weights.Length - 1; layer++)
        h = ReLU(biases[layer] + weights[layer].MatMul(h)); // (6, 1) + (6, 6)·(6, 1)
    return biases[^1] + weights[^1].MatMul(h);
}

static Tensor<double> LeastSquaresLoss(Tensor<double> netOutput, double y) => (netOutput - y).Pow(2.0).Sum();

// Forward pass. Every parameter records the operations applied to it, so Backward() can find its gradient.
foreach (var p in allWeights.Concat(allBiases)) p.RequireGrad();
var netInput = Tensor<double>.Full(1.2, Di, 1);
var netOutput = ComputeNetworkOutput(netInput, allWeights, allBiases);
Console.WriteLine($"True output = {1.907:F3}, Your answer = {netOutput.ToScalar():F3}");
double y = 20.0;
var loss = LeastSquaresLoss(netOutput, y);
Console.WriteLine($"y = {y:F3} Loss = {loss.ToScalar():F3}");

// Backward pass: one call fills .Grad of every weight and bias (the notebook's backward_pass function).
loss.Backward();

// Finite differences: nudge one element by delta_fd and see how the loss moves (no graph needed: NoGrad).
const double deltaFd = 0.000001;
static string Print(Tensor<double> t) => NumPyFormat.Format(t.ToArray(), [.. t.Shape]);
double FiniteDifference(Tensor<double>[] parameters, int layer, int index)
{
    using var noGrad = NoGrad.Scope();
    var original = parameters[layer];
    var copy = Tensor<double>.FromArray(original.ToArray(), [.. original.Shape]);
    copy.AsSpan()[index] += deltaFd;
    parameters[layer] = copy;
    double loss1 = LeastSquaresLoss(ComputeNetworkOutput(netInput, allWeights, allBiases), y).ToScalar();
    parameters[layer] = original;
    double loss2 = LeastSquaresLoss(ComputeNetworkOutput(netInput, allWeights, allBiases), y).ToScalar();
    return (loss1 - loss2) / deltaFd;
}

bool allClose = true;
foreach (var (name, parameters) in new[] { ("Bias", allBiases), ("Weight", allWeights) })
    for (int layer = 0; layer < K; layer++)
    {
        var p = parameters[layer];
        var fd = new Tensor<double>(Enumerable.Range(0, p.ElementCount).Select(i => FiniteDifference(parameters, layer, i)).ToArray(), [.. p.Shape]);
        Console.WriteLine($"{name} {layer}, derivatives from backprop:");
        Console.WriteLine(Print(p.Grad!));
        Console.WriteLine($"{name} {layer}, derivatives from finite differences");
        Console.WriteLine(Print(fd));
        allClose &= p.Grad!.AllClose(fd); // np.allclose: rtol 1e-5, atol 1e-8
    }
Console.WriteLine($"backprop and finite differences allclose: {allClose}");
