using WeightInit.Cli.Commands;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Saving;
using static WeightInit.Keras.Tests.Cli.CliRunner;
using static WeightInit.Keras.Tests.ModelFiles.ModelFileTestSupport;

namespace WeightInit.Keras.Tests.ModelFiles;

[TestOf(typeof(InitCommand))]
[NonParallelizable]
public class ModelCliTests
{
    private const int FanIn = 256, Units = 512;
    private const long Seed = 1234;

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = NewTempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Init_ConfigJsonSeed42_ArchiveKernelsEqualPythonSeeds()
    {
        string output = Path.Combine(_dir, "out.keras");

        int exit = Run("init", Fixture("seed_model.json"), "--seed", "42", "-o", output).ExitCode;
        var model = KerasFile.Load(output);

        // After set_random_seed(42) Python Keras gives the he_normal kernel seed 686579304 and the glorot_uniform
        // kernel seed 119540832 (parity goldens, `models` section).
        using var heNormal = new HeNormal(seed: 686579304).Call([64, 32]);
        using var glorot = new GlorotUniform(seed: 119540832).Call([32, 10]);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(Values(model.Weights[0]), Is.EqualTo(Values(heNormal)));
            Assert.That(Values(model.Weights[2]), Is.EqualTo(Values(glorot)));
        });
    }

    [Test]
    public void Init_FromKerasArchive_UsesItsConfigNotItsWeights()
    {
        string output = Path.Combine(_dir, "out.keras");

        int exit = Run("init", Fixture("python_flatten.keras"), "-o", output).ExitCode;
        var model = KerasFile.Load(output);

        // The fixture's Dense has kernel_initializer RandomNormal(seed=7): re-initialized, not the stored ramp.
        using var expected = new RandomNormal(0.0, 0.05, seed: 7).Call([6, 2]);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(Values(model.Weights[0]), Is.EqualTo(Values(expected)));
        });
    }

    [Test]
    public void Init_UnknownLayerType_ExitCode2AndNoOutput()
    {
        string config = Path.Combine(_dir, "c.json");
        File.WriteAllText(config, File.ReadAllText(Fixture("seed_model.json")).Replace("\"Dense\"", "\"Conv2D\"", StringComparison.Ordinal));
        string output = Path.Combine(_dir, "out.keras");

        int exit = Run("init", config, "-o", output).ExitCode;

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(File.Exists(output), Is.False);
        });
    }

    [Test]
    public void Inspect_PythonArchive_ExitsZero()
    {
        Assert.That(Run("inspect", Fixture("python_dense_dropout.keras")).ExitCode, Is.Zero);
    }

    [Test]
    public void Inspect_CorruptFile_ExitCode2()
    {
        Assert.That(Run("inspect", Fixture("bad_shape.keras")).ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Rows_PythonArchive_StatisticsOfEveryWeightAndFitsForKernels()
    {
        var rows = InspectCommand.Rows(KerasFile.Load(Fixture("python_dense_dropout.keras")));
        // The fixture kernel (8, 4) holds k / 64 - 0.5 for k = 0..31: mean (31 / 2) / 64 - 0.5, min -0.5.
        var kernel = rows[0];

        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => (r.Layer, r.Weight)), Is.EqualTo(new[] { ("dense", "kernel"), ("dense", "bias"), ("dense_1", "kernel"), ("dense_1", "bias") }));
            Assert.That(kernel.Stats.Mean, Is.EqualTo(15.5 / 64 - 0.5).Within(1e-12));
            Assert.That(kernel.Stats.Min, Is.EqualTo(-0.5));
            Assert.That(kernel.Fit, Is.Not.Null);
            Assert.That(rows[1].Fit, Is.Null);
        });
    }

    private static IEnumerable<TestCaseData> KnownKernels()
    {
        yield return new TestCaseData("he_normal", (Func<Initializer>)(() => new HeNormal(seed: Seed)));
        yield return new TestCaseData("glorot_uniform", (Func<Initializer>)(() => new GlorotUniform(seed: Seed)));
        yield return new TestCaseData("he_uniform", (Func<Initializer>)(() => new HeUniform(seed: Seed)));
        yield return new TestCaseData("lecun_normal", (Func<Initializer>)(() => new LecunNormal(seed: Seed)));
        yield return new TestCaseData("random_normal", (Func<Initializer>)(() => new RandomNormal(seed: Seed)));
        yield return new TestCaseData("orthogonal", (Func<Initializer>)(() => new Orthogonal(seed: Seed)));
    }

    [TestCaseSource(nameof(KnownKernels))]
    public void KernelFit_KerasKernel256x512_NamesItsInitializerAsConsistent(string expected, Func<Initializer> create)
    {
        using var kernel = create().Call([FanIn, Units]);
        var fit = KernelFit.Best(Values(kernel), [FanIn, Units]);

        Assert.Multiple(() =>
        {
            Assert.That(fit!.Initializer, Is.EqualTo(expected), $"seed={Seed}");
            Assert.That(fit.Consistent, Is.True, $"std ratio {fit.StdRatio}, seed={Seed}");
        });
    }

    [Test]
    public void KernelFit_HeNormalScaledBy1point2_NotConsistent()
    {
        // The std's relative SE is ½·√((2 − 0.634)/131 072) ≈ 0.0026, so a 20% scale error is ~80 SE away.
        using var kernel = new HeNormal(seed: Seed).Call([FanIn, Units]);
        using var scaled = kernel.mul(1.2);
        var fit = KernelFit.Best(Values(scaled), [FanIn, Units]);

        Assert.Multiple(() =>
        {
            Assert.That(fit!.StdRatio, Is.EqualTo(1.2).Within(0.02));
            Assert.That(fit.Consistent, Is.False);
        });
    }

    [Test]
    public void KernelFit_UniformWithHeNormalStd_NotCalledHeNormal()
    {
        // Same std as he_normal but uniform: the kurtosis (−1.2 vs −0.634, SE √(24/n) ≈ 0.0135) must pick the family.
        double limit = Math.Sqrt(3.0 * 2.0 / FanIn);
        using var kernel = new RandomUniform(-limit, limit, seed: Seed).Call([FanIn, Units]);
        var fit = KernelFit.Best(Values(kernel), [FanIn, Units]);

        Assert.Multiple(() =>
        {
            Assert.That(fit!.Family, Is.EqualTo("uniform"));
            Assert.That(fit.Initializer, Is.EqualTo("he_uniform"));
        });
    }
}
