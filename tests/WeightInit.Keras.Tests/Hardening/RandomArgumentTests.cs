using System.IO.Compression;
using System.Text.Json.Nodes;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Models;
using WeightInit.Keras.Random;
using WeightInit.Keras.Saving;

namespace WeightInit.Keras.Tests.Hardening;

/// <summary>
/// RandomNormal, TruncatedNormal and RandomUniform reject non-finite arguments and a negative stddev at construction,
/// and every reading path (config, JSON, model config, .keras file) reports them as its usual error type.
/// </summary>
[TestOf(typeof(RandomInitializer))]
[NonParallelizable]
public class RandomArgumentTests
{
    private const int Seed = 1234;
    private const long GlobalSeed = 7;

    private static IEnumerable<TestCaseData> BadArguments()
    {
        foreach (var (name, make) in new (string, Func<double, double, Initializer>)[]
        {
            (nameof(RandomNormal), (m, s) => new RandomNormal(m, s, Seed)),
            (nameof(TruncatedNormal), (m, s) => new TruncatedNormal(m, s, Seed)),
        })
        {
            yield return new TestCaseData(() => make(0, -1), "stddev", "a finite number >= 0", "-1").SetName($"{name}_NegativeStdDev");
            yield return new TestCaseData(() => make(0, double.PositiveInfinity), "stddev", "a finite number >= 0", "Infinity").SetName($"{name}_InfiniteStdDev");
            yield return new TestCaseData(() => make(0, double.NaN), "stddev", "a finite number >= 0", "NaN").SetName($"{name}_NaNStdDev");
            yield return new TestCaseData(() => make(double.NegativeInfinity, 1), "mean", "a finite number", "-Infinity").SetName($"{name}_InfiniteMean");
            yield return new TestCaseData(() => make(double.NaN, 1), "mean", "a finite number", "NaN").SetName($"{name}_NaNMean");
        }
        yield return new TestCaseData(() => new RandomUniform(double.NegativeInfinity, 1, Seed), "minval", "a finite number", "-Infinity").SetName("RandomUniform_InfiniteMinVal");
        yield return new TestCaseData(() => new RandomUniform(0, double.NaN, Seed), "maxval", "a finite number", "NaN").SetName("RandomUniform_NaNMaxVal");
        yield return new TestCaseData(() => new RandomUniform(0, double.PositiveInfinity, Seed), "maxval", "a finite number", "Infinity").SetName("RandomUniform_InfiniteMaxVal");
    }

    [TestCaseSource(nameof(BadArguments))]
    public void Constructor_BadArgument_ThrowsNamingArgumentRuleAndValue(Func<Initializer> make, string argument, string rule, string shown)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => make());

        Assert.That(e!.ParamName, Is.EqualTo(argument));
        Assert.That(e.Message, Does.StartWith($"Argument `{argument}` must be {rule}; received {argument}={shown}."));
    }

    [Test]
    public void Constructor_ZeroStdDevAndEqualBounds_AreAllowed()
    {
        using var normal = new RandomNormal(2.5, 0, Seed).Call([3]);
        using var truncated = new TruncatedNormal(-1, 0, Seed).Call([3]);
        using var uniform = new RandomUniform(0.5, 0.5, Seed).Call([3]);

        Assert.That(normal.data<float>().ToArray(), Is.All.EqualTo(2.5f));
        Assert.That(truncated.data<float>().ToArray(), Is.All.EqualTo(-1f));
        Assert.That(uniform.data<float>().ToArray(), Is.All.EqualTo(0.5f));
    }

    [Test]
    public void Constructor_Rejected_DrawsNoSeed()
    {
        KerasRandom.SetRandomSeed(GlobalSeed);
        long expected = KerasRandom.MakeDefaultSeed();
        KerasRandom.SetRandomSeed(GlobalSeed);

        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomNormal(stddev: -1));

        Assert.That(KerasRandom.MakeDefaultSeed(), Is.EqualTo(expected), "the failed construction must not consume a draw");
    }

    [TestCase("RandomNormal", """{"stddev": -1}""", "stddev", "-1")]
    [TestCase("truncated_normal", """{"stddev": 1e400}""", "stddev", "Infinity")]
    [TestCase("normal", """{"mean": -1e400, "seed": 3}""", "mean", "-Infinity")]
    [TestCase("uniform", """{"maxval": 1e400}""", "maxval", "Infinity")]
    public void FromConfig_BadValue_IsArgumentException(string className, string config, string argument, string shown)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => KerasInitializers.FromConfig(className, JsonNode.Parse(config)!.AsObject()));

        Assert.That(e!.ParamName, Is.EqualTo(argument));
        Assert.That(e.Message, Does.Contain($"received {argument}={shown}."));
    }

    [Test]
    public void Deserialize_BadStdDev_IsArgumentException()
    {
        var e = Assert.Catch<ArgumentException>(() => KerasInitializers.Deserialize(
            """{"module": "keras.initializers", "class_name": "RandomNormal", "config": {"seed": 1, "mean": 0.0, "stddev": -0.5}, "registered_name": null}"""));

        Assert.That(e!.ParamName, Is.EqualTo("stddev"));
        Assert.That(e.Message, Does.StartWith("Argument `stddev` must be a finite number >= 0; received stddev=-0.5."));
    }

    [Test]
    public void ModelConfig_BadInitializer_IsInvalidDataExceptionWithLayerAndKey()
    {
        string json = ModelConfig.ToJson(SmallModel()).Replace("\"minval\": -0.05", "\"minval\": -1e400", StringComparison.Ordinal);
        Assert.That(json, Does.Contain("-1e400"), "the test edits the bias initializer's minval");

        var e = Assert.Throws<InvalidDataException>(() => ModelConfig.FromJson(json));

        Assert.That(e!.Message, Does.StartWith("Keras config: "));
        Assert.That(e.Message, Does.Contain("(Dense): `bias_initializer`: Argument `minval` must be a finite number; received minval=-Infinity."));
        Assert.That(e.InnerException, Is.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void KerasFile_BadInitializer_IsInvalidDataExceptionNamingTheFile()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"weightinit-hardening-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "bad.keras");
            SmallModel().Save(path);
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = zip.GetEntry("config.json")!;
                string config;
                using (var reader = new StreamReader(entry.Open()))
                {
                    config = reader.ReadToEnd();
                }
                entry.Delete();
                using var writer = new StreamWriter(zip.CreateEntry("config.json").Open());
                writer.Write(config.Replace("\"maxval\": 0.05", "\"maxval\": 1e400", StringComparison.Ordinal));
            }

            var e = Assert.Throws<InvalidDataException>(() => KerasFile.Load(path));

            Assert.That(e!.Message, Does.StartWith($"{path} (config.json): Keras config: "));
            Assert.That(e.Message, Does.Contain("Argument `maxval` must be a finite number; received maxval=Infinity."));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Sequential SmallModel() => new(
        new InputLayer(3),
        new Dense(2, null, true, new GlorotUniform(seed: 1), new RandomUniform(seed: 2)));
}
