using WeightInit.Keras.Initializers;
using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Validation;

[TestOf(typeof(ExpectedDistribution))]
public class ExpectedDistributionTests
{
    /// <summary>The std of a standard normal truncated to [-2, 2] (spec §4).</summary>
    private const double TruncatedStd = 0.87962566103423978;

    /// <summary>Relative agreement of two closed forms computed in double.</summary>
    private const double ClosedForm = 1e-12;

    /// <summary>Composite Simpson with 20 000 panels per piece: error far below 1e-9 for these smooth pieces.</summary>
    private const double Quadrature = 1e-9;

    [Test]
    public void For_HeNormal784x64_StdMatchesSpecTable()
    {
        var e = (TruncatedNormalExpectation)ExpectedDistribution.For(new HeNormal(1), [784, 64]);

        Assert.That(e.Scale, Is.EqualTo(0.057419456326711804).Within(ClosedForm).Percent);
        Assert.That(e.Fans, Is.EqualTo(((long)784, (long)64)));
        // Dividing by the truncated std brings the variance back to scale/fan_in, plus the torch tail's ≈ 2.8e-5 relative.
        Assert.That(e.Variance, Is.EqualTo(2.0 / 784).Within(0.005).Percent);
        Assert.That(e.Variance, Is.GreaterThan(2.0 / 784));
    }

    [TestCase("lecun_normal", 784, 64, 0.040601686940662726)]
    [TestCase("glorot_normal", 784, 64, 0.05521018231864978)]
    public void For_NormalPresets_StdBeforeTruncationMatchesSpecTable(string name, long rows, long cols, double sigma)
    {
        var e = (TruncatedNormalExpectation)ExpectedDistribution.For(KerasInitializers.Get(name), [rows, cols]);

        Assert.That(e.Scale, Is.EqualTo(sigma).Within(ClosedForm).Percent);
    }

    [TestCase("he_uniform", new long[] { 784, 64 }, 0.08748177652797065)]
    [TestCase("lecun_uniform", new long[] { 784, 64 }, 0.06185895741317419)]
    [TestCase("glorot_uniform", new long[] { 784, 64 }, 0.08411582311380664)]
    [TestCase("glorot_uniform", new long[] { 64, 10 }, 0.2847473987257497)]
    [TestCase("glorot_uniform", new long[] { 3, 3, 64, 128 }, 0.05892556509887896)]
    public void For_UniformPresets_LimitMatchesSpecTable(string name, long[] shape, double limit)
    {
        var e = (UniformExpectation)ExpectedDistribution.For(KerasInitializers.Get(name), shape);

        Assert.That(e.MaxVal, Is.EqualTo(limit).Within(ClosedForm).Percent);
        Assert.That(e.MinVal, Is.EqualTo(-limit).Within(ClosedForm).Percent);
        Assert.That(e.Variance, Is.EqualTo(limit * limit / 3).Within(ClosedForm).Percent);
    }

    [Test]
    public void For_HeNormalConv2D_UsesReceptiveField()
    {
        var e = (TruncatedNormalExpectation)ExpectedDistribution.For(new HeNormal(1), [3, 3, 64, 128]);

        Assert.That(e.Scale, Is.EqualTo(0.06698936571449711).Within(ClosedForm).Percent);
        Assert.That(e.Fans, Is.EqualTo(((long)576, (long)1152)));
    }

    [Test]
    public void For_ExplicitFans_OverrideTheShape()
    {
        var fromShape = ExpectedDistribution.For(new HeNormal(1), [512, 256]);
        var swapped = ExpectedDistribution.For(new HeNormal(1), [512, 256], (256, 512));

        Assert.That(swapped.Variance / fromShape.Variance, Is.EqualTo(2.0).Within(ClosedForm).Percent);
        Assert.That(swapped.Source, Does.Contain("fan_in 256").And.Contain("(given)"));
    }

    [Test]
    public void For_TruncatedNormalClass_KeepsStddevWithoutCorrection()
    {
        const double StdDev = 0.05;
        var e = ExpectedDistribution.For(new TruncatedNormal(0.0, StdDev, 1), [10]);

        // (0.8796·σ)² up to the torch tail, which adds p⁴·E[z² | |z| ≥ 2] ≈ 2.4e-5 relative.
        Assert.That(e.Variance, Is.EqualTo(Math.Pow(TruncatedStd * StdDev, 2)).Within(0.005).Percent);
        Assert.That(e.Variance, Is.GreaterThan(Math.Pow(TruncatedStd * StdDev, 2)));
    }

    [Test]
    public void TruncatedNormal_ExactTruncation_HasTheTabulatedStd()
    {
        var e = new TruncatedNormalExpectation(0.0, 1.0, torchTail: false);

        Assert.That(e.StdDev, Is.EqualTo(TruncatedStd).Within(ClosedForm).Percent);
        Assert.That(e.OutsideProbability, Is.Zero);
    }

    [Test]
    public void TruncatedNormal_TorchTail_HasProbabilityPToTheFourth()
    {
        var e = new TruncatedNormalExpectation(0.0, 1.0);
        // P(|Z| ≥ 2) = 0.04550026389635842 (a table value of the normal).
        double p = 0.04550026389635842;

        Assert.That(e.OutsideProbability, Is.EqualTo(Math.Pow(p, 4)).Within(1e-9).Percent);
        Assert.That(e.OutsideProbability, Is.EqualTo(4.286e-6).Within(0.01).Percent);
    }

    [Test]
    public void ExcessKurtosis_MatchesKnownValues()
    {
        Assert.That(new NormalExpectation(0, 1).ExcessKurtosis, Is.Zero);
        Assert.That(new UniformExpectation(-1, 1).ExcessKurtosis, Is.EqualTo(-1.2).Within(1e-12));
        // A normal truncated at ±2σ has excess kurtosis −0.6345 (STYLE §5 rounds it to −0.634); the torch tail moves it by 1e-4.
        Assert.That(new TruncatedNormalExpectation(0, 1, torchTail: false).ExcessKurtosis, Is.EqualTo(-0.6345).Within(1e-4));
        Assert.That(new TruncatedNormalExpectation(0, 1).ExcessKurtosis, Is.EqualTo(-0.6343).Within(1e-4));
        // Orthogonal: −6/(m + 2) for vectors of length m.
        Assert.That(new OrthogonalExpectation(512, 256).ExcessKurtosis, Is.EqualTo(-6.0 / 514).Within(1e-12));
    }

    private static IEnumerable<TestCaseData> ContinuousCases()
    {
        yield return new TestCaseData(new NormalExpectation(0.3, 0.7)).SetArgDisplayNames("normal");
        yield return new TestCaseData(new TruncatedNormalExpectation(-0.2, 0.5)).SetArgDisplayNames("torch truncated normal");
        yield return new TestCaseData(new TruncatedNormalExpectation(0.0, 2.0, torchTail: false)).SetArgDisplayNames("exact truncated normal");
        yield return new TestCaseData(new UniformExpectation(-0.5, 1.5)).SetArgDisplayNames("uniform");
        yield return new TestCaseData(new OrthogonalExpectation(40, 7, 1.5)).SetArgDisplayNames("orthogonal");
    }

    /// <summary>The closed-form moments and CDF agree with numerical integration of the density.</summary>
    [TestCaseSource(nameof(ContinuousCases))]
    public void Density_IntegratesToTheClosedFormMomentsAndCdf(ExpectedDistribution e)
    {
        double[] cuts = Breakpoints(e);

        Assert.That(Integrate(e, cuts, _ => 1.0, double.PositiveInfinity), Is.EqualTo(1.0).Within(Quadrature));
        Assert.That(Integrate(e, cuts, x => x, double.PositiveInfinity), Is.EqualTo(e.Mean).Within(Quadrature));
        Assert.That(Integrate(e, cuts, x => Math.Pow(x - e.Mean, 2), double.PositiveInfinity), Is.EqualTo(e.Variance).Within(Quadrature));
        Assert.That(Integrate(e, cuts, x => Math.Pow(x - e.Mean, 4), double.PositiveInfinity), Is.EqualTo(e.FourthCentralMoment).Within(Quadrature));
        foreach (double z in new[] { -2.5, -2.0, -1.0, 0.1, 1.9, 2.0, 3.0 })
        {
            double x = e.Mean + z * e.StdDev;
            Assert.That(e.Cdf(x), Is.EqualTo(Integrate(e, cuts, _ => 1.0, x)).Within(Quadrature), $"CDF at z = {z}");
        }
    }

    [Test]
    public void For_ZerosAndOnes_AreConstants()
    {
        Assert.That(((ConstantExpectation)ExpectedDistribution.For(new Zeros(), [3])).Value, Is.Zero);
        Assert.That(((ConstantExpectation)ExpectedDistribution.For(new Ones(), [3])).Value, Is.EqualTo(1.0));
    }

    [Test]
    public void For_VarianceScalingUntruncated_IsNormalWithStdRootS()
    {
        var e = (NormalExpectation)ExpectedDistribution.For(new VarianceScaling(2.0, "fan_out", "untruncated_normal", 1), [3, 16, 32]);

        Assert.That(e.Scale, Is.EqualTo(Math.Sqrt(2.0 / 96)).Within(ClosedForm).Percent);
    }

    [Test]
    public void For_Orthogonal_FlattensAllButTheLastDim()
    {
        var e = (OrthogonalExpectation)ExpectedDistribution.For(new Orthogonal(2.0, 1), [3, 3, 64, 128]);

        Assert.That((e.Rows, e.Cols, e.Gain), Is.EqualTo(((long)576, (long)128, 2.0)));
        Assert.That(e.Variance, Is.EqualTo(4.0 / 576).Within(ClosedForm).Percent);
    }

    [Test]
    public void For_OrthogonalRank1_ThrowsNamingTheShape()
    {
        var ex = Assert.Throws<ArgumentException>(() => ExpectedDistribution.For(new Orthogonal(seed: 1), [5]));

        Assert.That(ex!.ParamName, Is.EqualTo("shape"));
        Assert.That(ex.Message, Does.Contain("rank 2 or more").And.Contain("(5,)"));
    }

    [Test]
    public void For_FansWithRandomNormal_ThrowsNamingFans()
    {
        var ex = Assert.Throws<ArgumentException>(() => ExpectedDistribution.For(new RandomNormal(seed: 1), [4, 4], (4, 4)));

        Assert.That(ex!.ParamName, Is.EqualTo("fans"));
        Assert.That(ex.Message, Does.Contain("RandomNormal").And.Contain("VarianceScaling"));
    }

    [Test]
    public void For_UnknownRandomInitializer_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => ExpectedDistribution.For(new CustomRandom(), [4]));

        Assert.That(ex!.ParamName, Is.EqualTo("initializer"));
        Assert.That(ex.Message, Does.Contain("CustomRandom"));
    }

    [Test]
    public void For_CustomDeterministic_ComparesWithItsOwnValues()
    {
        var e = ExpectedDistribution.For(new Arange(), [2, 3]);

        Assert.That(e, Is.TypeOf<ReferenceExpectation>());
        Assert.That(e.Family, Is.EqualTo(DistributionFamily.Deterministic));
        Assert.That(e.Mean, Is.EqualTo(2.5));
    }

    [Test]
    public void Constructors_RejectBadParameters()
    {
        var normal = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NormalExpectation(0, 0));
        var uniform = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new UniformExpectation(1, 1));
        var truncated = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TruncatedNormalExpectation(double.NaN, 1));

        Assert.That(normal!.ParamName, Is.EqualTo("stddev"));
        Assert.That(normal.Message, Does.Contain("stddev=0"));
        Assert.That(uniform!.ParamName, Is.EqualTo("maxval"));
        Assert.That(truncated!.ParamName, Is.EqualTo("mean"));
    }

    /// <summary>±12σ around the mean (tail mass below 1e-32), split at the bounds where the density jumps.</summary>
    private static double[] Breakpoints(ExpectedDistribution e)
    {
        double lo = e.Mean - 12 * e.StdDev, hi = e.Mean + 12 * e.StdDev;
        return [.. new[] { lo, hi, e.LowerBound, e.UpperBound }.Where(double.IsFinite).Select(c => Math.Clamp(c, lo, hi)).Distinct().Order()];
    }

    /// <summary>∫ g(x)·f(x) dx from the first breakpoint to <paramref name="upTo"/>, piecewise Simpson.</summary>
    private static double Integrate(ExpectedDistribution e, double[] cuts, Func<double, double> g, double upTo)
    {
        const int Panels = 20_000;
        double total = 0.0;
        for (int k = 0; k + 1 < cuts.Length; k++)
        {
            double a = cuts[k], b = Math.Min(cuts[k + 1], upTo);
            if (b <= a)
            {
                break;
            }
            double h = (b - a) / Panels;
            // Evaluate just inside the piece so a jump at a breakpoint takes the piece's own side.
            double F(double x) => g(x) * e.Density(Math.Clamp(x, a + 1e-13 * (b - a), b - 1e-13 * (b - a)));
            double sum = F(a) + F(b);
            for (int i = 1; i < Panels; i++)
            {
                sum += (i % 2 == 1 ? 4 : 2) * F(a + i * h);
            }
            total += sum * h / 3;
        }
        return total;
    }

    private sealed class CustomRandom() : RandomInitializer(1)
    {
        protected override Tensor Generate(long[] shape, ScalarType dtype) => zeros(shape, dtype);
    }

    private sealed class Arange : Initializer
    {
        protected override Tensor Generate(long[] shape, ScalarType dtype) =>
            arange(shape.Aggregate(1L, (a, b) => a * b), dtype: dtype).reshape(shape);
    }
}
