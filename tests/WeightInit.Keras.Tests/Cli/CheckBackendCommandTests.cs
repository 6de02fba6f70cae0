using System.Text.Json.Nodes;
using WeightInit.Cli.Commands;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Random;
using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Cli;

/// <summary><c>weightinit check --backend</c>: whose draws are made and whose truncated normal is expected.</summary>
[TestOf(typeof(CheckCommand))]
[NonParallelizable]
public class CheckBackendCommandTests
{
    private const long Seed = 31;
    private const double StdDev = 0.05;
    private static readonly long[] Shape = [512, 256];
    private string _directory = "";

    [OneTimeSetUp]
    public void BindConsoles() => _ = WeightInit.Cli.Commands.Cli.Out;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("weightinit-check-backend-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static (int Exit, JsonNode Json) RunJson(params string[] args)
    {
        var (exit, stdout, _) = CliRunner.Run(["check", .. args, "--json"]);
        return (exit, JsonNode.Parse(stdout)!);
    }

    /// <summary>The JSON's measured min, max and mean: equal only when the values are the same.</summary>
    private static double[] Fingerprint(JsonNode measured) =>
        [measured["min"]!.GetValue<double>(), measured["max"]!.GetValue<double>(), measured["mean"]!.GetValue<double>()];

    private static double[] Fingerprint(Tensor values)
    {
        var m = TensorStatistics.Measure(values);
        return [m.Min, m.Max, m.Mean];
    }

    [Test]
    public void Name_TensorFlowBackend_PassesWithTheTensorFlowDraw()
    {
        var (exit, json) = RunJson("truncated_normal", "--shape", "512,256", "--seed", $"{Seed}", "--backend", "tensorflow");

        Assert.That(exit, Is.Zero, json.ToJsonString());
        Assert.That(json["backend"]!.GetValue<string>(), Is.EqualTo("tensorflow"));
        var result = json["results"]![0]!;
        Assert.That(result["expected"]!["outside_probability"]!.GetValue<double>(), Is.EqualTo(0.0));
        using var tensorflow = new TruncatedNormal(seed: Seed).Call(Shape, ScalarType.Float32, RandomBackend.TensorFlow);
        using var pytorch = new TruncatedNormal(seed: Seed).Call(Shape, ScalarType.Float32, RandomBackend.PyTorch);
        Assert.That(Fingerprint(result["measured"]!), Is.EqualTo(Fingerprint(tensorflow)));
        Assert.That(Fingerprint(result["measured"]!), Is.Not.EqualTo(Fingerprint(pytorch)));
        Assert.That(KerasBackendRandom.Current, Is.EqualTo(RandomBackend.PyTorch), "the command's backend does not leak");
    }

    [Test]
    public void Name_DefaultBackend_IsPyTorchWithTheTorchTail()
    {
        var (exit, json) = RunJson("truncated_normal", "--shape", "512,256", "--seed", $"{Seed}");

        Assert.That(exit, Is.Zero, json.ToJsonString());
        Assert.That(json["backend"]!.GetValue<string>(), Is.EqualTo("pytorch"));
        var result = json["results"]![0]!;
        Assert.That(result["expected"]!["outside_probability"]!.GetValue<double>(), Is.Positive);
        using var pytorch = new TruncatedNormal(seed: Seed).Call(Shape, ScalarType.Float32, RandomBackend.PyTorch);
        Assert.That(Fingerprint(result["measured"]!), Is.EqualTo(Fingerprint(pytorch)));
    }

    [Test]
    public void NoArguments_TensorFlowBackend_EveryBuiltInMatches()
    {
        var (exit, json) = RunJson("--backend", "tensorflow");

        Assert.That(exit, Is.Zero);
        Assert.That(json["passed"]!.GetValue<bool>(), Is.True);
        Assert.That(json["backend"]!.GetValue<string>(), Is.EqualTo("tensorflow"));
        var results = json["results"]!.AsArray();
        Assert.That(results, Has.Count.EqualTo(CheckCommand.MatrixInitializers.Count * CheckCommand.MatrixShapes.Count));
        var checkedRows = results.Where(r => r!["passed"] is not null).ToList();
        Assert.That(checkedRows.Select(r => r!["passed"]!.GetValue<bool>()), Is.All.True);
        var truncated = checkedRows.Where(r => r!["expected"]!["family"]!.GetValue<string>() == nameof(DistributionFamily.TruncatedNormal)).ToList();
        Assert.That(truncated, Is.Not.Empty);
        Assert.That(truncated.Select(r => r!["expected"]!["outside_probability"]!.GetValue<double>()), Is.All.EqualTo(0.0));
        // The matrix draws come from the TensorFlow backend too: he_normal on its first shape, seeded with the default seed.
        var heNormal = checkedRows.First(r => r!["initializer"]!.GetValue<string>() == "he_normal" && r["config"] is null);
        using var tensorflow = new HeNormal(seed: CheckCommand.DefaultSeed).Call(CheckCommand.MatrixShapes[0], ScalarType.Float32, RandomBackend.TensorFlow);
        Assert.That(Fingerprint(heNormal!["measured"]!), Is.EqualTo(Fingerprint(tensorflow)));
    }

    [TestCase("tensorflow", CheckCommand.Mismatch)]
    [TestCase("pytorch", 0)]
    public void File_TensorFlowDrawWithAValueAtTwoSigma_FailsOnlyOnTensorFlow(string backend, int exitCode)
    {
        string path = Path.Combine(_directory, "W.npy");
        using (var values = new TruncatedNormal(0.0, StdDev, Seed).Call(Shape, ScalarType.Float32, RandomBackend.TensorFlow))
        {
            values[3, 4] = tensor(2f * (float)StdDev);
            Npy.Write(path, values);
        }

        var (exit, json) = RunJson("--file", path, "--expect", "truncated_normal", "--config", $"{{\"stddev\": {StdDev}}}", "--backend", backend);

        Assert.That(exit, Is.EqualTo(exitCode), json.ToJsonString());
        Assert.That(json["backend"]!.GetValue<string>(), Is.EqualTo(backend));
        var range = json["results"]![0]!["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "range")!;
        Assert.That(range["passed"]!.GetValue<bool>(), Is.EqualTo(exitCode == 0));
        // On pytorch the bounds are inclusive, so 2σ counts as inside; on tensorflow it is the one value at or beyond.
        Assert.That(range["observed"]!.GetValue<double>(), Is.EqualTo(exitCode == 0 ? 0 : 1));
    }

    [Test]
    public void File_UntouchedTensorFlowDraw_PassesOnTensorFlow()
    {
        string path = Path.Combine(_directory, "W.npy");
        using (var values = new HeNormal(Seed).Call(Shape, ScalarType.Float32, RandomBackend.TensorFlow))
        {
            Npy.Write(path, values);
        }

        var (exit, json) = RunJson("--file", path, "--expect", "he_normal", "--backend", "tensorflow");

        Assert.That(exit, Is.Zero, json.ToJsonString());
        Assert.That(json["results"]![0]!["measured"]!["outside_count"]!.GetValue<long>(), Is.Zero);
    }

    [Test]
    public void Table_NamesTheBackend()
    {
        var (exit, stdout, _) = CliRunner.Run("check", "he_uniform", "--shape", "64,32", "--backend", "tensorflow");

        Assert.That(exit, Is.Zero);
        Assert.That(stdout.TrimEnd().Split('\n')[^1], Does.Contain("1 of 1 checked tensors match (backend tensorflow;"));
    }

    [Test]
    public void Help_ListsTheBackendOption()
    {
        var (exit, stdout, _) = CliRunner.Run("check", "--help");

        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Does.Contain("--backend <pytorch|tensorflow>"));
    }

    [Test]
    public void UnknownBackend_OneErrorLineAndExitCode2()
    {
        var (exit, stdout, error) = CliRunner.Run("check", "--backend", "jax");

        Assert.That(exit, Is.EqualTo(WeightInit.Cli.Commands.Cli.InputError));
        var errorLines = error.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal)).ToList();
        Assert.That(errorLines, Has.Count.EqualTo(1), error);
        Assert.That(errorLines[0], Does.Contain("'jax'").And.Contain("'pytorch'").And.Contain("'tensorflow'"));
        Assert.That(error, Does.Not.Contain("System."));
        Assert.That(stdout, Is.Empty, "nothing is checked");
    }
}
