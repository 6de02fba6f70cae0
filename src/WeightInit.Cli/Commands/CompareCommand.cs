using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ScottPlot;
using Spectre.Console;
using WeightInit.Keras.Experiments;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Random;

namespace WeightInit.Cli.Commands;

/// <summary><c>weightinit compare</c>: trains the same network once per initializer and reports how each converged.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "digits, breast-cancer, or the path of a CSV file (last column: integer label).", DefaultValueFactory = _ => "digits" };
        var initializers = new Option<string>("--initializers") { Description = "Comma-separated Keras initializer names.", DefaultValueFactory = _ => string.Join(',', KerasInitializers.OriginalEight) };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs per initializer.", DefaultValueFactory = _ => 20 };
        var batchSize = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Adam learning rate.", DefaultValueFactory = _ => 0.001 };
        var seed = new Option<int>("--seed") { Description = "Seeds the split, the shuffling and the initializers (as keras.utils.set_random_seed).", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out") { Description = "Directory for compare.png and compare.json.", DefaultValueFactory = _ => "weightinit-out" };
        var backend = BackendOption.Create();
        var command = new Command("compare", "Train the same network once per initializer on real data and compare convergence and accuracy.")
        {
            dataset, initializers, epochs, batchSize, learningRate, seed, output, backend,
        };
        command.SetAction(parse => Cli.Run(() => BackendOption.Apply(parse.GetValue(backend)!, () => Execute(
            parse.GetValue(dataset)!,
            new ComparisonOptions
            {
                Initializers = [.. parse.GetValue(initializers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(learningRate),
                Seed = parse.GetValue(seed),
            },
            parse.GetValue(output)!))));
        return command;
    }

    private static int Execute(string dataset, ComparisonOptions options, string outDir)
    {
        options.Validate();
        var (train, test) = InitializerComparison.PrepareData(dataset, options.TestFraction, options.Seed);
        string outFull = Cli.PrepareOutputDirectory(outDir, ["compare.png", "compare.json"]);
        Cli.Error.MarkupLineInterpolated($"[grey]{train.Name}: {train.Count} training rows ({options.ValidationSplit:P0} of them for validation), {test.Count} test rows, {train.FeatureCount} features, {Math.Max(train.ClassCount, test.ClassCount)} classes[/]");
        IReadOnlyList<InitializerRun> runs = null!;
        if (Cli.Error.Profile.Capabilities.Interactive)
        {
            Cli.Error.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var tasks = options.Initializers.ToDictionary(n => n, n => ctx.AddTask(n, maxValue: options.Epochs));
                    runs = InitializerComparison.Run(train, test, options, (name, e) => tasks[name].Value = e.Epoch);
                });
        }
        else
        {
            runs = InitializerComparison.Run(train, test, options, (name, e) =>
            {
                if (e.Epoch == e.Epochs)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {e.Epochs} epoch(s) done, val_accuracy {e.Logs["val_accuracy"]:F4}"));
                }
            });
        }
        PrintTable(runs, options);
        string png = Path.Combine(outFull, "compare.png");
        string json = Path.Combine(outFull, "compare.json");
        AtomicFile.WriteVia(png, path => SavePlot(runs, train.Name, path));
        AtomicFile.WriteVia(json, path => File.WriteAllText(path, JsonSerializer.Serialize(ToJson(runs, dataset, options), Cli.Json)));
        Console.WriteLine($"Wrote {Path.GetRelativePath(Environment.CurrentDirectory, png)} and {Path.GetRelativePath(Environment.CurrentDirectory, json)}");
        return 0;
    }

    private static void PrintTable(IReadOnlyList<InitializerRun> runs, ComparisonOptions options)
    {
        var table = new Table().AddColumns("initializer", "loss before", "final loss", "final val loss", "test accuracy",
            $"epoch to {options.AccuracyTarget:P0} val acc", "seconds");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }
        foreach (var r in runs)
        {
            table.AddRow(r.Initializer, F(r.InitialLoss), F(r.FinalLoss), F(r.FinalValidationLoss), F(r.TestAccuracy),
                r.EpochReachingTarget?.ToString(CultureInfo.InvariantCulture) ?? "never", r.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        }
        Cli.Out.Write(table);
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("F4", CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);

    private static void SavePlot(IReadOnlyList<InitializerRun> runs, string dataset, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var loss = multiplot.GetPlot(0);
        var accuracy = multiplot.GetPlot(1);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < runs.Count; i++)
        {
            var epochs = Enumerable.Range(1, runs[i].History.Epochs).Select(e => (double)e).ToArray();
            var color = palette.GetColor(i);
            var l = loss.Add.Scatter(epochs, Log10(runs[i].History["val_loss"]));
            l.LegendText = runs[i].Initializer;
            l.Color = color;
            var a = accuracy.Add.Scatter(epochs, [.. runs[i].History["val_accuracy"]]);
            a.LegendText = runs[i].Initializer;
            a.Color = color;
        }
        loss.Title($"Validation loss per epoch ({dataset})");
        loss.YLabel("log10(val_loss)");
        loss.XLabel("epoch");
        accuracy.Title($"Validation accuracy per epoch ({dataset})");
        accuracy.YLabel("val_accuracy");
        accuracy.XLabel("epoch");
        loss.ShowLegend(Alignment.UpperRight);
        accuracy.ShowLegend(Alignment.LowerRight);
        multiplot.SavePng(path, 1000, 1100);
    }

    private static double[] Log10(IReadOnlyList<double> values) => [.. values.Select(Math.Log10)];

    private static object ToJson(IReadOnlyList<InitializerRun> runs, string dataset, ComparisonOptions options) => new Dictionary<string, object>
    {
        ["dataset"] = dataset,
        ["backend"] = BackendOption.Name(KerasBackendRandom.Current),
        ["options"] = new Dictionary<string, object>
        {
            ["epochs"] = options.Epochs,
            ["batch_size"] = options.BatchSize,
            ["learning_rate"] = options.LearningRate,
            ["seed"] = options.Seed,
            ["test_fraction"] = options.TestFraction,
            ["validation_split"] = options.ValidationSplit,
            ["accuracy_target"] = options.AccuracyTarget,
        },
        ["results"] = runs.ToDictionary(r => r.Initializer, r => (object)new Dictionary<string, object?>
        {
            ["loss_before_training"] = r.InitialLoss,
            ["final_loss"] = r.FinalLoss,
            ["final_val_loss"] = r.FinalValidationLoss,
            ["test_accuracy"] = r.TestAccuracy,
            ["epoch_reaching_target"] = r.EpochReachingTarget,
            ["seconds"] = r.Seconds,
            ["history"] = r.History.Values,
        }),
    };
}
