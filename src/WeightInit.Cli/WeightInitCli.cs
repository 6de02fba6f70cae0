using System.CommandLine;
using WeightInit.Cli.Commands;

namespace WeightInit.Cli;

/// <summary>The <c>weightinit</c> command tree.</summary>
internal static class WeightInitCli
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("weightinit: Keras 3 weight initializers on .NET (TorchSharp), with Keras's exact meaning.");
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        return root;
    }
}
