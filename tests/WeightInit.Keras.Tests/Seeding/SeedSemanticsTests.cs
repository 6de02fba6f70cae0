using System.Numerics;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;
using WeightInit.Keras.Tests.Parity;

namespace WeightInit.Keras.Tests.Seeding;

/// <summary>Keras's seed rules on the torch backend (spec §6): int seeds, SeedGenerator, set_random_seed.</summary>
[TestOf(typeof(Seed))]
[NonParallelizable]
public class SeedSemanticsTests
{
    private const long LargestSeedFirstDraw = 682209859;

    private static readonly BigInteger TwoTo32 = BigInteger.One << 32;

    // random.seed(s) then three random.randint(1, 10**9) in CPython 3.11; the first four rows are the spec's §6.3
    // table, -42 shows that the sign is dropped, the last two use keys of three and two 32-bit words.
    private static readonly object[] CPythonRandInt =
    [
        new object[] { "0", new long[] { 906691060, 413654000, 813847340 } },
        new object[] { "1", new long[] { 144272510, 611178003, 909925048 } },
        new object[] { "42", new long[] { 686579304, 119540832, 26855093 } },
        new object[] { "1337", new long[] { 663307073, 993786079, 572589546 } },
        new object[] { "-42", new long[] { 686579304, 119540832, 26855093 } },
        new object[] { "18446744073709551623", new long[] { 91134244, 351383240, 51794169 } },
        new object[] { "-1099511627779", new long[] { 235994612, 65318285, 589987605 } },
    ];

    [TestCaseSource(nameof(CPythonRandInt))]
    public void PythonRandom_RandInt1To1e9_MatchesCPython(string seed, long[] expected)
    {
        var random = new PythonRandom(BigInteger.Parse(seed, System.Globalization.CultureInfo.InvariantCulture));
        long[] drawn = [random.RandInt(1, 1_000_000_000), random.RandInt(1, 1_000_000_000), random.RandInt(1, 1_000_000_000)];
        Assert.That(drawn, Is.EqualTo(expected), $"random.seed({seed})");
    }

    [Test]
    public void PythonRandom_Seed42_FirstRawWordMatchesCPython()
    {
        // Spec §6.3 cross-check: getrandbits(32) after random.seed(42).
        Assert.That(new PythonRandom(42).NextUInt32(), Is.EqualTo(2746317213u));
    }

    [Test]
    public void SetRandomSeed_UnseededInitializers_DrawInConstructionOrder()
    {
        KerasRandom.SetRandomSeed(42);
        var first = new HeNormal();
        var second = new RandomUniform();
        var generator = new SeedGenerator();
        var fourth = new Orthogonal();

        Assert.Multiple(() =>
        {
            Assert.That(first.InitialSeed, Is.Null);
            Assert.That(first.Seed.Value, Is.EqualTo(new BigInteger(686579304)));
            Assert.That(second.Seed.Value, Is.EqualTo(new BigInteger(119540832)));
            Assert.That(generator.InitialSeed, Is.Null);
            Assert.That(generator.State, Is.EqualTo((26855093, 0)));
            Assert.That(fourth.Seed.Value, Is.Not.EqualTo(first.Seed.Value));
        });
    }

    [TestCase(-1L)]
    [TestCase(1L << 32)]
    public void SetRandomSeed_OutsideNumPyRange_ThrowsAndKeepsTheSource(long seed)
    {
        KerasRandom.SetRandomSeed(42);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => KerasRandom.SetRandomSeed(seed));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo("seed"));
            Assert.That(ex.Message, Does.Contain($"seed={seed}").And.Contain("between 0 and 2**32 - 1"));
            Assert.That(KerasRandom.MakeDefaultSeed(), Is.EqualTo(686579304), "the seed-42 stream goes on");
        });
    }

    [Test]
    public void SetRandomSeed_LargestAllowed_SeedsLikeCPython()
    {
        // random.seed(2**32 - 1); random.randint(1, 10**9) in CPython 3.11.
        KerasRandom.SetRandomSeed(uint.MaxValue);
        Assert.That(KerasRandom.MakeDefaultSeed(), Is.EqualTo(LargestSeedFirstDraw));
    }

    [Test]
    public void SetRandomSeed_SameSeedTwice_GivesTheSameWeights()
    {
        const long GlobalSeed = 1337;
        KerasRandom.SetRandomSeed(GlobalSeed);
        using var a = new GlorotUniform().Call([8, 4]);
        KerasRandom.SetRandomSeed(GlobalSeed);
        using var b = new GlorotUniform().Call([8, 4]);
        using var c = new GlorotUniform().Call([8, 4]);

        Assert.Multiple(() =>
        {
            Assert.That(Golden.Sha256(b), Is.EqualTo(Golden.Sha256(a)), "same global seed, same first draw");
            Assert.That(Golden.Sha256(c), Is.Not.EqualTo(Golden.Sha256(a)), "the next construction draws a new seed");
        });
    }

    [Test]
    public void UnseededInitializer_AfterSetRandomSeed_EqualsTheIntSeedItDrew()
    {
        KerasRandom.SetRandomSeed(42);
        var unseeded = new HeNormal();
        using var drawn = unseeded.Call([784, 64]);
        var golden = Golden.Cases.Single(c => c.Initializer == "he_normal" && c.Shape.SequenceEqual(new long[] { 784, 64 }));
        using var seeded = new HeNormal(seed: 686579304).Call([784, 64]);

        Assert.Multiple(() =>
        {
            Assert.That(Golden.Sha256(drawn), Is.EqualTo(Golden.Sha256(seeded)));
            Assert.That(Golden.Sha256(drawn), Is.Not.EqualTo(golden.Sha256Le), "seed 686579304 is not the golden's seed 42");
        });
    }

    [Test]
    public void IntSeed_EveryCall_GivesIdenticalValues()
    {
        const long IntSeed = 5;
        var initializer = new RandomNormal(seed: IntSeed);
        using var a = initializer.Call([3, 7]);
        using var b = initializer.Call([3, 7]);
        using var c = initializer.Call([3, 7]);
        Assert.That(new[] { Golden.Sha256(b), Golden.Sha256(c) }, Is.All.EqualTo(Golden.Sha256(a)));
    }

    [Test]
    public void SeedGenerator_Ordered_ReturnsSeedThenCounts()
    {
        var generator = new SeedGenerator(7);
        var states = Enumerable.Range(0, 4).Select(_ => generator.Next()).ToArray();
        Assert.That(states, Is.EqualTo(new[] { (7, 0), (7, 1), (7, 2), (7, 3) }));
    }

    [Test]
    public void SeedGenerator_TorchSeeds_AreSeedPlusCallIndex()
    {
        var seed = Seed.Of(new SeedGenerator(7));
        ulong[] torchSeeds = [seed.NextTorchSeed(), seed.NextTorchSeed(), seed.NextTorchSeed()];
        Assert.That(torchSeeds, Is.EqualTo(new ulong[] { 7, 8, 9 }));
    }

    [Test]
    public void SeedGenerator_AtInt32Max_SumWrapsToTwoTo31()
    {
        // a + b is an int32 tensor add on torch: 2^31-1 + 1 wraps to -2^31, and & 0xFFFFFFFF gives 2^31.
        var seed = Seed.Of(new SeedGenerator(int.MaxValue));
        ulong[] torchSeeds = [seed.NextTorchSeed(), seed.NextTorchSeed()];
        Assert.That(torchSeeds, Is.EqualTo(new ulong[] { int.MaxValue, 1UL << 31 }));
    }

    [Test]
    public void SeedGeneratorInitializer_SecondCall_EqualsIntSeedPlusOne()
    {
        var golden = Golden.Cases.Single(c => c.Initializer == "random_normal" && c.Seed == 7);
        var initializer = Golden.Create(golden.Initializer, golden.Config, new SeedGenerator(6));
        using var first = initializer.Call(golden.Shape);
        using var second = initializer.Call(golden.Shape);
        using var third = initializer.Call(golden.Shape);
        using var intSeed8 = Golden.Create(golden.Initializer, golden.Config, 8).Call(golden.Shape);

        Assert.Multiple(() =>
        {
            Assert.That(Golden.Sha256(second), Is.EqualTo(golden.Sha256Le), "call 1 of SeedGenerator(6) is seed 7");
            Assert.That(Golden.Sha256(third), Is.EqualTo(Golden.Sha256(intSeed8)), "call 2 of SeedGenerator(6) is seed 8");
            Assert.That(Golden.Sha256(first), Is.Not.EqualTo(golden.Sha256Le), "call 0 is seed 6");
        });
    }

    // Values from Python: state -> ((state + 1) * 5387) wrapped to int32, then Python's floor-mod 933199.
    // 1000000 and int.MaxValue overflow int32 (unwrapped they give 580759 and 621575); -2 needs floor modulo
    // (C#'s % gives -5387).
    [TestCase(7, 43096, 730187)]
    [TestCase(1_000_000, 195261, 161121)]
    [TestCase(-2, 927812, 462488)]
    [TestCase(int.MaxValue, 740450, 864712)]
    public void SeedGenerator_Unordered_ScramblesBothEntriesWithInt32WrapAndFloorMod(int seed, int second, int third)
    {
        var generator = new SeedGenerator(seed);
        var states = Enumerable.Range(0, 3).Select(_ => generator.Next(ordered: false)).ToArray();
        Assert.That(states, Is.EqualTo(new[] { (seed, 0), (second, 5387), (third, 95987) }));
    }

    [TestCase(2L)]
    [TestCase(-1L)]
    [TestCase(3L)]
    public void IntSeed_ShiftedByMultiplesOfTwoTo32_GivesTheGoldenBits(long multiple)
    {
        // Keras reduces an int seed mod 2^32 before seeding torch, so s, s ± 2^32, s + 3·2^32 are one stream.
        foreach (var c in Golden.Cases.Where(c => c.Initializer is not ("zeros" or "constant" or "identity" or "orthogonal")))
        {
            var shifted = c.Seed + multiple * TwoTo32;
            using var actual = Golden.Create(c.Initializer, c.Config, Seed.Of(shifted)).Call(c.Shape, DTypes.Parse(c.DType));
            Assert.That(Golden.Sha256(actual), Is.EqualTo(c.Sha256Le), $"{c.Label} with seed {shifted}");
        }
    }

    [Test]
    public void NegativeSeed_IsItsTwoComplementWord()
    {
        var golden = Golden.Cases.Single(c => c.Seed.Sign < 0);
        using var viaWord = Golden.Create(golden.Initializer, golden.Config, Seed.Of(TwoTo32 + golden.Seed)).Call(golden.Shape);
        Assert.Multiple(() =>
        {
            Assert.That(Seed.Of(golden.Seed).NextTorchSeed(), Is.EqualTo((ulong)(TwoTo32 + golden.Seed)));
            Assert.That(Golden.Sha256(viaWord), Is.EqualTo(golden.Sha256Le), golden.Label);
        });
    }
}
