using System.CommandLine;
using WeightInit.Keras.Random;
using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Cli.Commands;

/// <summary>The <c>--backend</c> option every sampling command takes: whose seeded random numbers to reproduce.</summary>
internal static class BackendOption
{
    /// <summary>A new <c>--backend pytorch|tensorflow</c> option (default pytorch).</summary>
    public static Option<string> Create()
    {
        var option = new Option<string>("--backend")
        {
            Description = "Reproduce the seeded values of Keras 3 on this backend: pytorch, or tensorflow (Keras's default backend; TensorFlow's Philox kernels).",
            DefaultValueFactory = _ => "pytorch",
        };
        option.AcceptOnlyFromAmong("pytorch", "tensorflow");
        return option;
    }

    /// <summary>The backend as <c>--backend</c> spells it.</summary>
    public static string Name(RandomBackend backend) => backend == RandomBackend.TensorFlow ? "tensorflow" : "pytorch";

    /// <summary>
    /// Runs the command body with the parsed backend in force (restored afterwards). For TensorFlow, first runs the
    /// float-math self-check and warns on stderr when this runtime does not give TensorFlow's exact normal values.
    /// </summary>
    public static int Apply(string value, Func<int> body)
    {
        var backend = KerasBackendRandom.Parse(value);
        using var scope = KerasBackendRandom.Use(backend);
        if (backend == RandomBackend.TensorFlow)
        {
            var check = TensorFlowBackend.SelfCheck();
            if (!check.Passed)
            {
                Console.Error.WriteLine($"weightinit: {check.Message}");
            }
        }
        return body();
    }
}
