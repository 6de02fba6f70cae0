using System.Numerics;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;
using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Keras.Tests.TensorFlow;

/// <summary>
/// Keras 3 on TensorFlow, at the level of <c>keras.random.*</c> and the initializers: the reference vectors of
/// docs/backends.md (computed from TensorFlow's published algorithm, given as float32 bit patterns).
/// </summary>
[TestOf(typeof(TensorFlowBackend))]
public class KerasTensorFlowReferenceTests
{
    private const long KerasSeed = 42;

    private static uint[] Bits(Tensor t)
    {
        using (t)
        {
            return [.. t.data<float>().ToArray().Select(BitConverter.SingleToUInt32Bits)];
        }
    }

    private static uint[] Bits(params float[] values) => [.. values.Select(BitConverter.SingleToUInt32Bits)];

    [Test]
    public void Uniform_Seed42_MatchesReference() =>
        Assert.That(Bits(TensorFlowBackend.Uniform([2, 3], 0.0, 1.0, ScalarType.Float32, KerasSeed)),
            Is.EqualTo(new uint[] { 0x3e909b14, 0x3eff3080, 0x3f37284a, 0x3ca57ec0, 0x3da0f810, 0x3f206632 }));

    [Test]
    public void Normal_Seed42_MatchesReference() =>
        Assert.That(Bits(TensorFlowBackend.Normal([2, 3], 0.0, 1.0, ScalarType.Float32, KerasSeed)),
            Is.EqualTo(new uint[] { 0x3c8192d0, 0xbfcb87f8, 0x3dd42955, 0x3f4fce95, 0xbfce201d, 0xbfca2019 }));

    [Test]
    public void TruncatedNormal_Seed42_SecondGroupStarts256BlocksLater() =>
        Assert.That(Bits(TensorFlowBackend.TruncatedNormal([2, 3], 0.0, 1.0, ScalarType.Float32, KerasSeed)),
            Is.EqualTo(new uint[] { 0x3c8192d0, 0xbfcb87f8, 0x3dd42955, 0x3f4fce95, 0xbcaf5f84, 0x3df1d255 }));

    [Test]
    public void TruncatedNormal_Seed5_RejectsFirstCandidate()
    {
        // stateless_normal([8], seed=[5, 0]) starts with -2.0553784, which truncated_normal must skip.
        var (key, counter) = StatelessRandom.GetKeyCounter(5, 0);
        var normal = new float[8];
        StatelessRandom.Normal(normal, key, counter);
        var truncated = new float[4];
        StatelessRandom.TruncatedNormal(truncated, key, counter);
        Assert.That(BitConverter.SingleToUInt32Bits(normal[0]), Is.EqualTo(0xc0038b52u));
        Assert.That(Bits(truncated), Is.EqualTo(new uint[] { 0x3f943f7f, 0x3e44350d, 0xbe04e4c3, 0x3f682723 }));
        Assert.That(truncated, Is.EqualTo(normal[1..5]));
    }

    [Test]
    public void Uniform_NegativeSeed_IsSignExtendedInt32()
    {
        uint[] bits = Bits(TensorFlowBackend.Uniform([4], 0.0, 1.0, ScalarType.Float32, -1));
        Assert.That(bits[0], Is.EqualTo(0x3f548d9cu));
        Assert.That(Bits(TensorFlowBackend.Uniform([4], 0.0, 1.0, ScalarType.Float32, -1)),
            Is.EqualTo(Bits(0.8302858f, 0.3581437f, 0.18189871f, 0.7871895f)));
    }

    [Test]
    public void Uniform_SeedGenerator_SecondDrawUsesCounterOne()
    {
        var generator = new SeedGenerator(KerasSeed);
        using var first = TensorFlowBackend.Uniform([4], 0.0, 1.0, ScalarType.Float32, generator);
        uint[] second = Bits(TensorFlowBackend.Uniform([4], 0.0, 1.0, ScalarType.Float32, generator));
        Assert.That(second, Is.EqualTo(Bits(0.5280031f, 0.24338412f, 0.37702918f, 0.12051892f)));
        Assert.That(second[0], Is.EqualTo(0x3f072b36u));
        Assert.That(generator.State, Is.EqualTo((42, 2)));
    }

    [Test]
    public void DrawSeed_IntegerSeed_KeepsLow32Bits()
    {
        Assert.That(TensorFlowBackend.DrawSeed(Seed.Of((BigInteger.One << 32) + KerasSeed)), Is.EqualTo((42, 0)));
        Assert.That(TensorFlowBackend.DrawSeed(Seed.Of(uint.MaxValue)), Is.EqualTo((-1, 0)));
        Assert.That(TensorFlowBackend.DrawSeed(Seed.Of(long.MinValue)), Is.EqualTo((0, 0)));
    }

    [Test]
    public void DrawSeed_SeedOutsideInt64_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TensorFlowBackend.DrawSeed(Seed.Of(BigInteger.One << 63)));
        Assert.That(ex!.ParamName, Is.EqualTo("seed"));
        Assert.That(ex.Message, Does.Contain("int64").And.Contain("seed=9223372036854775808"));
    }

    [Test]
    public void GlorotUniform_Seed42_MatchesReference() =>
        Assert.That(Bits(new GlorotUniform(seed: KerasSeed).Call([3, 4], null, RandomBackend.TensorFlow)), Is.EqualTo(new uint[]
        {
            0xbece4314, 0xbb401c00, 0x3ecc4364, 0xbf636f0c, 0xbf47c0bc, 0x3e6ff778,
            0x3ef1bfa0, 0xbf1ae82c, 0xbf2fff62, 0xbf540b08, 0x3f51c484, 0xbeff8ad3,
        }));

    [Test]
    public void HeNormal_Seed42_MatchesReference() =>
        Assert.That(Bits(new HeNormal(seed: KerasSeed).Call([3, 4], null, RandomBackend.TensorFlow)), Is.EqualTo(new uint[]
        {
            0x3c708c6a, 0xbfbcec91, 0x3dc4ef5e, 0x3f40e49f, 0xbca2c973, 0x3de0776f,
            0xbbaa4529, 0xbe09a1ac, 0xbd3378f2, 0x3f74af8a, 0xbebe8d36, 0x3de40618,
        }));

    [Test]
    public void RandomNormal_Seed42_MatchesReference() =>
        Assert.That(Bits(new RandomNormal(seed: KerasSeed).Call([3, 4], null, RandomBackend.TensorFlow)), Is.EqualTo(new uint[]
        {
            0x3a4f514d, 0xbda2d32d, 0x3ba9baab, 0x3d263ede, 0xbda4e67e, 0xbda1b347,
            0x3d080352, 0x3c8e7d41, 0x3d06c02a, 0x3dc419fd, 0x3c8bdd71, 0x3b0a2023,
        }));

    [Test]
    public void RandomUniform_Seed42_MatchesReference() =>
        Assert.That(Bits(new RandomUniform(seed: KerasSeed).Call([3, 4], null, RandomBackend.TensorFlow)), Is.EqualTo(new uint[]
        {
            0xbcb23b13, 0xb9260000, 0x3cb080ee, 0xbd448677, 0xbd2c9b30, 0x3c4f5adc,
            0x3cd0e506, 0xbd05dada, 0xbd18144d, 0xbd3739e7, 0x3d35428d, 0xbcdcd053,
        }));

    [Test]
    public void RandomNormal_Float64Seed1000_MatchesTfJavaDoubleWithinOneUlp()
    {
        // G11's double normal·3 with the seed pair [1000, 0]: what Keras's int seed 1000 becomes.
        using var t = new RandomNormal(stddev: 3.0, seed: 1000).Call([2, 2], ScalarType.Float64, RandomBackend.TensorFlow);
        double[] actual = t.data<double>().ToArray();
        double[] expected = [5.58717960737721, -4.6606361225803825, -0.5743065932046001, -7.207274031929497];
        for (int i = 0; i < 4; i++)
        {
            long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(actual[i]) - BitConverter.DoubleToInt64Bits(expected[i]));
            Assert.That(ulps, Is.LessThanOrEqualTo(1), $"element {i}: {actual[i]:R} vs {expected[i]:R}");
        }
    }

    [Test]
    public void Orthogonal_TensorFlowBackend_IsOrthonormalAndDiffersFromTorch()
    {
        // Q^T Q = I up to float32 rounding of a 64-term dot product: 1e-5 is about 80 float32 ulps of 1.
        const double Tolerance = 1e-5;
        using var q = new Orthogonal(seed: KerasSeed).Call([64, 32], null, RandomBackend.TensorFlow);
        using var torchQ = new Orthogonal(seed: KerasSeed).Call([64, 32], null, RandomBackend.PyTorch);
        using var gram = q.t().matmul(q);
        using var identity = eye(32);
        Assert.That(gram.sub(identity).abs().max().item<float>(), Is.LessThan(Tolerance));
        Assert.That(q.allclose(torchQ), Is.False);
    }

    [Test]
    public void Normal_IntegerDtype_ThrowsNotSupported()
    {
        var ex = Assert.Throws<NotSupportedException>(() => TensorFlowBackend.Normal([2], 0.0, 1.0, ScalarType.Int32, KerasSeed));
        Assert.That(ex!.Message, Does.Contain("float32, float64, float16 and bfloat16").And.Contain("Int32"));
    }

    private static float[] Float32Normal(int n, bool truncated)
    {
        using var t = truncated
            ? TensorFlowBackend.TruncatedNormal([n], 0.0, 1.0, ScalarType.Float32, KerasSeed)
            : TensorFlowBackend.Normal([n], 0.0, 1.0, ScalarType.Float32, KerasSeed);
        return t.data<float>().ToArray();
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Float16Normal_IsFloat32NormalRoundedToHalf(bool truncated)
    {
        // TensorFlow computes half normals in float and converts each (round to nearest even); times 1 plus 0 is exact.
        float[] reference = Float32Normal(37, truncated);
        using var t = truncated
            ? TensorFlowBackend.TruncatedNormal([37], 0.0, 1.0, ScalarType.Float16, KerasSeed)
            : TensorFlowBackend.Normal([37], 0.0, 1.0, ScalarType.Float16, KerasSeed);
        using var asFloat = t.to_type(ScalarType.Float32);
        Assert.That(asFloat.data<float>().ToArray(), Is.EqualTo(reference.Select(v => (float)(Half)v).ToArray()));
    }

    [Test]
    public void BFloat16Normal_IsFloat32NormalRoundedToNearestEven()
    {
        float[] reference = Float32Normal(37, truncated: false);
        using var t = TensorFlowBackend.Normal([37], 0.0, 1.0, ScalarType.BFloat16, KerasSeed);
        using var asFloat = t.to_type(ScalarType.Float32);
        // Round to nearest, ties to even, on the top 16 bits (no NaN here).
        float[] expected = [.. reference.Select(v =>
        {
            uint bits = BitConverter.SingleToUInt32Bits(v);
            bits += 0x7FFFu + ((bits >> 16) & 1u);
            return BitConverter.UInt32BitsToSingle(bits & 0xFFFF0000u);
        })];
        Assert.That(asFloat.data<float>().ToArray(), Is.EqualTo(expected));
    }

    [TestCase(ScalarType.Float16, 0x3FFu, 1024f)]
    [TestCase(ScalarType.BFloat16, 0x7Fu, 128f)]
    public void SixteenBitUniform_UsesLowMantissaBitsOfEachWord(ScalarType dtype, uint mask, float steps)
    {
        var (key, counter) = StatelessRandom.GetKeyCounter(KerasSeed, 0);
        var words = new uint[37];
        Philox4x32.Fill(words, counter, key);
        using var t = TensorFlowBackend.Uniform([37], 0.0, 1.0, dtype, KerasSeed);
        using var asFloat = t.to_type(ScalarType.Float32);
        Assert.That(asFloat.data<float>().ToArray(), Is.EqualTo(words.Select(w => (w & mask) / steps).ToArray()));
    }

    [Test]
    public void Float16RandomNormal_AffineStepIsInHalf()
    {
        float[] z = Float32Normal(12, truncated: false);
        using var t = new RandomNormal(seed: KerasSeed).Call([3, 4], ScalarType.Float16, RandomBackend.TensorFlow);
        using var asFloat = t.to_type(ScalarType.Float32);
        Half stddev = (Half)0.05;
        float[] expected = [.. z.Select(v => (float)(((Half)v * stddev) + (Half)0.0))];
        Assert.That(asFloat.data<float>().ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Float64Uniform_BoundsGoThroughFloat32LikeTfCast()
    {
        var (key, counter) = StatelessRandom.GetKeyCounter(KerasSeed, 0);
        var u = new double[6];
        StatelessRandom.Uniform(u, key, counter);
        double lo = -0.05f;
        double hi = 0.05f;
        using var t = TensorFlowBackend.Uniform([6], -0.05, 0.05, ScalarType.Float64, KerasSeed);
        Assert.That(t.data<double>().ToArray(), Is.EqualTo(u.Select(v => (v * (hi - lo)) + lo).ToArray()));
        Assert.That(t.data<double>().ToArray(), Is.Not.EqualTo(u.Select(v => (v * 0.1) - 0.05).ToArray()));
    }

    [Test]
    public void Uniform_ScalarShapeWithSeedPair12_IsG9Delta()
    {
        // SeedGenerator(1) after two draws hands out the pair [1, 2], the seed of G9's brightness delta.
        var generator = new SeedGenerator(1);
        generator.Next();
        generator.Next();
        using var delta = TensorFlowBackend.Uniform([], -0.2, 0.2, ScalarType.Float32, generator);
        Assert.That(delta.shape, Is.Empty);
        Assert.That(delta.item<float>(), Is.EqualTo(float.Parse("0.13762416", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Normal_TensorOver2GiB_ThrowsBeforeAllocating()
    {
        var ex = Assert.Throws<NotSupportedException>(() => TensorFlowBackend.Normal([1 << 20, 1 << 10], 0.0, 1.0, ScalarType.Float32, KerasSeed));
        Assert.That(ex!.Message, Does.Contain("2147483647 bytes").And.Contain("(1048576, 1024)").And.Contain("4294967296"));
    }

    [Test]
    public void ZeroSizeShape_ReturnsEmptyTensor()
    {
        using var t = TensorFlowBackend.Normal([0, 3], 0.0, 1.0, ScalarType.Float32, KerasSeed);
        Assert.That(t.shape, Is.EqualTo(new long[] { 0, 3 }));
    }
}
