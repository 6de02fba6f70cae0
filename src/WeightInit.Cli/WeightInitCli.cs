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
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(PropagateCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        return root;
    }
}
