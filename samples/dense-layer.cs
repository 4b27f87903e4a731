#:project ../src/Nabla.App/Nabla.App.csproj
#:property PublishAot=false
// Notebook 002: the backward pass of one ReLU neuron, then of a dense layer over a batch, with Nabla's tensor engine.
// Run: dotnet run samples/dense-layer.cs
using Nabla.Examples;
using Nabla.Tensors;

static string Print(Tensor<double> t) => NumPyFormat.Format(t.ToArray(), [.. t.Shape]);

// One neuron with 3 inputs: z = x·w + b, y = ReLU(z).
var x = Tensor.FromArray(new[] { 1.0, -2.0, 3.0 }).RequireGrad();
var w = Tensor.FromArray(new[] { -3.0, -1.0, 2.0 }).RequireGrad();
var b = Tensor.Scalar(1.0).RequireGrad();
var xw = x * w;                       // xw0, xw1, xw2
Console.WriteLine($"xw = {Print(xw)}"); // [-3.  2.  6.]
var z = xw.Sum() + b;
Console.WriteLine($"z = {Print(z)}");
var y = z.Relu();
Console.WriteLine($"y = {Print(y)}");

// Backward: ReLU passes the gradient (its derivative is 1 since z > 0); then ∂z/∂w = x, ∂z/∂x = w, ∂z/∂b = 1.
y.Backward();
Console.WriteLine($"dx = {Print(x.Grad!)}");
Console.WriteLine($"dw = {Print(w.Grad!)}");
Console.WriteLine($"db = {Print(b.Grad!)}");

// A layer of 3 neurons, one row of weights per neuron, fed a batch of 4 samples: output = inputs·Wᵀ + biases.
var weights = Tensor.FromArray(new[,] { { 0.2, 0.8, -0.5, 1 }, { 0.5, -0.91, 0.26, -0.5 }, { -0.26, -0.27, 0.17, 0.87 } }).RequireGrad();
var biases = Tensor.FromArray(new[,] { { 2, 3, 0.5 } }).RequireGrad();
var inputs = Tensor.FromArray(new[,] { { 1, 2, 3, 2.5 }, { 2, 5, -1, 2 }, { -1.5, 2.7, 3.3, -0.8 }, { -2.4, -1.0, -0.3, -2.3 } }).RequireGrad();
var output = inputs.MatMul(weights.Transpose()) + biases;

// The next layer hands back one gradient row per sample; backward pushes it through the layer.
var dvalues = Tensor.FromArray(new[,] { { 1.0, 1, 1 }, { 2, 2, 2 }, { 3, 3, 3 }, { 4, 4, 4 } });
output.Backward(dvalues);

Console.WriteLine("dinputs (= dvalues·W)");
Console.WriteLine(Print(inputs.Grad!));
Console.WriteLine("dweights (= inputsᵀ·dvalues, the gradient of Wᵀ)");
Console.WriteLine(Print(weights.Grad!.Transpose()));
Console.WriteLine("dbiases (= dvalues summed over the batch)");
Console.WriteLine(Print(biases.Grad!));
