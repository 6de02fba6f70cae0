using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Validation;

[TestOf(typeof(KolmogorovSmirnov))]
public class KolmogorovSmirnovTests
{
    /// <summary>The asymptotic critical values are tabulated to 4 digits.</summary>
    private const double TableDigits = 1e-4;

    [TestCase(1.3581, 0.05)]
    [TestCase(1.6276, 0.01)]
    [TestCase(1.9495, 0.001)]
    [TestCase(1.2239, 0.10)]
    public void Survival_AtTabulatedCriticalValues_GivesTheirLevel(double lambda, double alpha)
    {
        Assert.That(KolmogorovSmirnov.Survival(lambda), Is.EqualTo(alpha).Within(TableDigits));
    }

    [Test]
    public void Survival_BothSeriesAgreeAtTheSwitch()
    {
        Assert.That(KolmogorovSmirnov.Survival(1.0 - 1e-12), Is.EqualTo(KolmogorovSmirnov.Survival(1.0)).Within(1e-10));
        // P(K ≤ 0.5) = 0.0361 (table).
        Assert.That(KolmogorovSmirnov.Survival(0.5), Is.EqualTo(1 - 0.0361).Within(TableDigits));
    }

    [Test]
    public void Statistic_ThreePoints_IsTheLargestGap()
    {
        double[] sorted = [0.1, 0.5, 0.9];

        // Gaps: 1/3 − 0.1, 0.5 − 1/3, 0.9 − 2/3 and 1 − 0.9: the largest is 0.2333…
        Assert.That(KolmogorovSmirnov.Statistic(sorted, x => x), Is.EqualTo(0.9 - 2.0 / 3).Within(1e-15));
    }

    [Test]
    public void CriticalValue_InvertsPValue()
    {
        const long N = 131_072;
        double d = KolmogorovSmirnov.CriticalValue(0.001, N);

        Assert.That(KolmogorovSmirnov.PValue(d, N), Is.EqualTo(0.001).Within(1e-9));
        Assert.That(d * Math.Sqrt(N), Is.EqualTo(1.9495).Within(0.001));
    }

    [Test]
    public void CriticalValue_AlphaOutsideUnitInterval_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => KolmogorovSmirnov.CriticalValue(1.5, 10));

        Assert.That(ex!.ParamName, Is.EqualTo("alpha"));
    }
}
