using WeightInit.Keras.Initializers;

namespace WeightInit.Keras.Tests.Initializers;

[TestOf(typeof(Fans))]
public class FansAndScalingTests
{
    // Spec §3's table: shape, fan_in, fan_out, (fan_in + fan_out) / 2.
    private static readonly object[] SpecFans =
    [
        new object[] { Array.Empty<long>(), 1L, 1L, 1.0 },
        new object[] { new long[] { 5 }, 5L, 5L, 5.0 },
        new object[] { new long[] { 784, 256 }, 784L, 256L, 520.0 },
        new object[] { new long[] { 3, 16, 32 }, 48L, 96L, 72.0 },
        new object[] { new long[] { 3, 3, 64, 128 }, 576L, 1152L, 864.0 },
        new object[] { new long[] { 3, 3, 3, 16, 32 }, 432L, 864L, 648.0 },
    ];

    [TestCaseSource(nameof(SpecFans))]
    public void Compute_SpecTable_MatchesKeras(long[] shape, long fanIn, long fanOut, double average)
    {
        var (inFan, outFan) = Fans.Compute(shape);

        Assert.That((inFan, outFan), Is.EqualTo((fanIn, fanOut)));
        Assert.That((inFan + outFan) / 2.0, Is.EqualTo(average));
    }

    [Test]
    public void Compute_ExplicitAxes_MultipliesThoseDims()
    {
        Assert.That(Fans.Compute([512, 8, 64], [0], [1, 2]), Is.EqualTo((512L, 512L)));
        Assert.That(Fans.Compute([512, 8, 64], [-3], [-2, -1]), Is.EqualTo((512L, 512L)), "negative axes count from the end");
        Assert.That(Fans.Compute([512, 8, 64], [], [2]), Is.EqualTo((1L, 64L)), "an empty list gives 1");
    }

    [Test]
    public void Compute_OnlyOneAxisList_IsIgnored()
    {
        Assert.That(Fans.Compute([512, 8, 64], [0], null), Is.EqualTo((4096L, 32768L)));
        Assert.That(Fans.Compute([512, 8, 64], null, [1, 2]), Is.EqualTo((4096L, 32768L)));
    }

    [Test]
    public void Compute_AxisOutOfRange_ThrowsNamingTheList()
    {
        var e = Assert.Throws<ArgumentException>(() => Fans.Compute([4, 5], [2], [1]));

        Assert.That(e!.ParamName, Is.EqualTo("inputAxes"));
        Assert.That(e.Message, Does.Contain("Axis 2 in inputAxes is out of range for a shape of rank 2"));
    }

    [Test]
    public void Compute_ZeroDim_GivesZeroFan()
    {
        Assert.That(Fans.Compute([0, 7]), Is.EqualTo((0L, 7L)));
        Assert.That(new HeNormal(1).ScaledVariance([0, 7]), Is.EqualTo(2.0), "VarianceScaling guards with max(1, fan)");
    }

    // Spec §4's table of stddev / limit values, in double.
    private static readonly object[] SpecScales =
    [
        new object[] { new HeNormal(1), new long[] { 784, 64 }, 0.057419456326711804 },
        new object[] { new LecunNormal(1), new long[] { 784, 64 }, 0.040601686940662726 },
        new object[] { new GlorotNormal(1), new long[] { 784, 64 }, 0.05521018231864978 },
        new object[] { new HeNormal(1), new long[] { 3, 3, 64, 128 }, 0.06698936571449711 },
        new object[] { new HeUniform(1), new long[] { 784, 64 }, 0.08748177652797065 },
        new object[] { new LecunUniform(1), new long[] { 784, 64 }, 0.06185895741317419 },
        new object[] { new GlorotUniform(1), new long[] { 784, 64 }, 0.08411582311380664 },
        new object[] { new GlorotUniform(1), new long[] { 64, 10 }, 0.2847473987257497 },
        new object[] { new GlorotUniform(1), new long[] { 3, 3, 64, 128 }, 0.05892556509887896 },
    ];

    [TestCaseSource(nameof(SpecScales))]
    public void ScaledVariance_SpecTable_GivesKerasStdOrLimit(VarianceScaling initializer, long[] shape, double expected)
    {
        double s = initializer.ScaledVariance(shape);
        double actual = initializer.Distribution == "uniform" ? Math.Sqrt(3.0 * s) : Math.Sqrt(s) / VarianceScaling.TruncationCorrection;

        Assert.That(actual, Is.EqualTo(expected).Within(1).Ulps);
    }

    [Test]
    public void VarianceScaling_ExplicitAxes_UsedForScale()
    {
        var vs = new VarianceScaling(1.0, "fan_in", "uniform", 1, [0], [1, 2]);

        Assert.That(vs.ScaledVariance([512, 8, 64]), Is.EqualTo(1.0 / 512));
    }
}
