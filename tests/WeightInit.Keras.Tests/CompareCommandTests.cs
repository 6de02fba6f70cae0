using System.Text.Json;
using static WeightInit.Keras.Tests.Cli.CliRunner;

namespace WeightInit.Keras.Tests;

/// <summary>Runs <c>weightinit compare</c> in-process; console redirection means these tests must not run in parallel.</summary>
[NonParallelizable]
public class CompareCommandTests
{
    private string _out = "";

    [SetUp]
    public void CreateOutputDirectory() => _out = Directory.CreateTempSubdirectory("weightinit-compare-").FullName;

    [TearDown]
    public void RemoveOutputDirectory() => Directory.Delete(_out, recursive: true);

    [Test]
    public void Compare_TwoEpochs_WritesPngAndJson()
    {
        var (code, stdout, _) = Run("compare", "--epochs", "2", "--initializers", "he_normal,zeros", "--out", _out);
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("he_normal").And.Contain("zeros").And.Contain("test accuracy"));
        byte[] png = File.ReadAllBytes(Path.Combine(_out, "compare.png"));
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "compare.json")));
        var results = json.RootElement.GetProperty("results");
        Assert.That(results.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "he_normal", "zeros" }));
        var he = results.GetProperty("he_normal");
        Assert.That(he.GetProperty("history").GetProperty("val_accuracy").GetArrayLength(), Is.EqualTo(2));
        Assert.That(he.GetProperty("test_accuracy").GetDouble(), Is.GreaterThan(0.5));
        // zeros: every hidden unit is identical and gets zero gradient; the head only learns class priors.
        Assert.That(results.GetProperty("zeros").GetProperty("test_accuracy").GetDouble(), Is.LessThan(0.2));
        Assert.That(Directory.GetFiles(_out).Select(Path.GetFileName), Is.EquivalentTo(new[] { "compare.png", "compare.json" }), "no temporary files left");
    }

    [TestCase("--initializers", "he_normal,henormal", "'henormal'")]
    [TestCase("--epochs", "0", "epochs must be a positive integer")]
    [TestCase("--batch-size", "-3", "batch size must be a positive integer")]
    [TestCase("--learning-rate", "0", "learning rate must be a positive finite number")]
    [TestCase("--dataset", "/nonexistent/file.csv", "/nonexistent/file.csv")]
    [TestCase("--dataset", "mnist", "Unknown dataset 'mnist'")]
    public void Compare_BadInput_OneLineErrorAndExitCode2(string option, string value, string message)
    {
        var (code, _, stderr) = Run("compare", option, value, "--out", _out);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
        Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.GetFiles(_out), Is.Empty);
    }
}
