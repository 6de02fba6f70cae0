using WeightInit.Cli;

namespace WeightInit.Keras.Tests.Cli;

/// <summary>
/// Runs the <c>weightinit</c> CLI in-process and captures what it writes. It redirects the process-wide
/// <see cref="Console"/>, so every fixture that calls it must be <c>[NonParallelizable]</c>.
/// </summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = WeightInitCli.Run(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
