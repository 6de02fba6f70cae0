using WeightInit.Keras.Initializers;
using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Validation;

/// <summary>
/// The checks must reject the classic porting mistakes on a 512×256 kernel (n = 131 072) and accept correct draws.
/// Every tensor here has a fixed seed, so each outcome is deterministic; the margins asserted are many standard errors
/// wide, so they hold for any seed.
/// </summary>
[TestOf(typeof(WeightValidator))]
public class WeightValidatorPowerTests
{
    private const long Seed = 1234;
    private const long FanIn = 512;
    private const long Units = 256;
    private static readonly long[] Kernel = [FanIn, Units];

    private static ValidationReport CheckAgainstHeNormal(Initializer drawnWith, long[]? drawShape = null, bool transpose = false)
    {
        using var drawn = drawnWith.Call(drawShape ?? Kernel);
        using var values = transpose ? drawn.t().contiguous() : drawn.alias();
        return WeightValidator.Check(values, new HeNormal(Seed));
    }

    private static CheckResult Get(ValidationReport report, string name) => report.Checks.Single(c => c.Name == name);

    [Test]
    public void HeNormal_CorrectDraw_Passes()
    {
        var report = CheckAgainstHeNormal(new HeNormal(Seed));

        Assert.That(report.Passed, Is.True, report.Summary);
        Assert.That(report.Checks.Select(c => c.Name), Is.EqualTo(new[] { "mean", "variance", "ks", "range" }));
    }

    [Test]
    public void HeNormal_PlainNormalOfTheSameVariance_IsRejectedByRangeAndKs()
    {
        // The careless port: N(0, 2/fan_in) untruncated. Same variance, so only the shape can tell.
        var report = CheckAgainstHeNormal(new VarianceScaling(2.0, "fan_in", "untruncated_normal", Seed));

        Assert.That(report.Passed, Is.False);
        Assert.That(Get(report, "variance").Passed, Is.True, "same variance: the variance check alone cannot see it");
        // P(|Z| > 2/0.8796) = 2.3%: about 3 000 values beyond ±2σ, where the torch tail allows 0.56.
        Assert.That(Get(report, "range").Observed, Is.GreaterThan(2_000));
        Assert.That(Get(report, "range").Passed, Is.False);
        Assert.That(Get(report, "ks").Passed, Is.False);
        Assert.That(report.Summary, Does.Contain("range").And.Contain("outside"));
    }

    [Test]
    public void HeNormal_TruncatedNormalWithoutCorrection_IsRejectedByVariance()
    {
        // TruncatedNormal(stddev=√(2/fan_in)) forgets to divide by 0.8796: variance 0.7737 × 2/fan_in.
        var report = CheckAgainstHeNormal(new TruncatedNormal(0.0, Math.Sqrt(2.0 / FanIn), Seed));

        var variance = Get(report, "variance");
        Assert.That(variance.Passed, Is.False);
        // SE of s² is 0.32% here, so the ratio is 0.7737 within ±1.6% (5 SE).
        Assert.That(variance.Observed / variance.Expected, Is.EqualTo(0.7737).Within(0.016));
        Assert.That(variance.Statistic, Is.LessThan(-50));
        Assert.That(variance.Detail, Does.Contain("-2").And.Contain("%"));
    }

    [Test]
    public void HeNormal_FansSwapped_IsRejectedByVariance()
    {
        // Drawn with fan_out where fan_in was meant: variance 2/256 instead of 2/512.
        var report = CheckAgainstHeNormal(new VarianceScaling(2.0, "fan_out", "truncated_normal", Seed));

        var variance = Get(report, "variance");
        Assert.That(variance.Passed, Is.False);
        Assert.That(variance.Observed / variance.Expected, Is.EqualTo(2.0).Within(0.04));
    }

    [Test]
    public void HeNormal_ExpectedWithSwappedFans_RejectsACorrectDraw()
    {
        using var values = new HeNormal(Seed).Call(Kernel);

        var report = WeightValidator.Check(values, new HeNormal(Seed), (Units, FanIn));

        Assert.That(Get(report, "variance").Passed, Is.False);
        Assert.That(Get(report, "variance").Observed / Get(report, "variance").Expected, Is.EqualTo(0.5).Within(0.01));
    }

    [Test]
    public void HeNormal_FansFromTorchLayout_IsRejectedByVariance()
    {
        // A torch Linear(512 → 256) stores (out, in) = (256, 512); Keras's fan rule on that shape gives fan_in 256.
        var report = CheckAgainstHeNormal(new HeNormal(Seed), drawShape: [Units, FanIn], transpose: true);

        var variance = Get(report, "variance");
        Assert.That(variance.Passed, Is.False);
        Assert.That(variance.Observed / variance.Expected, Is.EqualTo(2.0).Within(0.04));
    }

    [Test]
    public void HeNormal_UniformOfTheSameVariance_IsRejectedByKs()
    {
        // he_uniform has exactly he_normal's variance 2/fan_in; only the shape differs.
        var report = CheckAgainstHeNormal(new HeUniform(Seed));

        Assert.That(Get(report, "variance").Passed, Is.True);
        var ks = Get(report, "ks");
        Assert.That(ks.Passed, Is.False);
        // The two CDFs differ by about 0.04 at most, against a critical D of 0.0066 at α = 1e-6.
        Assert.That(ks.Statistic, Is.GreaterThan(5 * KolmogorovSmirnov.CriticalValue(ValidationOptions.DefaultAlpha, FanIn * Units)));
    }

    [Test]
    public void GlorotNormal_UniformDrawLikeTorchSharpXavierNormal_IsRejected()
    {
        // TorchSharp 0.107's xavier_normal_ draws uniform values (STYLE §3): glorot_uniform values, glorot_normal expected.
        using var values = new GlorotUniform(Seed).Call(Kernel);

        var report = WeightValidator.Check(values, new GlorotNormal(Seed));

        Assert.That(report.Passed, Is.False);
        Assert.That(Get(report, "ks").Passed, Is.False);
    }

    [Test]
    public void RandomNormal_StdOffByRootTwo_IsRejectedByVariance()
    {
        using var values = new RandomNormal(0.0, 0.05 * Math.Sqrt(2.0), Seed).Call(Kernel);

        var report = WeightValidator.Check(values, new RandomNormal(0.0, 0.05, Seed));

        var variance = Get(report, "variance");
        Assert.That(variance.Passed, Is.False);
        Assert.That(variance.Observed / variance.Expected, Is.EqualTo(2.0).Within(0.04));
        Assert.That(variance.Detail, Does.Contain("std ratio 1.41"));
    }

    [Test]
    public void Orthogonal_PlainNormalValues_AreRejected()
    {
        // N(0, 1/512) has the right element variance for a 512×256 orthogonal matrix, but QᵀQ is far from I.
        using var values = new RandomNormal(0.0, Math.Sqrt(1.0 / FanIn), Seed).Call(Kernel);

        var report = WeightValidator.Check(values, new Orthogonal(seed: Seed));

        var check = Get(report, "orthogonality");
        Assert.That(check.Passed, Is.False);
        // Off-diagonal entries of QᵀQ are ≈ N(0, 1/512): the largest of 32 640 is ≈ 0.2; the diagonal moves by ≈ 0.06.
        Assert.That(check.Statistic, Is.GreaterThan(0.1));
        Assert.That(check.Detail, Does.Contain("exceeded"));
    }

    [Test]
    public void Zeros_OneValueOff_IsRejectedExactly()
    {
        using var values = zeros(FanIn, Units);
        values[3, 7] = tensor(1e-7f);

        var report = WeightValidator.Check(values, new Zeros());

        Assert.That(report.Passed, Is.False);
        Assert.That(report.Summary, Does.Contain("1 of 131072 values differ from 0"));
    }

    private static IEnumerable<TestCaseData> CorrectDraws()
    {
        yield return new TestCaseData(new HeNormal(Seed), Kernel).SetArgDisplayNames("he_normal");
        yield return new TestCaseData(new GlorotUniform(Seed), Kernel).SetArgDisplayNames("glorot_uniform");
        yield return new TestCaseData(new LecunNormal(Seed), new long[] { 3, 3, 64, 128 }).SetArgDisplayNames("lecun_normal conv2d");
        yield return new TestCaseData(new RandomNormal(0.5, 2.0, Seed), Kernel).SetArgDisplayNames("random_normal mean 0.5");
        yield return new TestCaseData(new TruncatedNormal(0.0, 0.05, Seed), Kernel).SetArgDisplayNames("truncated_normal");
        yield return new TestCaseData(new RandomUniform(-1.0, 3.0, Seed), Kernel).SetArgDisplayNames("random_uniform");
        yield return new TestCaseData(new VarianceScaling(0.5, "fan_avg", "untruncated_normal", Seed), Kernel).SetArgDisplayNames("variance_scaling untruncated");
        yield return new TestCaseData(new Orthogonal(2.0, Seed), Kernel).SetArgDisplayNames("orthogonal gain 2");
        yield return new TestCaseData(new Orthogonal(1.0, Seed), new long[] { 64, 1000 }).SetArgDisplayNames("orthogonal wide");
        yield return new TestCaseData(new Ones(), Kernel).SetArgDisplayNames("ones");
    }

    [TestCaseSource(nameof(CorrectDraws))]
    public void CheckDraw_CorrectValues_Pass(Initializer initializer, long[] shape)
    {
        var report = WeightValidator.CheckDraw(initializer, shape);

        Assert.That(report.Passed, Is.True, $"seed={Seed}: {report.Summary}");
    }

    [Test]
    public void CheckDraw_Float64_Passes()
    {
        var report = WeightValidator.CheckDraw(new HeUniform(Seed), Kernel, ScalarType.Float64);

        Assert.That(report.DType, Is.EqualTo("float64"));
        Assert.That(report.Passed, Is.True, report.Summary);
    }

    [Test]
    public void Check_NaNInValues_FailsTheFiniteCheck()
    {
        using var values = new HeNormal(Seed).Call(Kernel);
        values[0, 0] = tensor(float.NaN);

        var report = WeightValidator.Check(values, new HeNormal(Seed));

        Assert.That(report.Checks.Single(c => c.Name == "finite").Passed, Is.False);
        Assert.That(report.Measured.NonFiniteCount, Is.EqualTo(1));
    }

    [Test]
    public void Check_LargeTensor_UsesAStridedKsSample()
    {
        using var values = new RandomUniform(seed: Seed).Call(Kernel);

        var report = WeightValidator.Check(values, new RandomUniform(seed: Seed), options: new ValidationOptions { KsMaxSamples = 10_000 });

        Assert.That(report.Passed, Is.True, report.Summary);
        Assert.That(Get(report, "ks").Detail, Does.Contain("over 9363 values (an evenly strided sample of the 131072)"));
    }

    [Test]
    public void Check_ExpectationWithoutChecks_ThrowsNamingIt()
    {
        using var values = zeros(3);

        var ex = Assert.Throws<ArgumentException>(() => WeightValidator.Check(values, new Opaque()));

        Assert.That(ex!.ParamName, Is.EqualTo("expected"));
        Assert.That(ex.Message, Does.Contain("Opaque"));
    }

    [Test]
    public void Check_AlphaOutsideUnitInterval_Throws()
    {
        using var values = zeros(3);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WeightValidator.Check(values, new Zeros(), options: new ValidationOptions { Alpha = 0 }));

        Assert.That(ex!.ParamName, Is.EqualTo("Alpha"));
    }

    private sealed class Opaque : ExpectedDistribution
    {
        public override DistributionFamily Family => DistributionFamily.Deterministic;

        public override double Mean => 0.0;

        public override double Variance => 1.0;

        public override double FourthCentralMoment => 3.0;

        public override string Describe() => "opaque";
    }
}
