using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests.Parity;

/// <summary>
/// The "simpler" sampling code a port is tempted to write (what <c>torch.nn.init</c> does) gives other bits than
/// Keras's torch backend. Each test shows a shortcut missing a golden case that the library itself meets, so
/// nobody simplifies the engine calls back.
/// </summary>
[TestOf(typeof(TorchBackend))]
[NonParallelizable]
public class ShortcutTests
{
    private static GoldenTensor Case(string initializer, long seed) =>
        Golden.Cases.Single(c => c.Initializer == initializer && c.Seed == seed);

    private static Generator SeededGenerator(GoldenTensor c)
    {
        var generator = new Generator(0, CPU);
        generator.manual_seed((long)Seed.Of(c.Seed).NextTorchSeed());
        return generator;
    }

    [Test]
    public void RandnTimesStdPlusMean_FewerThan16Elements_MissesGolden()
    {
        // Below 16 elements ATen's normal_ runs Box-Muller in double and rounds once; randn rounds, then the
        // scaling rounds again.
        var c = Case("random_normal", 1);
        using var generator = SeededGenerator(c);
        using var standard = randn(c.Shape, ScalarType.Float32, generator: generator);
        using var scaled = standard.mul(Golden.ConfigValue(c.Config, "stddev", 0.05));
        using var shortcut = scaled.add(Golden.ConfigValue(c.Config, "mean", 0.0));
        using var library = Golden.Sample(c);

        Assert.Multiple(() =>
        {
            Assert.That(Golden.Sha256(library), Is.EqualTo(c.Sha256Le), $"control: the library meets {c.Label}");
            Assert.That(Golden.Sha256(shortcut), Is.Not.EqualTo(c.Sha256Le), $"randn*std+mean on {c.Label}");
            Assert.That(Golden.Widen(shortcut), Is.Not.EqualTo(c.Values), $"randn*std+mean on {c.Label}");
        });
    }

    [Test]
    public void RandnTimesStdPlusMean_NonZeroMean_DiffersFromEngineNormal()
    {
        // ATen's normal_ on 16 or more float32 elements computes x·std + mean in one fused step; randn·std + mean
        // rounds twice. The golden non-zero-mean case (mean 0.5, stddev 2) cannot show this, since x·2 is exact, so
        // this compares with the engine call itself on a std that is not a power of two. The fused step is ATen's AVX2
        // kernel; CPUs without AVX2 take a scalar path, where parity is not claimed (docs/parity.md).
        Assume.That(System.Runtime.Intrinsics.X86.Avx2.IsSupported, "ATen's AVX2 normal kernel needs an AVX2 CPU");
        const long EngineSeed = 2024;
        const double Mean = 0.5, StdDev = 0.3;
        const int Count = 1000;
        using var library = TorchBackend.Normal([Count], Mean, StdDev, ScalarType.Float32, EngineSeed);
        using var generator = new Generator(EngineSeed, CPU);
        using var standard = randn([Count], ScalarType.Float32, generator: generator);
        using var scaled = standard.mul(StdDev);
        using var shortcut = scaled.add(Mean);

        int differing = Golden.Widen(library).Zip(Golden.Widen(shortcut)).Count(p => p.First != p.Second);
        Assert.That(differing, Is.GreaterThan(0), $"seed={EngineSeed}: elements where randn*std+mean differs from normal_(mean, std)");
    }

    [Test]
    public void TruncNormalInPlace_MissesGolden()
    {
        // torch.nn.init.trunc_normal_ given every chance: the global generator seeded as Keras seeds its own.
        foreach (var c in Golden.Cases.Where(c => c.Initializer == "truncated_normal"))
        {
            double mean = Golden.ConfigValue(c.Config, "mean", 0.0), std = Golden.ConfigValue(c.Config, "stddev", 0.05);
            torch.manual_seed((long)Seed.Of(c.Seed).NextTorchSeed());
            using var empty = torch.empty(c.Shape, ScalarType.Float32);
            using var shortcut = nn.init.trunc_normal_(empty, mean, std, mean - 2 * std, mean + 2 * std);
            Assert.That(Golden.Sha256(shortcut), Is.Not.EqualTo(c.Sha256Le), $"trunc_normal_ on {c.Label}");
        }
    }

    [TestCase("random_uniform", 42, TestName = "UniformInPlace_RandomUniform_MissesGolden")]
    [TestCase("glorot_uniform", 42, TestName = "UniformInPlace_GlorotUniform_MissesGolden")]
    public void UniformInPlace_MissesGolden(string initializer, long seed)
    {
        var c = Case(initializer, seed);
        var (min, max) = UniformBounds(c);
        using var generator = SeededGenerator(c);
        using var empty = torch.empty(c.Shape, ScalarType.Float32);
        using var shortcut = empty.uniform_(min, max, generator);
        using var library = Golden.Sample(c);
        using var unitGenerator = SeededGenerator(c);
        using var unitEmpty = torch.empty(c.Shape, ScalarType.Float32);
        using var unit = unitEmpty.uniform_(0.0, 1.0, unitGenerator);
        using var randGenerator = SeededGenerator(c);
        using var rand = torch.rand(c.Shape, ScalarType.Float32, generator: randGenerator);

        Assert.Multiple(() =>
        {
            Assert.That(Golden.Sha256(library), Is.EqualTo(c.Sha256Le), $"control: the library meets {c.Label}");
            Assert.That(Golden.Sha256(unit), Is.EqualTo(Golden.Sha256(rand)),
                "control: uniform_ draws the same stream as rand, so only the rounding of min + (max - min)·u differs");
            Assert.That(Golden.Sha256(shortcut), Is.Not.EqualTo(c.Sha256Le), $"uniform_(min, max) on {c.Label}");
        });
    }

    private static (double Min, double Max) UniformBounds(GoldenTensor c)
    {
        if (c.Initializer == "random_uniform")
        {
            return (Golden.ConfigValue(c.Config, "minval", -0.05), Golden.ConfigValue(c.Config, "maxval", 0.05));
        }
        var vs = (VarianceScaling)Golden.Create(c.Initializer, c.Config, Seed.Of(c.Seed));
        double limit = Math.Sqrt(3.0 * vs.ScaledVariance(c.Shape));
        return (-limit, limit);
    }
}
