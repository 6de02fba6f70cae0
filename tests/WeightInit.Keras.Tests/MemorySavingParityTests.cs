using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests;

/// <summary>
/// Issue 9: the memory-saving forms of the torch-backend sampling (chunked truncated normal, in-place uniform) must give
/// the values of Keras's own call sequences bit for bit. Each reference below is that sequence written out as Keras's
/// torch backend makes it, one shot and out of place.
/// </summary>
[TestOf(typeof(TorchBackend))]
public class MemorySavingParityTests
{
    private static readonly long[] Seeds = [0, 42, 1234, 4_294_967_295];

    private static readonly ScalarType[] FloatingDTypes =
        [ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16];

    // Shapes with element counts below 4 (fewer than 16 candidates: ATen's scalar path), every remainder modulo 4,
    // zero-size and rank 0 to 4.
    private static readonly long[][] TruncatedShapes =
    [
        [], [1], [2], [3], [5], [7, 13], [64, 10], [33, 3], [3, 3, 17, 5], [0, 5], [101],
    ];

    // Chunk sizes in output elements: the smallest allowed, a few not powers of two, and one larger than every shape.
    private static readonly long[] ChunkSizes = [4, 12, 16, 100, 1_000_000];

    private static IEnumerable<TestCaseData> TruncatedCases()
    {
        foreach (long[] shape in TruncatedShapes)
        {
            foreach (long chunk in ChunkSizes)
            {
                yield return new TestCaseData(shape, chunk).SetArgDisplayNames($"({string.Join(",", shape)})", $"chunk={chunk}");
            }
        }
    }

    [TestCaseSource(nameof(TruncatedCases))]
    public void TruncatedNormal_Chunked_EqualsOneShotBitForBit(long[] shape, long chunk)
    {
        const double Mean = 0.25, StdDev = 1.75;
        foreach (var dtype in FloatingDTypes)
        {
            foreach (long seed in Seeds)
            {
                using var expected = OneShotTruncatedNormal(shape, Mean, StdDev, dtype, seed);
                using var actual = TorchBackend.TruncatedNormal(shape, Mean, StdDev, dtype, seed, chunk);
                AssertBitIdentical(actual, expected, $"dtype={dtype}, seed={seed}, chunk={chunk}");
            }
        }
    }

    [TestCase(1024L, 1100L, 42L)]
    [TestCase(1_048_577L, 1L, 1234L)]
    [TestCase(1_048_579L, 1L, 7L)]
    [TestCase(3L, 3L * 64 * 2048, 0L)]
    public void HeNormal_DefaultChunksAcrossBoundaries_EqualsOneShotBitForBit(long rows, long cols, long seed)
    {
        // Every shape is larger than one default chunk (2^20 elements); two leave a remainder under 4 elements.
        long[] shape = [rows, cols];
        Assert.That(rows * cols, Is.GreaterThan(TorchBackend.TruncatedNormalChunkElements));
        var initializer = new HeNormal(seed: seed);
        double stdDev = Math.Sqrt(initializer.ScaledVariance(shape)) / VarianceScaling.TruncationCorrection;

        using var expected = OneShotTruncatedNormal(shape, 0.0, stdDev, ScalarType.Float32, seed);
        using var actual = initializer.Call(shape);

        AssertBitIdentical(actual, expected, $"seed={seed}");
    }

    [Test]
    public void NormalFill_SplitOnBlockBoundary_EqualsSingleDraw()
    {
        // 40 draws: one block of 16, a second block and a redraw of the last 16. Split 16 + 24, every block lines up.
        using var single = DrawNormal(NormalFillSeed, 40);
        using var split = DrawNormal(NormalFillSeed, 16, 24);
        AssertBitIdentical(split, single, $"seed={NormalFillSeed}");
    }

    [Test]
    public void NormalFill_SplitOffBlockBoundary_DiffersFromSingleDraw()
    {
        // The control that shows the alignment rule is needed: split 20 + 20, the second call's blocks start at 20,
        // not 16, and the first call redraws its last 16, so the values change.
        using var single = DrawNormal(NormalFillSeed, 40);
        using var split = DrawNormal(NormalFillSeed, 20, 20);
        Assert.That(split.data<float>().ToArray(), Is.Not.EqualTo(single.data<float>().ToArray()), $"seed={NormalFillSeed}");
    }

    [TestCase(0L, 8L)]
    [TestCase(3L, 8L)]
    [TestCase(8L, 8L)]
    [TestCase(11L, 8L)]
    [TestCase(12L, 8L)]
    [TestCase(100L, 8L)]
    [TestCase(1_000_003L, 1L << 18)]
    public void TruncatedNormalChunks_Plan_KeepsTheSingleDrawsBlocks(long elements, long chunk)
    {
        var chunks = TorchBackend.TruncatedNormalChunks(elements, chunk).ToList();

        Assert.That(chunks.Sum(c => c.Count), Is.EqualTo(elements));
        long next = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            Assert.That(chunks[i].Start, Is.EqualTo(next), $"chunk {i}");
            next += chunks[i].Count;
            if (i < chunks.Count - 1)
            {
                Assert.That(chunks[i].Count, Is.EqualTo(chunk), $"chunk {i} is not the last, so it must be full");
            }
        }
        if (chunks.Count > 1)
        {
            Assert.That(chunks[^1].Count, Is.GreaterThanOrEqualTo(4), "the last chunk needs at least 16 candidates");
            Assert.That(4 * chunks[^1].Count % 16, Is.EqualTo(4 * elements % 16), "remainder modulo 16 kept");
        }
    }

    [TestCase(0L)]
    [TestCase(6L)]
    [TestCase(-4L)]
    public void TruncatedNormalChunks_ChunkNotPositiveMultipleOfFour_Throws(long chunk)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TorchBackend.TruncatedNormalChunks(10, chunk).ToList());
        Assert.That(ex!.ParamName, Is.EqualTo("chunkElements"));
        Assert.That(ex.Message, Does.Contain("positive multiple of 4").And.Contain($"received {chunk}"));
    }

    private static IEnumerable<TestCaseData> UniformCases()
    {
        long[][] shapes = [[], [1], [5], [7, 13], [64, 10], [3, 3, 8, 4], [0, 3]];
        (double Min, double Max)[] bounds = [(-0.05, 0.05), (-0.2847473987257497, 0.2847473987257497), (1.5, 7.25), (-3.0, -1e-3)];
        foreach (long[] shape in shapes)
        {
            foreach (var (min, max) in bounds)
            {
                yield return new TestCaseData(shape, min, max)
                    .SetArgDisplayNames($"({string.Join(",", shape)})", $"min={min}", $"max={max}");
            }
        }
    }

    [TestCaseSource(nameof(UniformCases))]
    public void Uniform_InPlace_EqualsOutOfPlaceBitForBit(long[] shape, double min, double max)
    {
        foreach (var dtype in FloatingDTypes)
        {
            foreach (long seed in Seeds)
            {
                using var expected = OutOfPlaceUniform(shape, min, max, dtype, seed);
                using var actual = TorchBackend.Uniform(shape, min, max, dtype, seed);
                AssertBitIdentical(actual, expected, $"dtype={dtype}, seed={seed}");
            }
        }
    }

    [TestCase(ScalarType.Float16)]
    [TestCase(ScalarType.BFloat16)]
    public void ScalarMultiply_InPlaceOn16BitFloats_DiffersFromOutOfPlace(ScalarType dtype)
    {
        // Why Uniform keeps the multiply out of place for 16-bit floats: in place, ATen rounds it differently.
        const double Factor = 0.1;
        using var generator = new Generator(0, CPU);
        generator.manual_seed(NormalFillSeed);
        using var r = rand([64], dtype, generator: generator);
        using var outOfPlace = r.mul(Factor);
        using var inPlace = r.clone();
        inPlace.mul_(Factor);
        Assert.That(inPlace.bytes.ToArray(), Is.Not.EqualTo(outOfPlace.bytes.ToArray()), $"dtype={dtype}, seed={NormalFillSeed}");
    }

    private const long NormalFillSeed = 2024;

    private static Tensor DrawNormal(long seed, params long[] counts)
    {
        using var generator = new Generator(0, CPU);
        generator.manual_seed(seed);
        var parts = counts.Select(c => empty(c).normal_(0.0, 1.0, generator)).ToArray();
        var joined = cat(parts, 0);
        foreach (var part in parts)
        {
            part.Dispose();
        }
        return joined;
    }

    private static Tensor OneShotTruncatedNormal(long[] shape, double mean, double stdDev, ScalarType dtype, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(0, CPU);
        generator.manual_seed(seed);
        var x = empty([.. shape, 4], dtype).normal_(0.0, 1.0, generator);
        var valid = x.gt(-2.0).logical_and(x.lt(2.0));
        var index = valid.max(-1, keepdim: true).indexes;
        var picked = x.gather(-1, index).squeeze(-1);
        var result = empty(shape, dtype);
        result.copy_(picked);
        result.mul_(stdDev);
        result.add_(mean);
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor OutOfPlaceUniform(long[] shape, double min, double max, ScalarType dtype, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(0, CPU);
        generator.manual_seed(seed);
        long[] size = shape.Length == 0 ? [1] : shape;
        var r = rand(size, dtype, generator: generator);
        var result = r.mul(max - min).add(min);
        return (shape.Length == 0 ? result[0].clone() : result).MoveToOuterDisposeScope();
    }

    private static void AssertBitIdentical(Tensor actual, Tensor expected, string context)
    {
        Assert.That(actual.dtype, Is.EqualTo(expected.dtype), context);
        Assert.That(actual.shape, Is.EqualTo(expected.shape), context);
        Assert.That(actual.contiguous().bytes.ToArray(), Is.EqualTo(expected.contiguous().bytes.ToArray()), context);
    }
}

/// <summary>Issue 9: Orthogonal's in-place steps must give the values of Keras's out-of-place sequence bit for bit.</summary>
[TestOf(typeof(Orthogonal))]
public class OrthogonalMemoryParityTests
{
    private static readonly long[] Seeds = [0, 1234];

    private static readonly double[] Gains = [1.0, 2.3];

    // Tall, wide (transposed at the end), square, rank 4, and single-row/column shapes.
    private static readonly long[][] Shapes = [[3, 5], [5, 3], [64, 64], [3, 3, 4, 6], [2, 3, 16, 4], [7, 1], [1, 7]];

    private static IEnumerable<TestCaseData> Cases() =>
        Shapes.Select(s => new TestCaseData(s).SetArgDisplayNames($"({string.Join(",", s)})"));

    [TestCaseSource(nameof(Cases))]
    public void Orthogonal_InPlaceSteps_EqualOutOfPlaceBitForBit(long[] shape)
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            foreach (double gain in Gains)
            {
                foreach (long seed in Seeds)
                {
                    using var expected = OutOfPlaceOrthogonal(shape, gain, dtype, seed);
                    using var actual = new Orthogonal(gain, seed).Call(shape, dtype);
                    Assert.That(actual.shape, Is.EqualTo(expected.shape));
                    Assert.That(actual.bytes.ToArray(), Is.EqualTo(expected.bytes.ToArray()), $"dtype={dtype}, gain={gain}, seed={seed}");
                }
            }
        }
    }

    private static Tensor OutOfPlaceOrthogonal(long[] shape, double gain, ScalarType dtype, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(0, CPU);
        generator.manual_seed(seed);
        long rows = shape[..^1].Aggregate(1L, (a, b) => a * b);
        long cols = shape[^1];
        var a = empty([Math.Max(rows, cols), Math.Min(rows, cols)], dtype).normal_(0.0, 1.0, generator);
        var (q, r) = linalg.qr(a, linalg.QRMode.Reduced);
        q = q.mul(r.diagonal().sign());
        if (rows < cols)
        {
            q = q.t();
        }
        return q.mul(gain).reshape(shape).contiguous().MoveToOuterDisposeScope();
    }
}
