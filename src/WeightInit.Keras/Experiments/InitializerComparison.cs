using System.Diagnostics;
using WeightInit.Keras.Data;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Experiments;

/// <summary>Settings of <see cref="InitializerComparison"/>; the defaults are those of <c>weightinit compare</c>.</summary>
public sealed record ComparisonOptions
{
    /// <summary>Initializer names, in the order they are run (default: the eight of the original examples).</summary>
    public IReadOnlyList<string> Initializers { get; init; } = KerasInitializers.OriginalEight;

    /// <summary>Training epochs per initializer.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Seeds the split, the shuffling and (as <c>keras.utils.set_random_seed</c>) the initializers.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Share of the data held out for the test.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of the training part held out for validation (its last rows, as Keras's validation_split).</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Width of the two hidden Dense layers.</summary>
    public int HiddenUnits { get; init; } = 64;

    /// <summary>Validation accuracy whose first epoch is reported.</summary>
    public double AccuracyTarget { get; init; } = 0.9;

    /// <summary>Checks every value; throws naming the first that is out of range.</summary>
    /// <exception cref="ArgumentException">An unknown initializer, or a count, rate or fraction out of range.</exception>
    public void Validate()
    {
        if (Initializers.Count == 0)
        {
            throw new ArgumentException("At least one initializer is needed.", nameof(Initializers));
        }
        foreach (string name in Initializers)
        {
            KerasInitializers.RequireKnown(name);
        }
        string? repeated = Initializers.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new ArgumentException($"Initializer '{repeated}' is listed more than once; each initializer is run once.", nameof(Initializers));
        }
        if (Seed < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, $"seed must be between 0 and {int.MaxValue}; received {Seed}.");
        }
        Positive(Epochs, "epochs");
        Positive(BatchSize, "batch size");
        Positive(HiddenUnits, "hidden units");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"learning rate must be a positive finite number (> 0); received {LearningRate}.");
        }
        if (!(TestFraction > 0 && TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, $"test fraction must be in (0, 1); received {TestFraction}.");
        }
        if (!(ValidationSplit > 0 && ValidationSplit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, $"validation split must be in (0, 1); received {ValidationSplit}.");
        }
    }

    private static void Positive(int value, string what)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(what, value, $"{what} must be a positive integer (>= 1); received {value}.");
        }
    }
}

/// <summary>One initializer's run.</summary>
/// <param name="Initializer">The initializer's name as given.</param>
/// <param name="InitialLoss">Loss on the fitted training rows before any update.</param>
/// <param name="FinalLoss">Training loss of the last epoch (mean over its batches, as Keras reports it).</param>
/// <param name="FinalValidationLoss">Validation loss after the last epoch.</param>
/// <param name="TestAccuracy">Accuracy on the held-out test part.</param>
/// <param name="EpochReachingTarget">First epoch (from 1) whose validation accuracy reached the target, or null for never.</param>
/// <param name="Seconds">Wall time of building, training and evaluating.</param>
/// <param name="History">Per-epoch loss, accuracy, val_loss and val_accuracy.</param>
public sealed record InitializerRun(string Initializer, double InitialLoss, double FinalLoss, double FinalValidationLoss,
    double TestAccuracy, int? EpochReachingTarget, double Seconds, History History);

/// <summary>
/// The main job: the same small network trained once per initializer on the same split and batch order, to show
/// how initialization changes convergence and accuracy. Input → Dense(64, relu) → Dense(64, relu) → head
/// (softmax over the classes, or one sigmoid unit with binary cross-entropy for two classes); the initializer under
/// test on every kernel, zeros on every bias; Adam.
/// </summary>
public static class InitializerComparison
{
    /// <summary>Loads a data set by name (<c>digits</c>, <c>breast-cancer</c>) or CSV path and splits it.</summary>
    /// <remarks>Digits keep their [0, 1] scaling; other data sets are standardized with the training part's moments.</remarks>
    public static (Dataset Train, Dataset Test) PrepareData(string dataset, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Dataset data = dataset switch
        {
            "digits" => Datasets.Digits(),
            "breast-cancer" or "breast_cancer" => Datasets.BreastCancer(),
            _ when File.Exists(dataset) => Datasets.LoadCsv(dataset),
            _ when dataset.Contains('/') || dataset.Contains('.') => Datasets.LoadCsv(dataset),
            _ => throw new ArgumentException($"Unknown dataset '{dataset}'; use digits, breast-cancer or the path of a CSV file.", nameof(dataset)),
        };
        var (train, test) = data.TrainTestSplit(testFraction, seed);
        if (dataset == "digits")
        {
            return (train, test);
        }
        var (mean, std) = train.FeatureMoments();
        return (train.Standardize(mean, std), test.Standardize(mean, std));
    }

    /// <summary>The comparison network for a data set's shape, with <paramref name="initializer"/> on every kernel.</summary>
    public static Sequential BuildModel(int features, int classes, string initializer, int hiddenUnits = 64)
    {
        bool binary = classes == 2;
        return new Sequential(
            new InputLayer(features),
            new Dense(hiddenUnits, "relu", kernelInitializer: initializer),
            new Dense(hiddenUnits, "relu", kernelInitializer: initializer),
            new Dense(binary ? 1 : classes, binary ? "sigmoid" : "softmax", kernelInitializer: initializer));
    }

    /// <summary>Runs every initializer of <paramref name="options"/>; <paramref name="onEpochEnd"/> reports progress.</summary>
    public static IReadOnlyList<InitializerRun> Run(Dataset train, Dataset test, ComparisonOptions options,
        Action<string, EpochEnd>? onEpochEnd = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.FeatureCount != test.FeatureCount)
        {
            throw new ArgumentException($"Train has {train.FeatureCount} features but test has {test.FeatureCount}.", nameof(test));
        }
        int classes = Math.Max(train.ClassCount, test.ClassCount);
        bool binary = classes == 2;
        using var x = train.FeaturesTensor();
        using var y = train.LabelsTensor(binary);
        using var testX = test.FeaturesTensor();
        using var testY = test.LabelsTensor(binary);
        long fitted = (long)Math.Ceiling(train.Count * (1.0 - options.ValidationSplit));
        using var fitX = x.narrow(0, 0, fitted);
        using var fitY = y.narrow(0, 0, fitted);
        var runs = new List<InitializerRun>();
        foreach (string name in options.Initializers)
        {
            var watch = Stopwatch.StartNew();
            KerasRandom.SetRandomSeed(options.Seed);
            var model = BuildModel(train.FeatureCount, classes, name, options.HiddenUnits);
            model.Compile(new Adam(options.LearningRate), binary ? "binary_crossentropy" : "sparse_categorical_crossentropy", ["accuracy"]);
            double initialLoss = model.Evaluate(fitX, fitY, options.BatchSize)["loss"];
            var history = model.Fit(x, y, options.Epochs, options.BatchSize, options.ValidationSplit, seed: options.Seed,
                onEpochEnd: e => onEpochEnd?.Invoke(name, e));
            double testAccuracy = model.Evaluate(testX, testY, options.BatchSize)["accuracy"];
            int? reached = null;
            var valAccuracy = history["val_accuracy"];
            for (int e = 0; e < valAccuracy.Count; e++)
            {
                if (valAccuracy[e] >= options.AccuracyTarget)
                {
                    reached = e + 1;
                    break;
                }
            }
            watch.Stop();
            runs.Add(new InitializerRun(name, initialLoss, history["loss"][^1], history["val_loss"][^1], testAccuracy, reached,
                watch.Elapsed.TotalSeconds, history));
        }
        return runs;
    }
}
