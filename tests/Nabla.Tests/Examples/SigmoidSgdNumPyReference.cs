namespace Nabla.Tests.Examples;

/// <summary>
/// NumPy's run of notebook 003's loop, pasted from
/// <c>/usr/bin/python3 /work/shared/bench/seed_sigmoid_numpy.py --json out.json</c> (NumPy 1.24.2).
/// </summary>
internal static class SigmoidSgdNumPyReference
{
    /// <summary>(iteration, mean |Y − out|) every 5 000 iterations, before that iteration's update.</summary>
    public static readonly (int Iteration, double Error)[] Errors =
    [
        (0, 0.4151642364099251), (5000, 0.0020244553124291013), (10000, 0.0014027568146556585),
        (15000, 0.001132882438473788), (20000, 0.0009738787756078936), (25000, 0.0008662541201497604),
        (30000, 0.000787304623230691), (35000, 0.0007262539280718533), (40000, 0.0006772492724264618),
        (45000, 0.0006368041708724231), (50000, 0.0006026963693732385), (55000, 0.0005734341401113669),
    ];

    /// <summary>W0 = 2·random((3, 4)) − 1 after np.random.seed(2), row-major.</summary>
    public static readonly double[] W0Initial =
    [
        -0.12801019571599248, -0.9481475363442173, 0.09932495575741829, -0.12935521476344625,
        -0.15926439582502194, -0.33933035799225175, -0.590702731924315, 0.2385419327013274,
        -0.4006906526509537, -0.46634544979426673, 0.2422676655385898, 0.05828418855407813,
    ];

    /// <summary>W1 = 2·random((4, 1)) − 1, drawn next.</summary>
    public static readonly double[] W1Initial = [-0.7308401093101329, 0.027156242531492847, -0.6311202687061694, 0.5706702956333469];

    /// <summary>W0 after 60 000 updates, row-major (3×4).</summary>
    public static readonly double[] W0 =
    [
        -0.12801019571599248, -0.9481475363442173, 0.09932495575741829, -0.12935521476344625,
        -0.15926439582502194, -0.33933035799225175, -0.590702731924315, 0.2385419327013274,
        1.2248595512907798, 0.3554405231424161, 1.7426143181281435, 0.5052445403296526,
    ];

    /// <summary>W1 after 60 000 updates (4×1).</summary>
    public static readonly double[] W1 = [-3.0692917421263353, -1.8507046949771044, -3.550280124927841, -1.6466051615884763];
}
