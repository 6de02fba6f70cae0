using System.CommandLine;
using System.Globalization;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;
using WeightInit.Keras.Saving;

namespace WeightInit.Cli.Commands;

/// <summary>
/// <c>weightinit init &lt;config.json|model.keras&gt; [--seed N] -o out.keras</c>: builds a model from its Keras config,
/// initializes it with Keras's seeding, and saves a <c>.keras</c> archive Python Keras can load.
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A Keras model config (.json, as model.to_json() or a .keras archive's config.json) or a .keras archive whose config is used (its weights are not)." };
        var seed = new Option<long?>("--seed") { Description = "Acts as keras.utils.set_random_seed(N) before the layers are built, so unseeded initializers draw the seeds Python Keras would." };
        var output = new Option<string>("--output", "-o") { Description = "The .keras archive to write.", Required = true };
        var backend = BackendOption.Create();
        var command = new Command("init", "Build a model from its Keras config, initialize it as Keras would, and save a .keras archive.")
        {
            source, seed, output, backend,
        };
        command.SetAction(parse => Cli.Run(() => BackendOption.Apply(parse.GetValue(backend)!,
            () => Execute(parse.GetValue(source)!, parse.GetValue(seed), parse.GetValue(output)!))));
        return command;
    }

    /// <summary>Builds, initializes and saves; returns the model.</summary>
    internal static Sequential Build(string source, long? seed)
    {
        Cli.RequireInputFile(source, "The model config");
        string json = KerasFile.ReadConfig(source);
        if (seed is { } s)
        {
            KerasRandom.SetRandomSeed(s);
        }
        try
        {
            return ModelConfig.FromJson(json);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: {Cli.OneLine(e)}", e);
        }
    }

    private static int Execute(string source, long? seed, string output)
    {
        Cli.RequireFileName(output, "--output");
        var model = Build(source, seed);
        model.Save(output);
        model.Summary(Console.Error);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {output}: {model.Layers.Count} layers, {model.CountParams():N0} parameters{(seed is { } s ? $", seed {s}" : ", unseeded")}, {BackendOption.Name(KerasBackendRandom.Current)} backend."));
        return 0;
    }
}
