using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Keras.Tests.TensorFlow;

/// <summary>
/// Properties of the fill machinery: the same values whatever the thread count or SIMD path, and partial groups
/// computed as TensorFlow does (in full, then cut).
/// </summary>
[TestOf(typeof(StatelessRandom))]
public class StatelessRandomLayoutTests
{
    private const long Seed0 = 20_240_601;

    /// <summary>Three parallel chunks of 2048 groups of 4 floats, plus a partial group: every code path runs.</summary>
    private const int FloatLength = (3 * 2048 * 4) + 5;

    /// <summary>The same for double groups of 2, plus a partial group.</summary>
    private const int DoubleLength = (3 * 2048 * 2) + 1;

    /// <summary>A truncated-normal group of this stream whose first eight candidates hold five or more |z| ≥ 2.</summary>
    private const long GroupWithFiveRejections = 75_550;

    private static readonly (ulong Key, UInt128 Counter) Stream = StatelessRandom.GetKeyCounter(Seed0, 7);
    private static readonly Philox4x32.Counter Start = Philox4x32.Counter.From(Stream.Counter);
    private static readonly uint K0 = (uint)Stream.Key;
    private static readonly uint K1 = (uint)(Stream.Key >> 32);

    private static T[] Fill<T, TKernel>(int length, int groupSize, TKernel kernel, int? threads)
        where T : unmanaged
        where TKernel : struct, StatelessRandom.IKernel<T>
    {
        var values = new T[length];
        StatelessRandom.Run<T, TKernel>(values, groupSize, kernel, threads);
        return values;
    }

    private static void AssertThreadCountIndependent<T, TKernel>(int length, int groupSize, TKernel kernel)
        where T : unmanaged
        where TKernel : struct, StatelessRandom.IKernel<T>
    {
        var serial = Fill<T, TKernel>(length, groupSize, kernel, 1);
        Assert.That(Fill<T, TKernel>(length, groupSize, kernel, 2), Is.EqualTo(serial), "2 threads");
        Assert.That(Fill<T, TKernel>(length, groupSize, kernel, 3), Is.EqualTo(serial), "3 threads");
        Assert.That(Fill<T, TKernel>(length, groupSize, kernel, null), Is.EqualTo(serial), "thread pool");
    }

    [Test]
    public void Fill_AnyThreadCount_SameValues()
    {
        Assert.Multiple(() =>
        {
            AssertThreadCountIndependent<float, StatelessRandom.UniformFloat32>(FloatLength, 4, new(Start, K0, K1, 0.4f, -0.2f));
            AssertThreadCountIndependent<float, StatelessRandom.NormalFloat32>(FloatLength, 4, new(Start, K0, K1, 0.05f, 0f));
            AssertThreadCountIndependent<float, StatelessRandom.TruncatedFloat32>(FloatLength, 4, new(Start, K0, K1, 0.05f, 0f));
            AssertThreadCountIndependent<double, StatelessRandom.UniformFloat64>(DoubleLength, 2, new(Start, K0, K1, 0.4, -0.2));
            AssertThreadCountIndependent<double, StatelessRandom.NormalFloat64>(DoubleLength, 2, new(Start, K0, K1, 0.05, 0.0));
            AssertThreadCountIndependent<double, StatelessRandom.TruncatedFloat64>(DoubleLength, 2, new(Start, K0, K1, 0.05, 0.0));
        });
    }

    [Test]
    public void Fill_ChunkBoundaries_EqualElementwiseDefinition()
    {
        // Element i of a uniform float fill is word (i mod 4) of block i/4, whichever chunk it lands in.
        var values = Fill<float, StatelessRandom.UniformFloat32>(FloatLength, 4, new(Start, K0, K1, 1f, 0f), null);
        var block = new uint[4];
        foreach (int i in new[] { 0, 8191, 8192, 8193, 16384, FloatLength - 1 })
        {
            Philox4x32.Block(Start.Add((ulong)(i / 4)).ToUInt128(), Stream.Key, block);
            Assert.That(values[i], Is.EqualTo((block[i % 4] & 0x7FFFFF) * BoxMuller.Float32Step), $"element {i}");
        }
    }

    // The fill runs eight pairs at a time, then four, then one, as the hardware allows; the definition is one pair
    // at a time. 8192 + 29 values: a full chunk, then 16 + 8 + 4 values and a partial group, so every width runs.
    [TestCase(FloatLength)]
    [TestCase(8192 + 29)]
    public void NormalFill_EqualsScalarBoxMullerOnEveryElement(int length)
    {
        var values = Fill<float, StatelessRandom.NormalFloat32>(length, 4, new(Start, K0, K1, 1f, 0f), null);
        var block = new uint[4];
        for (int i = 0; i < values.Length; i++)
        {
            Philox4x32.Block(Start.Add((ulong)(i / 4)).ToUInt128(), Stream.Key, block);
            int pair = (i % 4) / 2;
            BoxMuller.Float32(block[2 * pair], block[(2 * pair) + 1], out float z0, out float z1);
            Assert.That(values[i], Is.EqualTo(i % 2 == 0 ? z0 : z1), $"element {i}");
        }
    }

    /// <summary>
    /// Group g of a truncated fill by definition: its own stream from block g·256 on, one pair at a time, keeping
    /// |z| &lt; 2 until it has four. Also returns how many candidates it read.
    /// </summary>
    private static (float[] Values, int Candidates) ReferenceTruncatedGroup(long g)
    {
        var kept = new List<float>();
        var block = new uint[4];
        int candidates = 0;
        for (ulong b = 0; kept.Count < 4; b++)
        {
            Philox4x32.Block(Start.Add(((ulong)g * 256) + b).ToUInt128(), Stream.Key, block);
            for (int pair = 0; pair < 2 && kept.Count < 4; pair++)
            {
                BoxMuller.Float32(block[2 * pair], block[(2 * pair) + 1], out float z0, out float z1);
                candidates += 2;
                kept.AddRange(new[] { z0, z1 }.Where(z => MathF.Abs(z) < 2f));
            }
        }
        return ([.. kept.Take(4)], candidates);
    }

    [Test]
    public void TruncatedFill_EqualsScalarRejectionOnEveryElement()
    {
        var values = Fill<float, StatelessRandom.TruncatedFloat32>(FloatLength, 4, new(Start, K0, K1, 1f, 0f), null);
        for (int g = 0; g * 4 < values.Length; g++)
        {
            var expected = ReferenceTruncatedGroup(g).Values;
            for (int j = 0; j < 4 && (g * 4) + j < values.Length; j++)
            {
                Assert.That(values[(g * 4) + j], Is.EqualTo(expected[j]), $"group {g}, value {j}");
            }
        }
    }

    [Test]
    public void TruncatedFill_GroupNeedingMoreThanTwoBlocks_ContinuesTheStream()
    {
        // The fill draws the first two blocks (eight candidates) of eight groups at once; this group keeps only
        // three of its eight, so its fourth value comes from its third block. It sits in the middle of the eight.
        const long First = GroupWithFiveRejections - 3;
        Assert.That(ReferenceTruncatedGroup(GroupWithFiveRejections).Candidates, Is.GreaterThan(8), "the group must run past its first two blocks");
        var values = new float[8 * 4];
        new StatelessRandom.TruncatedFloat32(Start, K0, K1, 1f, 0f).Fill(values, First);
        for (int g = 0; g < 8; g++)
        {
            Assert.That(values[(g * 4)..((g * 4) + 4)], Is.EqualTo(ReferenceTruncatedGroup(First + g).Values), $"group {First + g}");
        }
    }

    [TestCase(0u, 0u, TestName = "FillBlocks_VectorPath_EqualsScalar")]
    [TestCase(0xFFFFFFF0u, 0xFFFFFFFFu, TestName = "FillBlocks_CounterCarryAcrossWords_EqualsScalar")]
    public void FillBlocks_VectorAndScalarAgree(uint c0, uint c1)
    {
        // 37 blocks and 2 words: the 8-block SIMD batches, the one-block loop and a cut final block all run; near
        // the top of word 0 the SIMD path must hand over to the scalar one before the carry.
        var start = new Philox4x32.Counter(c0, c1, 0xFFFFFFFF, 5);
        var vector = new uint[(37 * 4) + 2];
        var scalar = new uint[vector.Length];
        Philox4x32.FillBlocks(vector, start, K0, K1, allowVector: true);
        Philox4x32.FillBlocks(scalar, start, K0, K1, allowVector: false);
        Assert.That(vector, Is.EqualTo(scalar));
        var last = new uint[4];
        Philox4x32.Block(start.Add(36).ToUInt128(), Stream.Key, last);
        Assert.That(scalar[(36 * 4)..(37 * 4)], Is.EqualTo(last));
    }

    [Test]
    public void CounterAdd_CarriesIntoUpperWords()
    {
        var c = new Philox4x32.Counter(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0);
        Assert.That(c.Add(1), Is.EqualTo(new Philox4x32.Counter(0, 0, 0, 1)));
        Assert.That(c.Add(1).ToUInt128(), Is.EqualTo(c.ToUInt128() + 1));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void PartialGroup_IsPrefixOfFullGroup(int length)
    {
        // TensorFlow computes a final partial group in full and keeps its first values.
        var (key, counter) = Stream;
        var full = new float[4];
        var part = new float[length];
        StatelessRandom.Normal(full, key, counter);
        StatelessRandom.Normal(part, key, counter);
        Assert.That(part, Is.EqualTo(full[..length]));
        StatelessRandom.TruncatedNormal(full, key, counter);
        StatelessRandom.TruncatedNormal(part, key, counter);
        Assert.That(part, Is.EqualTo(full[..length]));
        var fullDouble = new double[2];
        var oneDouble = new double[1];
        StatelessRandom.Normal(fullDouble, key, counter);
        StatelessRandom.Normal(oneDouble, key, counter);
        Assert.That(oneDouble[0], Is.EqualTo(fullDouble[0]));
    }

    [Test]
    public void TruncatedNormal_LargeFill_StaysInsideOpenInterval()
    {
        // An exact check: rejection keeps |z| < 2 strictly, before scaling by 0.5 (exact in float).
        var values = new float[256 * 512];
        StatelessRandom.TruncatedNormal(values, Stream.Key, Stream.Counter, 0.5f);
        Assert.That(values.Max(), Is.LessThan(1.0f));
        Assert.That(values.Min(), Is.GreaterThan(-1.0f));
    }

    [Test]
    public void Normal_LargeFill_HasUnitVariance()
    {
        // n = 131072 standard normals: SE of the mean is 1/√n; of the variance √(2/n) (κ = 0); of the excess
        // kurtosis √(24/n). All three within 5 SE; the kurtosis check would reject a uniform (κ = −1.2).
        const double Z = 5;
        var values = new double[256 * 512];
        var floats = new float[values.Length];
        StatelessRandom.Normal(floats, Stream.Key, Stream.Counter);
        for (int i = 0; i < floats.Length; i++)
        {
            values[i] = floats[i];
        }
        int n = values.Length;
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double kurtosis = (values.Sum(v => Math.Pow(v - mean, 4)) / n / (variance * variance)) - 3;
        Assert.That(mean, Is.EqualTo(0).Within(Z / Math.Sqrt(n)), $"seed=({Seed0}, 7)");
        Assert.That(variance, Is.EqualTo(1).Within(Z * Math.Sqrt(2.0 / n)), $"seed=({Seed0}, 7)");
        Assert.That(kurtosis, Is.EqualTo(0).Within(Z * Math.Sqrt(24.0 / n)), $"seed=({Seed0}, 7)");
    }
}
