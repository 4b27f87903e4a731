#:project ../src/Nabla.App/Nabla.App.csproj
#:property PublishAot=false
// Notebook 003: a 3-4-1 sigmoid network trained by gradient descent, every partial derivative written out,
// with Nabla's tensors (no autodiff here: like the notebook, we spell the chain rule out).
// Run: dotnet run samples/sigmoid-sgd.cs
using Nabla.Examples;
using Nabla.Rng;
using Nabla.Tensors;

const double alpha = 10; // step size

var X = Tensor.FromArray(new double[,] { { 0, 0, 1 } }); // inputs
var Y = Tensor.FromArray(new double[,] { { 0 } });       // outputs

// np.random.seed(2); weights uniform in [-1, 1)
var rng = new RandomState(2);
var W0 = new Tensor<double>(rng.RandomSample(3, 4), 3, 4) * 2.0 - 1.0;
var W1 = new Tensor<double>(rng.RandomSample(4, 1), 4, 1) * 2.0 - 1.0;

using (NoGrad.Scope())
{
    for (int i = 0; i < 60000; i++)
    {
        // Feed forward
        var layer0 = X;
        var layer1Outputs = layer0.MatMul(W0).Sigmoid();
        var layer2Outputs = layer1Outputs.MatMul(W1).Sigmoid();

        // Backpropagation, ErrorT = ½(Y − out)². The chain rule for W1:
        // ∂ErrorT/∂W1 = ∂ErrorT/∂out · ∂out/∂(layer2 input) · ∂(layer2 input)/∂W1
        var dErrorTdLayer2Outputs = -(Y - layer2Outputs);
        var dLayer2OutputsdLayer2Inputs = layer2Outputs * (1.0 - layer2Outputs); // sigmoid' = out·(1 − out)
        var dLayer2InputsdW1 = layer1Outputs.Transpose();                          // (4, 1): the layer-1 outputs
        var dErrorTdW1 = dErrorTdLayer2Outputs * dLayer2OutputsdLayer2Inputs * dLayer2InputsdW1;

        // ... and for W0, through the hidden layer (W1 before its update):
        var dLayer2InputsdLayer1Outputs = W1.Transpose();                          // (1, 4)
        var dLayer1OutputsdLayer1Inputs = layer1Outputs * (1.0 - layer1Outputs);  // (1, 4)
        var dLayer1InputsdW0 = layer0.Transpose();                                  // (3, 1): the inputs, broadcast over the 4 columns
        var dErrorTdW0 = dErrorTdLayer2Outputs * dLayer2OutputsdLayer2Inputs * dLayer2InputsdLayer1Outputs
                         * dLayer1OutputsdLayer1Inputs * dLayer1InputsdW0;        // (3, 4)

        // Update the weights in place
        W1.CopyFrom(W1 - alpha * dErrorTdW1);
        W0.CopyFrom(W0 - alpha * dErrorTdW0);

        if (i % 5000 == 0)
            Console.WriteLine($"Error: {(Y - layer2Outputs).Abs().Mean().ToScalar():F6}");
    }
}
Console.WriteLine($"W0\n{NumPyFormat.Format(W0.ToArray(), [3, 4])}");
Console.WriteLine($"W1\n{NumPyFormat.Format(W1.ToArray(), [4, 1])}");
