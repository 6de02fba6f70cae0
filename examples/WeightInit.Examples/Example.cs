using System.Globalization;
using WeightInit.Keras.Data;
using WeightInit.Keras.Models;
using static TorchSharp.torch;

namespace WeightInit.Examples;

/// <summary>One runnable example: a name for the command line, a line for the list, and its body.</summary>
internal abstract class Example
{
    /// <summary>The name given on the command line, e.g. <c>he-normal</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line on what the example shows.</summary>
    public abstract string Summary { get; }

    /// <summary>Runs the example, writing to <paramref name="lab"/>.</summary>
    public abstract void Run(Lab lab);
}

/// <summary>What the examples share: where they print, how long they train, and the digits data.</summary>
internal sealed class Lab(TextWriter output, int epochs)
{
    private (Tensor X, Tensor Y, Tensor TestX, Tensor TestY)? _digits;

    /// <summary>Where the example prints.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Training epochs (the test suite runs the examples with 1).</summary>
    public int Epochs { get; } = epochs;

    /// <summary>Prints a layer's kernel statistics next to what the initializer's formula says.</summary>
    public void KernelStats(Dense layer, string formula, double expectedMean, double expectedStd)
    {
        var kernel = layer.Kernel!;
        using var asDouble = kernel.detach().to_type(ScalarType.Float64);
        double mean = asDouble.mean().item<double>();
        double std = asDouble.std(unbiased: false).item<double>();
        Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{layer.Name} kernel ({string.Join(" x ", kernel.shape)}), {formula}"));
        Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  mean {mean,9:F5}  (formula {expectedMean:F5})   std {std:F5}  (formula {expectedStd:F5})   min {asDouble.min().item<double>():F5}  max {asDouble.max().item<double>():F5}"));
    }

    /// <summary>Compiles with Adam, trains on the bundled digits and prints the per-epoch and test accuracy.</summary>
    public double TrainOnDigits(Sequential model, int seed = 42)
    {
        var (x, y, testX, testY) = _digits ??= LoadDigits(seed);
        model.Compile("adam", "sparse_categorical_crossentropy", ["accuracy"]);
        model.Fit(x, y, epochs: Epochs, batchSize: 32, validationSplit: 0.2, seed: seed,
            onEpochEnd: e => Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {e.Epoch,2}/{e.Epochs}: loss {e.Logs["loss"]:F4}  val_accuracy {e.Logs["val_accuracy"]:F4}")));
        double accuracy = model.Evaluate(testX, testY)["accuracy"];
        Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {accuracy:F4}"));
        return accuracy;
    }

    /// <summary>Prints what to notice, set off from the numbers.</summary>
    public void Notice(string text) => Out.WriteLine($"Notice: {text}");

    private static (Tensor, Tensor, Tensor, Tensor) LoadDigits(int seed)
    {
        var (train, test) = Datasets.Digits().TrainTestSplit(0.2, seed);
        return (train.FeaturesTensor(), train.LabelsTensor(), test.FeaturesTensor(), test.LabelsTensor());
    }
}
