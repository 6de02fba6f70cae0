using System.CommandLine;
using WeightInit.Cli.Commands;

namespace WeightInit.Cli;

/// <summary>The <c>weightinit</c> command tree.</summary>
internal static class WeightInitCli
{
    /// <summary>
    /// Parses and runs a command line. Parse errors (an unknown option, a value of the wrong type, a missing argument)
    /// are bad input too: one line each on stderr and exit code 2, as for errors found while running.
    /// </summary>
    public static int Run(string[] args)
    {
        var result = Build().Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"weightinit: error: {Readable(error.Message)}");
            }
            Console.Error.WriteLine("Run 'weightinit --help' (or 'weightinit <command> --help') for usage.");
            return Commands.Cli.InputError;
        }
        return result.Invoke();
    }

    /// <summary>The parser's message on one line, with .NET type names said in words.</summary>
    private static string Readable(string message) => string.Join(" ", message.Split('\n', StringSplitOptions.TrimEntries))
        .Replace("'System.Nullable`1[System.Int64]'", "'integer'", StringComparison.Ordinal)
        .Replace("'System.Int64'", "'integer'", StringComparison.Ordinal)
        .Replace("'System.Int32'", "'integer'", StringComparison.Ordinal)
        .Replace("'System.Nullable`1[System.Double]'", "'number'", StringComparison.Ordinal)
        .Replace("'System.Double'", "'number'", StringComparison.Ordinal);

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("weightinit: Keras 3 weight initializers on .NET (TorchSharp), with Keras's exact meaning.");
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(PropagateCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        return root;
    }
}
