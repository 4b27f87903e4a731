#:project ../src/Nabla.Training/Nabla.Training.csproj
#:property PublishAot=false
// Notebook 000: two weights, y = sin(sin(x·w1)·w2), and the mean gradient of the squared error over a CSV,
// computed by Nabla's tensor engine (the notebook multiplies the chain-rule factors by hand; backward does it for us).
// Run: dotnet run samples/sin-network.cs -- samples/data/sin.csv   (any CSV with columns x and y)
using Nabla.Data;
using Nabla.Rng;
using Nabla.Tensors;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run samples/sin-network.cs -- data.csv   (columns x and y)");
    return 2;
}

// Read columns x and y (CsvLoader names the line and column of any bad cell).
var data = CsvLoader.Load(args[0], new CsvOptions { Target = "y", Features = ["x"] });
var x = Tensor.FromArray(data.Features.Column(0));
var y = Tensor.FromArray(data.Targets!);

// np.random.seed(310); W = [np.random.randn(1, 1), np.random.randn(1, 1)]
var rng = new RandomState(310);
var w1 = Tensor.Scalar(rng.Randn(1, 1)[0]).RequireGrad();
var w2 = Tensor.Scalar(rng.Randn(1, 1)[0]).RequireGrad();
Console.WriteLine($"W = [{w1.ToScalar():R}, {w2.ToScalar():R}]");

// The network: a1 = x·w1, h1 = sin(a1), a2 = h1·w2, y_pred = sin(a2)
var a1 = x * w1;
var h1 = a1.Sin();
var a2 = h1 * w2;
var yPred = a2.Sin();

// The notebook averages dL/dw over the points, L = (y_pred − y)²: that is the gradient of the mean.
var loss = (yPred - y).Pow(2.0).Mean();
loss.Backward();
// dL/dw1 = dL/dy · dy/da2 · da2/dh1 · dh1/da1 · da1/dw1,   dL/dw2 = dL/dy · dy/da2 · da2/dw2
Console.WriteLine($"The derivatives of w1 w2 wrt L are [{w1.Grad!.ToScalar():R}, {w2.Grad!.ToScalar():R}]");
return 0;
