using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;
using WeightInit.Keras.Random.TensorFlow;
using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Validation;

/// <summary>
/// The truncated normal expected per backend: with the torch tail for PyTorch, exactly truncated for TensorFlow, where
/// a value at ±2σ (in the tensor's dtype) fails the range check.
/// </summary>
[TestOf(typeof(ExpectedDistribution))]
public class BackendExpectationTests
{
    private const long Seed = 2718;
    private const double StdDev = 0.05;
    private static readonly long[] Shape = [512, 256];

    /// <summary>P = P(|Z| ≥ 2) = 2(1 − Φ(2)), a table value of the standard normal.</summary>
    private const double P = 0.04550026389635842;

    private static Tensor TensorFlowDraw(double mean, double stddev, ScalarType dtype) =>
        TensorFlowBackend.TruncatedNormal(Shape, mean, stddev, dtype, Seed);

    private static CheckResult Range(ValidationReport report) => report.Checks.Single(c => c.Name == "range");

    [Test]
    public void For_TruncatedNormalOnTensorFlow_HasNoTail()
    {
        var e = ExpectedDistribution.For(new TruncatedNormal(0.0, StdDev, Seed), Shape, backend: RandomBackend.TensorFlow);

        Assert.That(e.OutsideProbability, Is.EqualTo(0.0));
        Assert.That(((TruncatedNormalExpectation)e).TorchTail, Is.False);
        Assert.That(e.Describe(), Does.Not.Contain("torch tail"));
    }

    [Test]
    public void For_TruncatedNormalOnPyTorch_HasTheTorchTail()
    {
        var e = ExpectedDistribution.For(new TruncatedNormal(0.0, StdDev, Seed), Shape, backend: RandomBackend.PyTorch);

        // All four candidates land at or beyond ±2: P⁴.
        Assert.That(e.OutsideProbability, Is.EqualTo(Math.Pow(P, 4)).Within(1e-9).Percent);
        Assert.That(e.Describe(), Does.Contain("torch tail"));
    }

    [TestCase(RandomBackend.PyTorch, true)]
    [TestCase(RandomBackend.TensorFlow, false)]
    public void For_VarianceScalingPreset_FollowsTheBackend(RandomBackend backend, bool torchTail)
    {
        var e = (TruncatedNormalExpectation)ExpectedDistribution.For(new HeNormal(Seed), Shape, backend: backend);

        Assert.That(e.TorchTail, Is.EqualTo(torchTail));
        Assert.That(e.Scale, Is.EqualTo(Math.Sqrt(2.0 / Shape[0]) / VarianceScaling.TruncationCorrection).Within(1e-15));
    }

    [Test]
    public void For_NoBackend_TakesTheCurrentOne()
    {
        var initializer = new TruncatedNormal(0.0, StdDev, Seed);

        double outsideOnPyTorch = ExpectedDistribution.For(initializer, Shape).OutsideProbability;
        double outsideOnTensorFlow;
        using (KerasBackendRandom.Use(RandomBackend.TensorFlow))
        {
            outsideOnTensorFlow = ExpectedDistribution.For(initializer, Shape).OutsideProbability;
        }

        Assert.That(outsideOnPyTorch, Is.EqualTo(Math.Pow(P, 4)).Within(1e-9).Percent);
        Assert.That(outsideOnTensorFlow, Is.EqualTo(0.0));
    }

    [Test]
    public void For_UndefinedBackend_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ExpectedDistribution.For(new HeNormal(Seed), Shape, backend: (RandomBackend)7));

        Assert.That(e!.ParamName, Is.EqualTo("backend"));
        Assert.That(e.Message, Does.Contain("7").And.Contain("PyTorch, TensorFlow"));
    }

    [TestCase(ScalarType.Float32)]
    [TestCase(ScalarType.Float64)]
    public void Check_TensorFlowDraw_PassesTheTensorFlowExpectation(ScalarType dtype)
    {
        using var values = TensorFlowDraw(0.0, StdDev, dtype);
        var expected = ExpectedDistribution.For(new TruncatedNormal(0.0, StdDev, Seed), Shape, backend: RandomBackend.TensorFlow);

        var report = WeightValidator.Check(values, expected);

        Assert.That(report.Passed, Is.True, report.Summary);
        Assert.That(report.Measured.OutsideCount, Is.Zero);
    }

    [Test]
    public void Check_TensorFlowDrawWithMeanOffset_ReachesTheRoundedBoundAndPasses()
    {
        const double Mean = 1.0, SmallStdDev = 0.001;
        using var values = TensorFlowDraw(Mean, SmallStdDev, ScalarType.Float32);
        // Near 1.002 float32 values are 1.2e-7 apart, 1.2e-4 standard deviations: z·σ just below 2σ, plus the mean,
        // rounds onto the float32 nearest μ + 2σ. TensorFlow does produce that value; the check must allow it.
        float roundedBound = (float)((float)Mean + 2f * (float)SmallStdDev);
        long atRoundedBound = values.eq(roundedBound).sum().item<long>();
        var expected = ExpectedDistribution.For(new TruncatedNormal(Mean, SmallStdDev, Seed), Shape, backend: RandomBackend.TensorFlow);

        var report = WeightValidator.Check(values, expected);

        Assert.That(atRoundedBound, Is.Positive, $"seed={Seed}: the draw no longer reaches the rounded bound; pick a seed that does");
        Assert.That(report.Passed, Is.True, report.Summary);
        Assert.That(report.Measured.OutsideCount, Is.Zero);
    }

    [TestCase(ScalarType.Float32)]
    [TestCase(ScalarType.Float64)]
    public void Check_ValueAtTwoSigma_FailsOnTensorFlowButIsInsideOnPyTorch(ScalarType dtype)
    {
        using var values = TensorFlowDraw(0.0, StdDev, dtype);
        // 2σ in the tensor's dtype: the stddev rounded to the dtype, doubled (exact).
        double twoSigma = dtype == ScalarType.Float32 ? 2.0 * (float)StdDev : 2.0 * StdDev;
        values[0, 0] = tensor(twoSigma, dtype);
        var initializer = new TruncatedNormal(0.0, StdDev, Seed);

        var onTensorFlow = WeightValidator.Check(values, ExpectedDistribution.For(initializer, Shape, backend: RandomBackend.TensorFlow));
        var onPyTorch = WeightValidator.Check(values, ExpectedDistribution.For(initializer, Shape, backend: RandomBackend.PyTorch));

        Assert.That(onTensorFlow.Failures.Select(c => c.Name), Is.EqualTo(new[] { "range" }), onTensorFlow.Summary);
        Assert.That(Range(onTensorFlow).Observed, Is.EqualTo(1));
        Assert.That(Range(onTensorFlow).Detail, Does.StartWith("1 of 131072 values at or beyond ±2σ"));
        // The torch expectation counts its bounds as inclusive (with a rounding slack), so 2σ is inside: nothing outside.
        Assert.That(onPyTorch.Passed, Is.True, onPyTorch.Summary);
        Assert.That(onPyTorch.Measured.OutsideCount, Is.Zero);
        Assert.That(Range(onPyTorch).Kind, Is.EqualTo(CheckKind.Statistical));
    }

    [Test]
    public void Check_ValueAtThreeSigma_FailsOnTensorFlowButFitsTheTorchTail()
    {
        using var values = TensorFlowDraw(0.0, StdDev, ScalarType.Float32);
        values[7, 9] = tensor(-3.0 * StdDev, ScalarType.Float32);
        var initializer = new TruncatedNormal(0.0, StdDev, Seed);

        var onTensorFlow = WeightValidator.Check(values, ExpectedDistribution.For(initializer, Shape, backend: RandomBackend.TensorFlow));
        var onPyTorch = WeightValidator.Check(values, ExpectedDistribution.For(initializer, Shape, backend: RandomBackend.PyTorch));

        Assert.That(onTensorFlow.Failures.Select(c => c.Name), Is.EqualTo(new[] { "range" }), onTensorFlow.Summary);
        // One value outside against a tail of n·P⁴ ≈ 0.56 expected: P(count ≥ 1) = 1 − (1 − P⁴)ⁿ ≈ 0.43, far above α.
        Assert.That(onPyTorch.Passed, Is.True, onPyTorch.Summary);
        Assert.That(Range(onPyTorch).Observed, Is.EqualTo(1));
        Assert.That(Range(onPyTorch).PValue, Is.EqualTo(1.0 - Math.Pow(1.0 - Math.Pow(P, 4), values.numel())).Within(1e-6));
    }
}
