using System.Text.Json;
using WeightInit.Cli;
using WeightInit.Cli.Commands;

namespace WeightInit.Keras.Tests;

[TestOf(typeof(PropagateCommand))]
[NonParallelizable]
public class PropagateCommandTests
{
    private string _outDir = "";

    [SetUp]
    public void CreateOutDir() => _outDir = Path.Combine(Path.GetTempPath(), "weightinit-propagate-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOutDir()
    {
        if (Directory.Exists(_outDir))
        {
            Directory.Delete(_outDir, recursive: true);
        }
    }

    [Test]
    public void Propagate_SmallNetwork_WritesPngAndJsonWithEverySeries()
    {
        // Width 32 and depth 30: the ones network passes float32's range at about layer 26 (see SignalPropagationTests).
        int exitCode = Invoke("propagate", "--depth", "30", "--width", "32", "--batch", "16", "--seed", "7",
            "--initializers", "he_normal,zeros,ones", "--out", _outDir);

        Assert.That(exitCode, Is.Zero);
        byte[] png = File.ReadAllBytes(Path.Combine(_outDir, "propagate.png"));
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_outDir, "propagate.json")));
        var options = json.RootElement.GetProperty("options");
        Assert.That(options.GetProperty("depth").GetInt32(), Is.EqualTo(30));
        Assert.That(options.GetProperty("input_features").GetInt32(), Is.EqualTo(32));
        Assert.That(options.GetProperty("input").GetString(), Is.EqualTo("standard normal"));
        var results = json.RootElement.GetProperty("results");
        Assert.That(results.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "he_normal", "zeros", "ones" }));
        foreach (var series in new[] { "layer", "activation_mean", "activation_std", "input_gradient_std", "kernel_gradient_std" })
        {
            Assert.That(results.GetProperty("he_normal").GetProperty(series).GetArrayLength(), Is.EqualTo(30), series);
        }
        Assert.That(results.GetProperty("he_normal").GetProperty("activation_std").EnumerateArray().Select(v => v.GetDouble()),
            Is.All.InRange(0.1, 10.0), "He keeps the spread of order 1");
        Assert.That(results.GetProperty("zeros").GetProperty("activation_std").EnumerateArray().Select(v => v.GetDouble()), Is.All.Zero);
        var ones = results.GetProperty("ones");
        int overflow = ones.GetProperty("first_non_finite_activation_layer").GetInt32();
        Assert.That(overflow, Is.InRange(2, 30));
        // Cli.Json writes non-finite numbers as the strings "Infinity" and "NaN", which it also reads back.
        var lastStd = ones.GetProperty("activation_std")[29];
        Assert.That(lastStd.ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(lastStd.Deserialize<double>(WeightInit.Cli.Commands.Cli.Json), Is.EqualTo(double.PositiveInfinity));
        Assert.That(results.GetProperty("he_normal").GetProperty("first_non_finite_activation_layer").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void Propagate_Dataset_UsesItsRowsAndFeatureCount()
    {
        int exitCode = Invoke("propagate", "--dataset", "breast-cancer", "--depth", "3", "--width", "8", "--batch", "64",
            "--initializers", "he_uniform", "--out", _outDir);

        Assert.That(exitCode, Is.Zero);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_outDir, "propagate.json")));
        Assert.That(json.RootElement.GetProperty("options").GetProperty("input_features").GetInt32(), Is.EqualTo(30));
        var he = json.RootElement.GetProperty("results").GetProperty("he_uniform");
        Assert.That(he.GetProperty("layer").EnumerateArray().Select(v => v.GetInt32()), Is.EqualTo(new[] { 1, 2, 3 }));
        // The rows are standardized with the training part's moments, so the batch is centred with a spread near 1.
        Assert.That(he.GetProperty("input_std").GetDouble(), Is.InRange(0.5, 1.5));
    }

    [TestCase("--activation", "softmax", "softmax")]
    [TestCase("--depth", "0", "--depth must be a positive integer")]
    [TestCase("--initializers", "he_normal,he_normal", "more than once")]
    [TestCase("--initializers", "glorot_unifrom", "Did you mean 'glorot_uniform'")]
    [TestCase("--dataset", "no-such-set", "Unknown dataset 'no-such-set'")]
    public void Propagate_BadOption_ExitsWithInputErrorAndWritesNothing(string option, string value, string message)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int exitCode;
        try
        {
            var args = new Dictionary<string, string> { ["--depth"] = "2", ["--width"] = "4", ["--batch"] = "8", ["--out"] = _outDir };
            args[option] = value;
            exitCode = Invoke(["propagate", .. args.SelectMany(a => new[] { a.Key, a.Value })]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.That(exitCode, Is.EqualTo(WeightInit.Cli.Commands.Cli.InputError));
        Assert.That(error.ToString(), Does.Contain(message));
        Assert.That(Directory.Exists(_outDir), Is.False);
    }

    [TestCase(4, new[] { 1, 2, 3, 4 })]
    [TestCase(6, new[] { 1, 2, 3, 4, 5, 6 })]
    [TestCase(7, new[] { 1, 2, 4, 6, 7 })]
    [TestCase(50, new[] { 1, 10, 20, 30, 40, 50 })]
    public void ShownLayers_Depth_FirstLastAndEvenlySpaced(int depth, int[] expected) =>
        Assert.That(PropagateCommand.ShownLayers(depth), Is.EqualTo(expected));

    [TestCase(double.NaN, "NaN")]
    [TestCase(double.PositiveInfinity, "inf")]
    [TestCase(0.0, "0")]
    [TestCase(0.000123456, "0.000123")]
    [TestCase(1.5e-20, "1.5E-20")]
    public void Format_Value_ThreeSignificantDigitsOrName(double value, string expected) =>
        Assert.That(PropagateCommand.Format(value), Is.EqualTo(expected));

    [TestCase(0.0, "1")]
    [TestCase(-1.0, "0.1")]
    [TestCase(-0.9, "0.126")]
    [TestCase(2.0, "100")]
    [TestCase(-25.0, "1e-25")]
    [TestCase(12.5, "3.2e12")]
    [TestCase(3.999, "1e4")]
    public void PowerOfTenLabel_Exponent_LabelsTheValue(double exponent, string expected) =>
        Assert.That(PropagateCommand.PowerOfTenLabel(exponent), Is.EqualTo(expected));

    private static int Invoke(params string[] args) => WeightInitCli.Run(args);
}
