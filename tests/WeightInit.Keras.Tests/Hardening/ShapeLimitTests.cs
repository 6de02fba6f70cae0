using WeightInit.Keras.Initializers;

namespace WeightInit.Keras.Tests.Hardening;

/// <summary>Shapes the engine cannot hold fail in <see cref="Initializer.Call"/> with an ArgumentException, not a native error.</summary>
[TestOf(typeof(Initializer))]
public class ShapeLimitTests
{
    private const int Seed = 1234;

    [Test]
    public void Call_65Dimensions_ThrowsNamingTheLimit()
    {
        long[] shape = [.. Enumerable.Repeat(1L, 65)];

        var e = Assert.Throws<ArgumentException>(() => new Zeros().Call(shape));

        Assert.That(e!.ParamName, Is.EqualTo("shape"));
        Assert.That(e.Message, Does.StartWith($"A shape may have at most 64 dimensions; received shape=({string.Join(", ", shape)}) with 65."));
    }

    [Test]
    public void Call_100Dimensions_RandomInitializer_Throws()
    {
        long[] shape = [.. Enumerable.Repeat(1L, 100)];

        var e = Assert.Throws<ArgumentException>(() => new RandomNormal(seed: Seed).Call(shape));

        Assert.That(e!.Message, Does.Contain("at most 64 dimensions").And.Contain("with 100"));
    }

    [Test]
    public void Call_64Dimensions_IsTheLargestRankAllowed()
    {
        long[] shape = [.. Enumerable.Repeat(1L, 64)];

        using var t = new Ones().Call(shape);

        Assert.That(t.shape, Is.EqualTo(shape));
        Assert.That(t.item<float>(), Is.EqualTo(1f));
    }

    [TestCase(new long[] { 10_000_000_000, 10_000_000_000 })]
    [TestCase(new long[] { 4, 4, long.MaxValue / 8 })]
    [TestCase(new long[] { 0, 10_000_000_000, 10_000_000_000 })]
    public void Call_DimensionProductOverflowsLong_ThrowsNamingShapeAndLimit(long[] shape)
    {
        var e = Assert.Throws<ArgumentException>(() => new HeNormal(seed: Seed).Call(shape));

        Assert.That(e!.ParamName, Is.EqualTo("shape"));
        Assert.That(e.Message, Does.StartWith(
            $"The dimensions of shape=({string.Join(", ", shape)}) multiply to more than a 64-bit integer holds " +
            "(at most 9223372036854775807; a 0 counts as 1, as in the engine's strides)."));
    }

    [Test]
    public void Call_MoreBytesThanMemory_ThrowsWithByteCount()
    {
        // 10^18 float32 values need 4·10^18 bytes: the count fits a long, no machine holds the bytes.
        long[] shape = [1_000_000_000, 1_000_000_000];

        var e = Assert.Throws<ArgumentException>(() => new RandomUniform(seed: Seed).Call(shape));

        Assert.That(e!.ParamName, Is.EqualTo("shape"));
        Assert.That(e.Message, Does.StartWith("shape=(1000000000, 1000000000) of float32 needs 4000000000000000000 bytes; at most "));
        Assert.That(e.Message, Does.Contain("(the memory available to this process) are allowed."));
    }

    [Test]
    public void Call_Float64DoublesTheBytesNeeded()
    {
        long[] shape = [1_000_000_000, 1_000_000_000];

        var e = Assert.Throws<ArgumentException>(() => new Zeros().Call(shape, ScalarType.Float64));

        Assert.That(e!.Message, Does.StartWith("shape=(1000000000, 1000000000) of float64 needs 8000000000000000000 bytes"));
    }

    [Test]
    public void Call_ZeroDimensionBesideLargeOnes_GivesAnEmptyTensor()
    {
        // 10^18 values if the 0 were a 1: far beyond memory, but an empty tensor needs none.
        long[] shape = [1_000_000_000, 0, 1_000_000_000];

        using var t = new Zeros().Call(shape);

        Assert.That(t.shape, Is.EqualTo(shape));
        Assert.That(t.numel(), Is.Zero);
    }

    [Test]
    public void Call_NegativeDimension_StillRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Zeros().Call([3, -1]));

        Assert.That(e!.Message, Does.StartWith("Shape dimensions must be non-negative; received shape=(3, -1)."));
    }
}
