using System.Text.Json.Nodes;
using WeightInit.Cli;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using static WeightInit.Keras.Tests.Cli.CliRunner;

namespace WeightInit.Keras.Tests.Cli;

// Redirects the process-wide Console, so these tests must not run alongside others.
[NonParallelizable]
[TestOf(typeof(WeightInitCli))]
public class ListAndSampleCommandTests
{
    private const int Seed = 42;

    // 5 standard errors (STYLE.md §5); a truncated normal has excess kurtosis -0.634.
    private const double Z = 5.0;
    private const double TruncatedNormalKurtosis = -0.634;

    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"cli-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void List_ShowsEveryClassWithNamesDefaultsAndFormula()
    {
        var (code, output, _) = Run("list");

        Assert.That(code, Is.EqualTo(0));
        foreach (var info in KerasInitializers.Catalog)
        {
            Assert.That(output, Does.Contain($"{info.ClassName}\n  names:    {string.Join(", ", info.Names)}\n  defaults: {info.DefaultsJson}\n  formula:  {info.Formula}\n"));
        }
        Assert.That(output, Does.Contain("  names:    RandomNormal, random_normal, normal\n  defaults: {\"seed\": null, \"mean\": 0.0, \"stddev\": 0.05}"));
    }

    [Test]
    public void ListJson_IsAnArrayOfSixteenClasses()
    {
        var (code, output, _) = Run("list", "--json");

        var array = JsonNode.Parse(output)!.AsArray();
        Assert.That(code, Is.EqualTo(0));
        Assert.That(array, Has.Count.EqualTo(16));
        var orthogonal = array.Single(e => e!["class_name"]!.GetValue<string>() == "Orthogonal")!;
        Assert.That(orthogonal["names"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "Orthogonal", "orthogonal", "OrthogonalInitializer" }));
        Assert.That(orthogonal["defaults"]!["gain"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(orthogonal["random"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void Sample_HeNormalSeeded_PrintsFansAndStatistics()
    {
        var (code, output, _) = Run("sample", "he_normal", "--shape", "784,256", "--seed", $"{Seed}");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.StartWith(
            "initializer  {\"module\": \"keras.initializers\", \"class_name\": \"HeNormal\", \"config\": {\"seed\": 42, \"input_axes\": null, \"output_axes\": null}, \"registered_name\": null}\n" +
            "seed         42\nshape        (784, 256)\ndtype        float32\nbackend      pytorch\nfan_in       784\nfan_out      256\n"));
        Assert.That(output, Does.Contain("std               0.0505076"));
    }

    [Test]
    public void SampleJson_MeasuredStdWithinStandardErrors()
    {
        var (code, output, _) = Run("sample", "he_normal", "--shape", "784,256", "--seed", $"{Seed}", "--json");

        var result = JsonNode.Parse(output)!;
        double expected = Math.Sqrt(2.0 / 784);
        const int N = 784 * 256;
        // Relative SE of a sample std: ½·√((2 + κ)/n).
        double tolerance = Z * expected * 0.5 * Math.Sqrt((2 + TruncatedNormalKurtosis) / N);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(result["fan_in"]!.GetValue<long>(), Is.EqualTo(784));
        Assert.That(result["fan_out"]!.GetValue<long>(), Is.EqualTo(256));
        Assert.That(result["seed"]!.GetValue<long>(), Is.EqualTo(Seed));
        Assert.That(result["seed_drawn"]!.GetValue<bool>(), Is.False);
        Assert.That(result["expected"]!["std"]!.GetValue<double>(), Is.EqualTo(expected).Within(1e-15));
        Assert.That(result["measured"]!["std"]!.GetValue<double>(), Is.EqualTo(expected).Within(tolerance), $"seed={Seed}, n={N}, z={Z}");
    }

    [Test]
    public void SampleOut_WritesNpyEqualToKerasSeededCall()
    {
        string path = Path.Combine(_directory, "W.npy");

        var (code, output, _) = Run("sample", "glorot_uniform", "--shape", "64,10", "--seed", $"{Seed}", "--out", path);

        using var written = Npy.Read(path);
        using var expected = new GlorotUniform(Seed).Call([64, 10]);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain($"wrote        {path}"));
        Assert.That(written.shape, Is.EqualTo(new long[] { 64, 10 }));
        Assert.That(written.data<float>().ToArray(), Is.EqualTo(expected.data<float>().ToArray()));
    }

    [Test]
    public void Sample_WithoutSeed_PrintsDrawnSeedThatReproduces()
    {
        string first = Path.Combine(_directory, "a.npy");
        string second = Path.Combine(_directory, "b.npy");

        var (_, output, _) = Run("sample", "random_normal", "--shape", "50", "--out", first);
        string seedLine = output.Split('\n').Single(l => l.StartsWith("seed ", StringComparison.Ordinal));
        string seed = seedLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Run("sample", "random_normal", "--shape", "50", "--seed", seed, "--out", second);

        Assert.That(seedLine, Does.Contain($"(drawn as Keras draws an unseeded initializer's seed; --seed {seed} gives these values again)"));
        Assert.That(long.Parse(seed, System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 1_000_000_000));
        using var a = Npy.Read(first);
        using var b = Npy.Read(second);
        Assert.That(b.data<float>().ToArray(), Is.EqualTo(a.data<float>().ToArray()));
    }

    [Test]
    public void Sample_ConfigDtypeAndScalarShape()
    {
        string path = Path.Combine(_directory, "c.npy");

        var (code, output, _) = Run("sample", "constant", "--config", "{\"value\": 0.1}", "--shape", "", "--dtype", "bfloat16", "--out", path);

        using var written = Npy.Read(path);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("shape        ()\ndtype        bfloat16\n"));
        Assert.That(written.dtype, Is.EqualTo(ScalarType.Float32), "bfloat16 is widened to float32");
        Assert.That(written.shape, Is.Empty);
        Assert.That(written.item<float>(), Is.EqualTo(0.10009765625f), "0.1 rounded to bfloat16");
    }

    [TestCase(new[] { "sample", "henormal", "--shape", "2,2" }, "Did you mean 'HeNormal'?")]
    [TestCase(new[] { "sample", "zeros", "--shape", "2", "--seed", "1" }, "--seed: Zeros is not random and takes no seed")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "2,x" }, "'x' is not an integer")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "2,-3" }, "shape=(2, -3)")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "2,2", "--dtype", "int32" }, "HeNormal supports only floating dtypes")]
    [TestCase(new[] { "sample", "he_normal", "--shape", "2,2", "--dtype", "float8" }, "Unknown dtype 'float8'")]
    [TestCase(new[] { "sample", "normal", "--shape", "2", "--config", "{\"stddev\": 1", }, "--config is not valid JSON")]
    [TestCase(new[] { "sample", "normal", "--shape", "2", "--config", "{\"sigma\": 1}" }, "unknown config key(s) sigma")]
    [TestCase(new[] { "sample", "normal", "--shape", "2", "--seed", "1", "--config", "{\"seed\": 2}" }, "Give the seed once")]
    [TestCase(new[] { "sample", "orthogonal", "--shape", "5", "--seed", "1" }, "at least two-dimensional")]
    public void Sample_BadInput_ExitCode2WithMessage(string[] args, string expected)
    {
        var (code, output, error) = Run(args);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("weightinit: error: "));
        Assert.That(error, Does.Contain(expected));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void SampleOut_BadInput_WritesNoFile()
    {
        string path = Path.Combine(_directory, "none.npy");

        var (code, _, _) = Run("sample", "identity", "--shape", "2,2,2", "--out", path);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(Directory.GetFileSystemEntries(_directory), Is.Empty);
    }
}
