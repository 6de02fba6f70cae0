using System.Text.Json.Nodes;
using WeightInit.Cli.Commands;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Tests.Cli;

namespace WeightInit.Keras.Tests.Validation;

/// <summary><c>weightinit check</c> through the real command line: exit codes 0 (match), 1 (mismatch), 2 (usage or file error).</summary>
[TestOf(typeof(CheckCommand))]
[NonParallelizable]
public class CheckCommandTests
{
    private const long Seed = 77;
    private string _directory = "";
    private string _kernel = "";

    [OneTimeSetUp]
    public void BindConsoles() => _ = WeightInit.Cli.Commands.Cli.Out;

    [SetUp]
    public void WriteKernel()
    {
        _directory = Directory.CreateTempSubdirectory("weightinit-cli-").FullName;
        _kernel = Path.Combine(_directory, "W.npy");
        using var kernel = new HeNormal(Seed).Call([512, 256]);
        Npy.Write(_kernel, kernel);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, string Stdout) Run(params string[] args)
    {
        var (exit, stdout, _) = CliRunner.Run(["check", .. args]);
        return (exit, stdout);
    }

    [Test]
    public void File_MatchingExpectation_ExitsZeroWithJsonVerdict()
    {
        var (exit, stdout) = Run("--file", _kernel, "--expect", "he_normal", "--json");

        Assert.That(exit, Is.Zero);
        var json = JsonNode.Parse(stdout)!;
        Assert.That(json["passed"]!.GetValue<bool>(), Is.True);
        var result = json["results"]![0]!;
        Assert.That(result["expected"]!["fan_in"]!.GetValue<long>(), Is.EqualTo(512));
        Assert.That(result["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "mean", "variance", "ks", "range" }));
    }

    [Test]
    public void File_SwappedFans_ExitsOneSayingWhichCheckFailedAndByHowMuch()
    {
        var (exit, stdout) = Run("--file", _kernel, "--expect", "he_normal", "--fan-in", "256", "--fan-out", "512", "--json");

        Assert.That(exit, Is.EqualTo(CheckCommand.Mismatch));
        var failed = JsonNode.Parse(stdout)!["results"]![0]!["checks"]!.AsArray().Where(c => !c!["passed"]!.GetValue<bool>()).ToList();
        Assert.That(failed.Select(c => c!["name"]!.GetValue<string>()), Does.Contain("variance"));
        var variance = failed.Single(c => c!["name"]!.GetValue<string>() == "variance")!;
        // Expected 2/256, measured ≈ 2/512: about −50%.
        Assert.That(variance["detail"]!.GetValue<string>(), Does.Contain("-50."));
        Assert.That(variance["observed"]!.GetValue<double>() / variance["expected"]!.GetValue<double>(), Is.EqualTo(0.5).Within(0.01));
    }

    [Test]
    public void File_WrongFamily_ExitsOne()
    {
        var (exit, _) = Run("--file", _kernel, "--expect", "he_uniform");

        Assert.That(exit, Is.EqualTo(CheckCommand.Mismatch));
    }

    [TestCase("--file", "missing.npy", "--expect", "he_normal")]
    [TestCase("--file", "W.npy")]
    [TestCase("--file", "W.npy", "--expect", "he_normall")]
    [TestCase("--file", "W.npy", "--expect", "he_normal", "--fan-in", "3")]
    [TestCase("--file", "W.npy", "--expect", "random_normal", "--fan-in", "3", "--fan-out", "4")]
    [TestCase("--file", "W.npy", "--expect", "random_normal", "--config", "{\"stdev\": 0.1}")]
    [TestCase("he_normal", "--shape", "512,-3")]
    [TestCase("he_normal", "--alpha", "0")]
    [TestCase("--expect", "he_normal")]
    public void UsageOrFileError_ExitsTwo(params string[] args)
    {
        string[] resolved = [.. args.Select(a => a.EndsWith(".npy", StringComparison.Ordinal) ? Path.Combine(_directory, a) : a)];

        var (exit, _) = Run(resolved);

        Assert.That(exit, Is.EqualTo(WeightInit.Cli.Commands.Cli.InputError));
    }

    [Test]
    public void File_NotNpy_ExitsTwo()
    {
        string bad = Path.Combine(_directory, "bad.npy");
        File.WriteAllText(bad, "not numpy");

        var (exit, _) = Run("--file", bad, "--expect", "he_normal");

        Assert.That(exit, Is.EqualTo(WeightInit.Cli.Commands.Cli.InputError));
    }

    [Test]
    public void Name_WithConfigAndShape_DrawsAndPasses()
    {
        var (exit, stdout) = Run("random_normal", "--config", "{\"mean\": 1.0, \"stddev\": 0.1}", "--shape", "300,200", "--json");

        Assert.That(exit, Is.Zero);
        var expected = JsonNode.Parse(stdout)!["results"]![0]!["expected"]!;
        Assert.That(expected["mean"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(expected["std"]!.GetValue<double>(), Is.EqualTo(0.1).Within(1e-15));
    }

    [Test]
    public void Name_WithoutShape_ChecksEveryShapeOfTheMatrix()
    {
        var (exit, stdout) = Run("orthogonal", "--json");

        Assert.That(exit, Is.Zero);
        var results = JsonNode.Parse(stdout)!["results"]!.AsArray();
        Assert.That(results, Has.Count.EqualTo(CheckCommand.MatrixShapes.Count));
        // Rank 1 is not applicable to Orthogonal (as in Keras), and is reported as skipped rather than failed.
        Assert.That(results.Count(r => r!["skipped"] is not null), Is.EqualTo(1));
    }

    [Test]
    public void Matrix_CoversEveryBuiltInClass()
    {
        var classes = CheckCommand.MatrixInitializers.Select(i => KerasInitializers.Get(i.Name).ClassName).ToHashSet();
        var builtIns = CheckCommand.BuiltInClasses().Select(p => p.Class).ToHashSet();

        Assert.That(classes, Is.EquivalentTo(builtIns));
    }

    [Test]
    public void Plot_WritesOnePngPerInitializer()
    {
        string plots = Path.Combine(_directory, "plots");

        var (exit, _) = Run("--file", _kernel, "--expect", "he_normal", "--plot", plots);

        Assert.That(exit, Is.Zero);
        string png = Path.Combine(plots, "W.png");
        Assert.That(File.Exists(png), Is.True);
        Assert.That(File.ReadAllBytes(png).Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        Assert.That(Directory.GetFiles(plots), Has.Length.EqualTo(1), "no temporary file left behind");
    }
}
