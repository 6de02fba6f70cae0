using WeightInit.Keras.Initializers;

namespace WeightInit.Keras.Tests;

/// <summary>
/// The eight initializers of the original examples on a 256×512 kernel (n = 131,072): shape, scale against the
/// formula, truncation and seeded determinism. Tolerances are Z standard errors of the statistic (STYLE.md §5):
/// SE(mean) = σ/√n; SE(s²) = σ²·√((2 + κ)/n) with κ the excess kurtosis (0 normal, −1.2 uniform, −0.634 for a normal
/// truncated at ±2σ). With Z = 5 a correct sampler fails one assertion with probability ≈ 6e-7.
/// </summary>
[TestOf(typeof(KerasInitializers))]
public class OriginalEightInitializerTests
{
    private const int FanIn = 256;
    private const int FanOut = 512;
    private const long Seed = 1234;
    private const double Z = 5.0;
    private const double TruncatedKurtosis = -0.634;
    private const double UniformKurtosis = -1.2;

    public static IEnumerable<TestCaseData> RandomCases()
    {
        // name, expected mean, expected variance, excess kurtosis, bound (|x| <= bound for bounded families)
        double he = 2.0 / FanIn, lecun = 1.0 / FanIn;
        double glorotLimit = Math.Sqrt(6.0 / (FanIn + FanOut));
        double heLimit = Math.Sqrt(6.0 / FanIn);
        yield return new TestCaseData("random_normal", 0.0, 0.05 * 0.05, 0.0, double.PositiveInfinity);
        yield return new TestCaseData("random_uniform", 0.0, 0.1 * 0.1 / 12, UniformKurtosis, 0.05);
        yield return new TestCaseData("glorot_uniform", 0.0, glorotLimit * glorotLimit / 3, UniformKurtosis, glorotLimit);
        yield return new TestCaseData("he_normal", 0.0, he, TruncatedKurtosis, 2 * Math.Sqrt(he) / VarianceScaling.TruncationCorrection);
        yield return new TestCaseData("he_uniform", 0.0, heLimit * heLimit / 3, UniformKurtosis, heLimit);
        yield return new TestCaseData("lecun_normal", 0.0, lecun, TruncatedKurtosis, 2 * Math.Sqrt(lecun) / VarianceScaling.TruncationCorrection);
    }

    private static double[] Draw(Initializer initializer, params long[] shape)
    {
        using var t = initializer.Call(shape);
        Assert.That(t.shape, Is.EqualTo(shape));
        Assert.That(t.dtype, Is.EqualTo(ScalarType.Float32));
        return [.. t.data<float>().ToArray().Select(v => (double)v)];
    }

    private static Initializer Seeded(string name) => name switch
    {
        "random_normal" => new RandomNormal(seed: Seed),
        "random_uniform" => new RandomUniform(seed: Seed),
        "glorot_uniform" => new GlorotUniform(seed: Seed),
        "he_normal" => new HeNormal(seed: Seed),
        "he_uniform" => new HeUniform(seed: Seed),
        "lecun_normal" => new LecunNormal(seed: Seed),
        _ => throw new ArgumentException(name),
    };

    [TestCaseSource(nameof(RandomCases))]
    public void Kernel_MomentsMatchFormula(string name, double mean, double variance, double kurtosis, double bound)
    {
        double[] w = Draw(Seeded(name), FanIn, FanOut);
        int n = w.Length;
        double m = w.Average();
        double s2 = w.Sum(v => (v - m) * (v - m)) / (n - 1);
        double meanTolerance = Z * Math.Sqrt(variance / n);
        double varianceTolerance = Z * variance * Math.Sqrt((2 + kurtosis) / n);
        Assert.That(m, Is.EqualTo(mean).Within(meanTolerance), $"{name} mean; seed={Seed}, n={n}, z={Z}");
        Assert.That(s2, Is.EqualTo(variance).Within(varianceTolerance), $"{name} variance; seed={Seed}, n={n}, z={Z}");
        // Sample excess kurtosis tells the families apart (SE ≈ √(24/n) = 0.0135 for normal data; 5 SE = 0.068,
        // while normal, truncated normal and uniform differ by ≥ 0.57).
        double m4 = w.Sum(v => Math.Pow(v - m, 4)) / n;
        double sampleKurtosis = m4 / (s2 * s2) - 3;
        Assert.That(sampleKurtosis, Is.EqualTo(kurtosis).Within(Z * Math.Sqrt(24.0 / n)), $"{name} kurtosis; seed={Seed}");
        if (double.IsFinite(bound))
        {
            // Uniforms are exact: [−limit, limit). The torch truncated normal may keep an out-of-range candidate
            // with probability 0.0455⁴ ≈ 4.3e-6 per element (≈ 0.56 expected here), so allow at most 5 such.
            int outside = w.Count(v => Math.Abs(v) > bound * (1 + 1e-6));
            Assert.That(outside, Is.LessThanOrEqualTo(name.EndsWith("normal", StringComparison.Ordinal) ? 5 : 0), $"{name} values beyond {bound}");
        }
    }

    [TestCaseSource(nameof(RandomCases))]
    public void SeededInitializer_SameValuesEveryCall_OtherSeedDiffers(string name, double mean, double variance, double kurtosis, double bound)
    {
        var initializer = Seeded(name);
        double[] first = Draw(initializer, 64, 32);
        double[] second = Draw(initializer, 64, 32);
        double[] again = Draw(Seeded(name), 64, 32);
        Assert.That(second, Is.EqualTo(first), "an int seed gives identical values on every call");
        Assert.That(again, Is.EqualTo(first), "a new instance with the same seed gives the same values");
        using var other = KerasInitializers.Get(name).Call([64, 32]);
        Assert.That(other.data<float>().ToArray().Select(v => (double)v), Is.Not.EqualTo(first));
    }

    [TestCase("zeros", 0f)]
    [TestCase("ones", 1f)]
    public void ConstantFamilies_AreExact(string name, float value)
    {
        using var t = KerasInitializers.Get(name).Call([3, 3, 4, 5]);
        Assert.That(t.shape, Is.EqualTo(new long[] { 3, 3, 4, 5 }));
        Assert.That(t.data<float>().ToArray(), Is.All.EqualTo(value));
    }

    [Test]
    public void HeNormal_Conv2DKernel_UsesReceptiveFieldFans()
    {
        // (3, 3, 64, 128): fan_in = 3·3·64 = 576, so σ = √(2/576) / 0.8796… = 0.0669893657… (spec §4).
        var he = new HeNormal(seed: Seed);
        Assert.That(Math.Sqrt(he.ScaledVariance([3, 3, 64, 128])) / VarianceScaling.TruncationCorrection,
            Is.EqualTo(0.06698936571449711).Within(1e-15));
        double[] w = Draw(he, 3, 3, 64, 128);
        double expected = 2.0 / 576;
        double s2 = w.Sum(v => v * v) / w.Length;
        Assert.That(s2, Is.EqualTo(expected).Within(Z * expected * Math.Sqrt((2 + TruncatedKurtosis) / w.Length)));
    }

    [Test]
    public void GlorotUniform_UsesFanAverage_NotFanIn()
    {
        // Keras layout (in, out) = (784, 64): limit = √(6 / (784 + 64)) = 0.0841158231138…
        var glorot = new GlorotUniform(seed: Seed);
        Assert.That(Math.Sqrt(3 * glorot.ScaledVariance([784, 64])), Is.EqualTo(0.08411582311380664).Within(1e-15));
        double[] w = Draw(glorot, 784, 64);
        Assert.That(w.Max(), Is.LessThan(0.08411582311380664));
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(-0.08411582311380664));
        // The extremes of 50,176 uniform draws sit within limit·(1 − 20/n) of the ends with probability 1 − 2e-9.
        Assert.That(w.Max(), Is.GreaterThan(0.08411582311380664 * (1 - 20.0 / w.Length)));
    }
}
