using Nabla.Examples;

namespace Nabla.Tests.Examples;

public class DenseLayerExampleTests
{
    private static readonly DenseLayerResult Result = DenseLayer.Run();

    [Fact]
    public void The_single_neuron_gives_z_6_and_y_6_and_relu_passes_the_gradient_through()
    {
        Assert.Equal(6.0, Result.Z);
        Assert.Equal(6.0, Result.Y);
        Assert.Equal(new[] { -3.0, -1.0, 2.0 }, Result.NeuronDx); // ∂y/∂x = w
        Assert.Equal(new[] { 1.0, -2.0, 3.0 }, Result.NeuronDw);  // ∂y/∂w = x
        Assert.Equal(1.0, Result.NeuronDb);
    }

    [Fact]
    public void Dinputs_prints_as_the_notebook_prints_it()
    {
        Assert.Equal(
            "[[ 0.44 -0.38 -0.07  1.37]\n [ 0.88 -0.76 -0.14  2.74]\n [ 1.32 -1.14 -0.21  4.11]\n [ 1.76 -1.52 -0.28  5.48]]",
            Result.DInputs.Format());
    }

    [Fact]
    public void Dweights_and_dbiases_print_as_the_notebook_shows_them()
    {
        // The notebook shows repr(dweights); at precision 3 print gives the same digits.
        Assert.Equal("array([[-9.1, -9.1, -9.1],\n       [16.1, 16.1, 16.1],\n       [ 9.7,  9.7,  9.7],\n       [-5.1, -5.1, -5.1]])",
            NumPyRepr.Format(Result.DWeights.Values, 4, 3));
        Assert.Equal("[[-9.1 -9.1 -9.1]\n [16.1 16.1 16.1]\n [ 9.7  9.7  9.7]\n [-5.1 -5.1 -5.1]]", Result.DWeights.Format());
        Assert.Equal("[[10. 10. 10.]]", Result.DBiases.Format());
    }

    [Fact]
    public void Backward_equals_the_notebooks_matrix_products_written_as_loops()
    {
        double[,] w = DenseLayer.Weights, x = DenseLayer.Inputs, dv = DenseLayer.DValues;
        for (int n = 0; n < 4; n++)
            for (int i = 0; i < 4; i++)
            {
                double dinput = 0, dweight = 0;
                for (int j = 0; j < 3; j++) dinput += dv[n, j] * w[j, i];               // dvalues·W
                Assert.Equal(dinput, Result.DInputs[n, i], 12);
                if (n < 3)
                {
                    for (int s = 0; s < 4; s++) dweight += x[s, i] * dv[s, n];          // inputsᵀ·dvalues
                    Assert.Equal(dweight, Result.DWeights[i, n], 12);
                }
            }
        Assert.Equal(new[] { 10.0, 10.0, 10.0 }, Result.DBiases.Values);
        Assert.Equal((4, 4, 4, 3, 1, 3), (Result.DInputs.Rows, Result.DInputs.Columns, Result.DWeights.Rows,
            Result.DWeights.Columns, Result.DBiases.Rows, Result.DBiases.Columns));
    }
}
