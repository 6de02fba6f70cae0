using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Validation;

[TestOf(typeof(TensorStatistics))]
public class TensorStatisticsTests
{
    /// <summary>Double sums of a few hundred thousand terms of order 1: relative rounding far below this.</summary>
    private const double Rounding = 1e-10;

    private const int Seed = 20261204;

    [Test]
    public void Measure_SmallSample_GivesHandComputedValues()
    {
        using var t = tensor(new float[] { 1, 2, 3, 4, 10 });

        var s = TensorStatistics.Measure(t, 2.0, 4.0);

        // Deviations −3, −2, −1, 0, 6: Σd² = 50, Σd³ = 180, Σd⁴ = 1394, n = 5.
        Assert.That(s.Count, Is.EqualTo(5));
        Assert.That(s.Mean, Is.EqualTo(4.0));
        Assert.That(s.Variance, Is.EqualTo(12.5).Within(Rounding).Percent);
        Assert.That(s.Skewness, Is.EqualTo(36.0 / Math.Pow(10.0, 1.5)).Within(Rounding).Percent);
        Assert.That(s.ExcessKurtosis, Is.EqualTo(278.8 / 100.0 - 3.0).Within(Rounding));
        Assert.That((s.Min, s.Max), Is.EqualTo((1.0, 10.0)));
        Assert.That(s.OutsideCount, Is.EqualTo(2));
        Assert.That(s.OutsideFraction, Is.EqualTo(0.4));
    }

    [TestCase(ScalarType.Float32)]
    [TestCase(ScalarType.Float64)]
    public void Measure_SmallChunks_MatchOneChunk(ScalarType dtype)
    {
        using var generator = new Generator(Seed, CPU);
        // An offset of 5 makes a one-pass sum of squares lose digits; the merged central moments must not.
        using var t = randn([10_007], dtype, generator: generator).mul(3.0).add(5.0);

        var whole = TensorStatistics.Measure(t, 4.0, 6.0);
        var chunked = TensorStatistics.Measure(t, 4.0, 6.0, chunkSize: 1000);

        Assert.That(chunked.Mean, Is.EqualTo(whole.Mean).Within(Rounding).Percent);
        Assert.That(chunked.Variance, Is.EqualTo(whole.Variance).Within(Rounding).Percent);
        Assert.That(chunked.Skewness, Is.EqualTo(whole.Skewness).Within(Rounding));
        Assert.That(chunked.ExcessKurtosis, Is.EqualTo(whole.ExcessKurtosis).Within(Rounding));
        Assert.That((chunked.Min, chunked.Max, chunked.OutsideCount), Is.EqualTo((whole.Min, whole.Max, whole.OutsideCount)));
        // And the figures are those of N(5, 9): z = 5 bounds at n = 10 007 (SE of the mean 0.03, of s² 0.127).
        Assert.That(whole.Mean, Is.EqualTo(5.0).Within(5 * 3.0 / Math.Sqrt(10_007)), $"seed={Seed}");
        Assert.That(whole.Variance, Is.EqualTo(9.0).Within(5 * 9.0 * Math.Sqrt(2.0 / 10_006)), $"seed={Seed}");
    }

    [Test]
    public void Measure_TransposedView_MatchesContiguousCopy()
    {
        using var generator = new Generator(Seed, CPU);
        using var t = rand([300, 70], generator: generator);
        using var view = t.t();

        var a = TensorStatistics.Measure(view, chunkSize: 999);
        var b = TensorStatistics.Measure(t);

        Assert.That(view.is_contiguous(), Is.False);
        Assert.That(a.Variance, Is.EqualTo(b.Variance).Within(Rounding).Percent);
        Assert.That(a.ExcessKurtosis, Is.EqualTo(b.ExcessKurtosis).Within(Rounding));
    }

    [Test]
    public void Measure_Float32Values_AccumulatesInDouble()
    {
        // In float32, 2²⁴ + 1 rounds back to 2²⁴, so a float32 running sum would drop all four ones.
        using var t = tensor(new float[] { 16_777_216f, 1f, 1f, 1f, 1f });

        var s = TensorStatistics.Measure(t, chunkSize: 2);

        Assert.That(s.Mean, Is.EqualTo((16_777_216.0 + 4.0) / 5.0));
    }

    [Test]
    public void Measure_NonFiniteValues_AreCountedAndLeftOut()
    {
        using var t = tensor(new double[] { 1, double.NaN, 3, double.PositiveInfinity });

        var s = TensorStatistics.Measure(t);

        Assert.That((s.Count, s.NonFiniteCount, s.Mean, s.Max), Is.EqualTo((2L, 2L, 2.0, 3.0)));
    }

    [Test]
    public void Measure_EmptyTensor_HasNoMoments()
    {
        using var t = zeros(0, 4);

        var s = TensorStatistics.Measure(t);

        Assert.That(s.Count, Is.Zero);
        Assert.That(s.Mean, Is.NaN);
        Assert.That(s.OutsideFraction, Is.Zero);
    }
}
