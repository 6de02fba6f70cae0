using WeightInit.Keras.Models;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests.ModelFiles;

[TestOf(typeof(Dropout))]
[NonParallelizable]
public class DropoutTests
{
    private const int Rows = 200, Cols = 500;
    private const double Rate = 0.3;
    private const long Seed = 1234;

    /// <summary>Five standard errors: a two-sided false alarm of about 6e-7 per assertion (STYLE §5).</summary>
    private const double Z = 5.0;

    [Test]
    public void Call_Inference_ReturnsInputUnchanged()
    {
        using var x = torch.linspace(-3, 3, 60).reshape(6, 10);
        using var y = new Dropout(0.9, seed: Seed).Call(x);

        Assert.That(y.data<float>().ToArray(), Is.EqualTo(x.data<float>().ToArray()));
    }

    [Test]
    public void Call_Training_DropsRateAndScalesKeptByInverseKeep()
    {
        using var x = torch.ones(Rows, Cols);
        using var y = new Dropout(Rate, seed: Seed).Call(x, training: true);
        float[] v = y.data<float>().ToArray();
        int n = v.Length;
        double dropped = v.Count(e => e == 0f) / (double)n;
        // The dropped fraction is a binomial proportion: SE = sqrt(rate (1 - rate) / n) = 0.00145 at n = 100 000.
        double tolerance = Z * Math.Sqrt(Rate * (1 - Rate) / n);
        float kept = 1f / (float)(1 - Rate);

        Assert.Multiple(() =>
        {
            Assert.That(dropped, Is.EqualTo(Rate).Within(tolerance), $"seed={Seed}, n={n}");
            Assert.That(v.Where(e => e != 0f), Is.All.EqualTo(kept));
        });
    }

    [Test]
    public void Call_TrainingTwice_GeneratorAdvancesSoMasksDiffer_SameSeedRepeats()
    {
        using var x = torch.ones(10, 50);
        var a = new Dropout(0.5, seed: Seed);
        var b = new Dropout(0.5, seed: Seed);
        using var a1 = a.Call(x, training: true);
        using var a2 = a.Call(x, training: true);
        using var b1 = b.Call(x, training: true);

        Assert.Multiple(() =>
        {
            Assert.That(a2.data<float>().ToArray(), Is.Not.EqualTo(a1.data<float>().ToArray()));
            Assert.That(b1.data<float>().ToArray(), Is.EqualTo(a1.data<float>().ToArray()));
        });
    }

    [Test]
    public void Call_NoiseShapeWithOneColumn_DropsWholeRows()
    {
        using var x = torch.ones(400, 6);
        using var y = new Dropout(0.5, noiseShape: [null, 1], seed: Seed).Call(x, training: true);
        float[] v = y.data<float>().ToArray();
        var rowSums = Enumerable.Range(0, 400).Select(r => v.Skip(r * 6).Take(6).Distinct().Count()).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(rowSums, Is.All.EqualTo(1), "each row is all dropped or all kept");
            Assert.That(v, Does.Contain(0f).And.Contain(2f));
        });
    }

    [Test]
    public void Constructor_Unseeded_TakesExactlyOneKerasRandomDraw()
    {
        // After random.seed(42) the first two randint(1, 10**9) are 686579304 and 119540832 (spec §6.3).
        KerasRandom.SetRandomSeed(42);
        var dropout = new Dropout(0.5);

        Assert.Multiple(() =>
        {
            Assert.That(dropout.SeedGenerator!.State.Seed, Is.EqualTo(686579304));
            Assert.That(KerasRandom.MakeDefaultSeed(), Is.EqualTo(119540832));
        });
    }

    [Test]
    public void Constructor_RateZero_OwnsNoGeneratorAndDrawsNothing()
    {
        KerasRandom.SetRandomSeed(42);
        var dropout = new Dropout(0.0);

        Assert.Multiple(() =>
        {
            Assert.That(dropout.SeedGenerator, Is.Null);
            Assert.That(KerasRandom.MakeDefaultSeed(), Is.EqualTo(686579304));
        });
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void Constructor_RateOutsideUnitInterval_Throws(double rate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(rate));
        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("rate"));
            Assert.That(e.Message, Does.Contain("Expected a float value between 0 and 1"));
        });
    }
}

[TestOf(typeof(Flatten))]
public class FlattenAndActivationTests
{
    [Test]
    public void Flatten_ChannelsLast_KeepsCOrder()
    {
        using var x = torch.arange(12, dtype: ScalarType.Float32).reshape(2, 2, 3);
        using var y = new Flatten().Call(x);

        Assert.Multiple(() =>
        {
            Assert.That(y.shape, Is.EqualTo(new long[] { 2, 6 }));
            Assert.That(y.data<float>().ToArray()[..6], Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5 }));
        });
    }

    [Test]
    public void Flatten_ChannelsFirst_MovesChannelsLastBeforeFlattening()
    {
        // One sample, 2 channels × 3 positions: channels-last order is position-major.
        using var x = torch.arange(6, dtype: ScalarType.Float32).reshape(1, 2, 3);
        using var y = new Flatten("channels_first").Call(x);

        Assert.That(y.data<float>().ToArray(), Is.EqualTo(new float[] { 0, 3, 1, 4, 2, 5 }));
    }

    [Test]
    public void Flatten_UnknownDataFormat_ThrowsListingAllowed()
    {
        var e = Assert.Throws<ArgumentException>(() => new Flatten("nhwc"));
        Assert.Multiple(() =>
        {
            Assert.That(e!.ParamName, Is.EqualTo("dataFormat"));
            Assert.That(e.Message, Does.Contain("'nhwc'").And.Contain("channels_last, channels_first"));
        });
    }

    [Test]
    public void Activation_Tanh_AppliesFunction()
    {
        using var x = torch.tensor(new float[] { -1f, 0f, 2f });
        using var y = new Activation("tanh").Call(x);

        Assert.That(y.data<float>().ToArray(), Is.EqualTo(new[] { MathF.Tanh(-1f), 0f, MathF.Tanh(2f) }).Within(1e-7f));
    }

    [Test]
    public void Activation_UnknownName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Activation("swishy"));
    }
}
