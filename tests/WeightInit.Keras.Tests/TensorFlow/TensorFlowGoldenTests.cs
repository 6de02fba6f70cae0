using System.Globalization;
using WeightInit.Keras.Random.TensorFlow;

namespace WeightInit.Keras.Tests.TensorFlow;

/// <summary>
/// Public TensorFlow CPU outputs (the ids G1–G12 of docs/backends.md, taken from TensorFlow docstrings, the
/// tensorflow.org API pages, TF-Java tests and Random123's known-answer table), matched to every printed digit.
/// numpy prints a float32 as the shortest decimal that round-trips it, cut at 8 decimals: values of 0.1 and up
/// print in full, so parsing the text gives the exact float back; smaller ones can be cut, so for them the test
/// prints the computed value the way numpy does and compares the text.
/// </summary>
[TestOf(typeof(StatelessRandom))]
public class TensorFlowGoldenTests
{
    private static float[] Floats(params string[] printed) =>
        [.. printed.Select(p => float.Parse(p, CultureInfo.InvariantCulture))];

    /// <summary>A float32 as numpy's default array printing shows it: shortest round-trip text, at most 8 decimals.</summary>
    internal static string NumpyText(float value)
    {
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        int point = shortest.IndexOf('.', StringComparison.Ordinal);
        if (!shortest.Contains('E', StringComparison.Ordinal) && (point < 0 || shortest.Length - point - 1 <= 8))
        {
            return shortest;
        }
        return ((double)value).ToString("F8", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
    }

    private static void AssertPrinted(float[] actual, params string[] printed) =>
        Assert.That(actual.Select(NumpyText), Is.EqualTo(printed));

    private static UInt128 Counter(uint c0, uint c1, uint c2, uint c3) =>
        new(((ulong)c3 << 32) | c2, ((ulong)c1 << 32) | c0);

    private static ulong Key(uint k0, uint k1) => ((ulong)k1 << 32) | k0;

    private static float[] Normal(int n, long seed0, long seed1)
    {
        var (key, counter) = StatelessRandom.GetKeyCounter(seed0, seed1);
        var values = new float[n];
        StatelessRandom.Normal(values, key, counter);
        return values;
    }

    // G12: Random123 kat_vectors for philox4x32_10 (counter words, key words -> output words).
    [TestCase(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Block_Random123KnownAnswers_Match(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint o0, uint o1, uint o2, uint o3)
    {
        var output = new uint[4];
        Philox4x32.Block(Counter(c0, c1, c2, c3), Key(k0, k1), output);
        Assert.That(output, Is.EqualTo(new[] { o0, o1, o2, o3 }));
    }

    [Test]
    public void Block_ShortOutput_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Philox4x32.Block(UInt128.Zero, 0, new uint[3]));
        Assert.That(ex!.ParamName, Is.EqualTo("output"));
        Assert.That(ex.Message, Does.Contain("4 words").And.Contain("length is 3"));
    }

    // Seed scramble examples of the spec: seed pair -> key (k0, k1), counter (0, 0, c2, c3).
    [TestCase(1L, 2L, 0x6d2f7fbau, 0x908502c9u, 0x619cb60bu, 0xf7734320u)]
    [TestCase(42L, 0L, 0x89e74cefu, 0x53939b05u, 0x8e9181c6u, 0xb2ca7bfau)]
    [TestCase(-1L, 0L, 0x0bd57250u, 0x34de98a7u, 0x8c589164u, 0x6ddf2994u)]
    public void GetKeyCounter_SeedPair_MatchesTensorFlowScramble(long s0, long s1, uint k0, uint k1, uint c2, uint c3)
    {
        var (key, counter) = StatelessRandom.GetKeyCounter(s0, s1);
        Assert.That(key, Is.EqualTo(Key(k0, k1)));
        Assert.That(counter, Is.EqualTo(Counter(0, 0, c2, c3)));
    }

    [Test]
    public void G1_StatelessSplit_RawWordsMatch()
    {
        // tf.random.experimental.stateless_split([1, 2], num=3): full-range int32 uniform of shape [3, 2].
        var (key, counter) = StatelessRandom.GetKeyCounter(1, 2);
        var words = new uint[6];
        Philox4x32.Fill(words, counter, key);
        int[] expected = [1105988140, 1738052849, -335576002, 370444179, 10670227, -246211131];
        Assert.That(words.Select(w => unchecked((int)w)), Is.EqualTo(expected));
    }

    [Test]
    public void G2_StatelessNormal_SplitSeed_Matches() =>
        Assert.That(Normal(3, 1105988140, 1738052849), Is.EqualTo(Floats("-0.59835213", "-0.9578608", "0.9002807")));

    [Test]
    public void NumpyText_SmallValue_IsCutAtEightDecimals()
    {
        // 0.0319719464… needs 9 decimals to round-trip; numpy shows 0.03197195, which parses to the next float up.
        float value = BitConverter.UInt32BitsToSingle(0x3D02F504);
        Assert.That(NumpyText(value), Is.EqualTo("0.03197195"));
        Assert.That(BitConverter.SingleToUInt32Bits(float.Parse("0.03197195", CultureInfo.InvariantCulture)), Is.EqualTo(0x3D02F505u));
        Assert.That(NumpyText(-1.3768897f), Is.EqualTo("-1.3768897"));
    }

    [Test]
    public void G3_StatelessNormal_FoldedSeed_Matches() =>
        AssertPrinted(Normal(3, 1105988140, 3), "0.03197195", "0.8979765", "0.13253039");

    [Test]
    public void G4_StatefulNormal_GlobalSeed5OpSeed1_Matches()
    {
        // tf.random.set_seed(5); tf.random.normal([2, 2], seed=1): key (5, 0), counter (0, 0, 1, 0), no scramble.
        var values = new float[4];
        StatelessRandom.Normal(values, Key(5, 0), Counter(0, 0, 1, 0));
        AssertPrinted(values, "-1.3768897", "-0.01258316", "-0.169515", "1.0824056");
    }

    [TestCase(1234u, new[] { "0.9356609", "1.0854305", "-0.93788373", "-0.5061547", "1.3169702", "0.7137579" }, TestName = "G5_GeneratorFromSeed1234Normal_Matches")]
    [TestCase(123u, new[] { "0.8673864", "-0.29899067", "-0.9310337", "-1.5828488", "1.2481191", "-0.6770643" }, TestName = "G6_GeneratorFromSeed123Normal_Matches")]
    public void GeneratorNormal_Matches(uint state, string[] printed)
    {
        // tf.random.Generator.from_seed(s): counter (s, 0, 0, 0), key 0.
        var values = new float[6];
        StatelessRandom.Normal(values, 0, Counter(state, 0, 0, 0));
        Assert.That(values, Is.EqualTo(Floats(printed)));
    }

    [Test]
    public void G7_GeneratorFromSeed1Normal_MatchesCpuValueAndGpuRunWithinOneUlp()
    {
        // The random-numbers guide printed Generator.from_seed(1).normal([2, 3]) from a GPU run, and the first
        // value again from a CPU replica (0.43842274); GPUs differ from CPUs by about 1 ulp in some normals.
        var values = new float[6];
        StatelessRandom.Normal(values, 0, Counter(1, 0, 0, 0));
        Assert.That(values[0], Is.EqualTo(float.Parse("0.43842274", CultureInfo.InvariantCulture)));
        float[] gpu = Floats("0.43842277", "-0.53439844", "-0.07710262", "1.5658045", "-0.1012345", "-0.2744976");
        for (int i = 0; i < gpu.Length; i++)
        {
            int distance = Math.Abs(BitConverter.SingleToInt32Bits(values[i]) - BitConverter.SingleToInt32Bits(gpu[i]));
            Assert.That(distance, Is.LessThanOrEqualTo(1), $"element {i}: {values[i]:R} vs GPU {gpu[i]:R}");
        }
    }

    [Test]
    public void G8_StatelessNormalSeed12_MatchesCpuValues()
    {
        // The guide's printed run was on a GPU; these are the CPU values (three of them printed there unchanged).
        Assert.That(Normal(6, 1, 2), Is.EqualTo(Floats("0.5441101", "0.20738031", "0.07356432", "0.04643455", "-1.3015898", "-0.9538565")));
    }

    [Test]
    public void G9_StatelessRandomBrightness_Matches()
    {
        // delta = stateless_uniform([], seed=(1, 2), minval=-0.2, maxval=0.2); image + delta in float32.
        var (key, counter) = StatelessRandom.GetKeyCounter(1, 2);
        float lo = -0.2f;
        float hi = 0.2f;
        var delta = new float[1];
        StatelessRandom.Uniform(delta, key, counter, hi - lo, lo);
        Assert.That(delta[0], Is.EqualTo(float.Parse("0.13762416", CultureInfo.InvariantCulture)));
        float[] brightened = [.. Enumerable.Range(1, 12).Select(x => x + delta[0])];
        Assert.That(brightened, Is.EqualTo(Floats("1.1376241", "2.1376243", "3.1376243", "4.1376243", "5.1376243", "6.1376243",
            "7.1376243", "8.137624", "9.137624", "10.137624", "11.137624", "12.137624")));
    }

    private const double FanInTwoVariance = 0.5;
    private const double TruncatedStd = 0.87962566103423978;

    private static float[] G11Float(Action<float[], ulong, UInt128> draw)
    {
        var (key, counter) = StatelessRandom.GetKeyCounter(1000, 0);
        var values = new float[4];
        draw(values, key, counter);
        return values;
    }

    [Test]
    public void G11_TfJavaFloatInitializers_Match()
    {
        Assert.Multiple(() =>
        {
            Assert.That(G11Float((v, k, c) => StatelessRandom.Uniform(v, k, c, 10f)),
                Is.EqualTo(Floats("7.5660157", "6.6877327", "9.200811", "5.385646")), "uniform·10");
            Assert.That(G11Float((v, k, c) => StatelessRandom.Normal(v, k, c, 3f)),
                Is.EqualTo(Floats("-1.955122", "-1.0945456", "-0.29379985", "-1.1886811")), "normal·3");
            Assert.That(G11Float((v, k, c) => StatelessRandom.TruncatedNormal(v, k, c, 3f)),
                Is.EqualTo(Floats("-1.955122", "-1.0945456", "-0.29379985", "-1.1886811")), "truncated·3");
            Assert.That(G11Float((v, k, c) => StatelessRandom.TruncatedNormal(v, k, c, (float)(Math.Sqrt(FanInTwoVariance) / TruncatedStd))),
                Is.EqualTo(Floats("-0.52388954", "-0.29329166", "-0.07872587", "-0.31851602")), "VarianceScaling truncated");
            Assert.That(G11Float((v, k, c) => StatelessRandom.Normal(v, k, c, (float)Math.Sqrt(FanInTwoVariance))),
                Is.EqualTo(Floats("-0.46082667", "-0.25798687", "-0.06924929", "-0.28017485")), "VarianceScaling untruncated");
            // TF-Java's VarianceScaling uniform multiplies u by the limit only (no shift).
            Assert.That(G11Float((v, k, c) => StatelessRandom.Uniform(v, k, c, (float)Math.Sqrt(3 * FanInTwoVariance))),
                Is.EqualTo(Floats("0.9266439", "0.8190767", "1.1268647", "0.6596042")), "VarianceScaling uniform");
        });
    }

    private static double[] G11Double(Action<double[], ulong, UInt128> draw)
    {
        var (key, counter) = StatelessRandom.GetKeyCounter(1000, 0);
        var values = new double[4];
        draw(values, key, counter);
        return values;
    }

    /// <summary>Distance in units in the last place between two doubles of the same sign.</summary>
    private static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    private static void AssertWithinOneUlp(double[] actual, double[] expected, string what)
    {
        // TF-Java printed these with Java's Double.toString, which before JDK 19 could print a decimal that
        // parses to a neighbouring double (JDK-4511638); so one ulp is allowed and no more.
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(Ulps(actual[i], expected[i]), Is.LessThanOrEqualTo(1), $"{what}[{i}]: {actual[i]:R} vs {expected[i]:R}");
        }
    }

    [Test]
    public void G11_TfJavaDoubleInitializers_MatchWithinOneUlp()
    {
        Assert.Multiple(() =>
        {
            AssertWithinOneUlp(G11Double((v, k, c) => StatelessRandom.Uniform(v, k, c, 10.0)),
                [0.5281258126492294, 3.6064922351122752, 0.5479556897864346, 5.126554100456142], "uniform·10");
            AssertWithinOneUlp(G11Double((v, k, c) => StatelessRandom.Normal(v, k, c, 3.0)),
                [5.58717960737721, -4.6606361225803825, -0.5743065932046001, -7.207274031929497], "normal·3");
            // The second pair is rejected-free but comes from 128 blocks later: this pins the per-group skip.
            AssertWithinOneUlp(G11Double((v, k, c) => StatelessRandom.TruncatedNormal(v, k, c, 3.0)),
                [5.58717960737721, -4.6606361225803825, -2.0188567598844402, 1.8179715736711362], "truncated·3");
        });
    }
}
