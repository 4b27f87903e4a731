namespace Nabla.Tests.Examples;

/// <summary>Arrays exactly as notebook 001 prints them (np.set_printoptions(precision=3)), copied from its output cells.</summary>
internal static class DeepReluNotebookText
{
    public const string AllWeights3 =
        "array([[ 0.96939671, -1.17312341,  1.94362119, -0.41361898, -0.74745481,\n" +
        "         1.92294203],\n" +
        "       [ 1.48051479,  1.86755896,  0.90604466, -0.86122569,  1.91006495,\n" +
        "        -0.26800337],\n" +
        "       [ 0.8024564 ,  0.94725197, -0.15501009,  0.61407937,  0.92220667,\n" +
        "         0.37642553],\n" +
        "       [-1.09940079,  0.29823817,  1.3263859 , -0.69456786, -0.14963454,\n" +
        "        -0.43515355],\n" +
        "       [ 1.84926373,  0.67229476,  0.40746184, -0.76991607,  0.53924919,\n" +
        "        -0.67433266],\n" +
        "       [ 0.03183056, -0.63584608,  0.67643329,  0.57659082, -0.20829876,\n" +
        "         0.39600671]])";

    /// <summary>"Bias k, derivatives from backprop:" for k = 0 … 4 (NumPy's −0. where indicator(f)·dl_dh is 0·negative).</summary>
    public static readonly string[] BiasBackprop =
    [
        "[[ -4.486]\n [  4.947]\n [  6.812]\n [ -3.883]\n [-24.935]\n [  0.   ]]",
        "[[ -0.   ]\n [-11.297]\n [  0.   ]\n [  0.   ]\n [-10.722]\n [  0.   ]]",
        "[[-0.   ]\n [-0.   ]\n [ 0.938]\n [ 0.   ]\n [-9.993]\n [ 0.508]]",
        "[[-0.   ]\n [-4.8  ]\n [-1.661]\n [-0.   ]\n [ 3.393]\n [ 5.391]]",
        "[[-0.   ]\n [ 0.   ]\n [ 0.   ]\n [-0.   ]\n [-5.212]\n [-0.   ]]",
    ];

    /// <summary>"Bias k, derivatives from finite differences" for k = 0 … 4; the notebook's output of the last is cut off after three rows.</summary>
    public static readonly string[] BiasFiniteDifferences =
    [
        "[[ -4.486]\n [  4.947]\n [  6.812]\n [ -3.883]\n [-24.935]\n [  0.   ]]",
        "[[  0.   ]\n [-11.297]\n [  0.   ]\n [  0.   ]\n [-10.722]\n [  0.   ]]",
        "[[ 0.   ]\n [ 0.   ]\n [ 0.938]\n [ 0.   ]\n [-9.993]\n [ 0.508]]",
        "[[ 0.   ]\n [-4.8  ]\n [-1.661]\n [ 0.   ]\n [ 3.393]\n [ 5.391]]",
        "[[ 0.   ]\n [ 0.   ]\n [ 0.   ]\n [",
    ];

    /// <summary>"Weight k, derivatives from backprop:" for k = 0, 1 and the start of 2 (where the notebook's output is cut off).</summary>
    public static readonly string[] WeightBackprop =
    [
        "[[ -5.383]\n [  5.937]\n [  8.174]\n [ -4.66 ]\n [-29.922]\n [  0.   ]]",
        "[[  0.      0.      0.      0.      0.      0.   ]\n" +
        " [-32.511  -6.799 -18.282 -34.148 -42.196   0.   ]\n" +
        " [  0.      0.      0.      0.      0.      0.   ]\n" +
        " [  0.      0.      0.      0.      0.      0.   ]\n" +
        " [-30.856  -6.453 -17.352 -32.409 -40.047   0.   ]\n" +
        " [  0.      0.      0.      0.      0.      0.   ]]",
        "[[  0.      0.      0.      0.      0.      0.   ",
    ];

    /// <summary>"Weight k, derivatives from finite differences" for k = 0, 1.</summary>
    public static readonly string[] WeightFiniteDifferences = [WeightBackprop[0], WeightBackprop[1]];
}
