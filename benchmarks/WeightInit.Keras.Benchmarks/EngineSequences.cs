using WeightInit.Keras.Initializers;
using static TorchSharp.torch;

namespace WeightInit.Keras.Benchmarks;

/// <summary>
/// The initializers under test, seeded, and for each the raw TorchSharp call sequence that Keras's torch backend issues
/// for it, written out by hand: the baseline every Keras-semantics fill is measured against.
/// </summary>
public static class EngineSequences
{
    /// <summary>The seed of every random initializer and every baseline generator.</summary>
    public const long Seed = 1234;

    /// <summary>Standard deviation of a standard normal truncated at ±2 (Keras's variance correction).</summary>
    private const double TruncatedStdDev = 0.87962566103423978;

    /// <summary>Every built-in initializer, by its Keras name.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "zeros", "ones", "random_normal", "truncated_normal", "random_uniform", "variance_scaling", "glorot_uniform",
        "glorot_normal", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "orthogonal",
    ];

    /// <summary>A seeded instance (zeros and ones take no seed) with Keras's default arguments.</summary>
    public static Initializer Create(string name) => name switch
    {
        "random_normal" => new RandomNormal(seed: Seed),
        "truncated_normal" => new TruncatedNormal(seed: Seed),
        "random_uniform" => new RandomUniform(seed: Seed),
        "variance_scaling" => new VarianceScaling(seed: Seed),
        "glorot_uniform" => new GlorotUniform(seed: Seed),
        "glorot_normal" => new GlorotNormal(seed: Seed),
        "he_normal" => new HeNormal(seed: Seed),
        "he_uniform" => new HeUniform(seed: Seed),
        "lecun_normal" => new LecunNormal(seed: Seed),
        "lecun_uniform" => new LecunUniform(seed: Seed),
        "orthogonal" => new Orthogonal(seed: Seed),
        "zeros" or "ones" => KerasInitializers.Get(name),
        _ => throw new ArgumentException($"Unknown initializer '{name}'; valid: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Parses a shape written as <c>256x256</c> or <c>3x3x512x512</c>.</summary>
    public static long[] ParseShape(string text) =>
        [.. text.Split('x').Select(d => long.Parse(d, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>
    /// The engine sequence that gives <paramref name="name"/>'s values for <paramref name="shape"/> (float32), with
    /// Keras's arguments computed as Keras computes them.
    /// </summary>
    public static Func<Tensor> For(string name, long[] shape)
    {
        var (fanIn, fanOut) = KerasFans(shape);
        double Variance(double scale, double n) => scale / Math.Max(1.0, n);
        double fanAvg = (fanIn + fanOut) / 2.0;
        return name switch
        {
            "zeros" => () => zeros(shape),
            "ones" => () => ones(shape),
            "random_normal" => () => Normal(shape, 0.0, 0.05),
            "truncated_normal" => () => TruncatedNormal(shape, 0.0, 0.05),
            "random_uniform" => () => Uniform(shape, -0.05, 0.05),
            "variance_scaling" => () => TruncatedNormal(shape, 0.0, Math.Sqrt(Variance(1.0, fanIn)) / TruncatedStdDev),
            "glorot_uniform" => () => Uniform(shape, Math.Sqrt(3.0 * Variance(1.0, fanAvg))),
            "glorot_normal" => () => TruncatedNormal(shape, 0.0, Math.Sqrt(Variance(1.0, fanAvg)) / TruncatedStdDev),
            "he_normal" => () => TruncatedNormal(shape, 0.0, Math.Sqrt(Variance(2.0, fanIn)) / TruncatedStdDev),
            "he_uniform" => () => Uniform(shape, Math.Sqrt(3.0 * Variance(2.0, fanIn))),
            "lecun_normal" => () => TruncatedNormal(shape, 0.0, Math.Sqrt(Variance(1.0, fanIn)) / TruncatedStdDev),
            "lecun_uniform" => () => Uniform(shape, Math.Sqrt(3.0 * Variance(1.0, fanIn))),
            "orthogonal" => () => Orthogonal(shape, 1.0),
            _ => throw new ArgumentException($"Unknown initializer '{name}'; valid: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>Throws unless the engine sequence and the initializer give the same bytes for the shape.</summary>
    public static void RequireBitIdentical(string name, long[] shape)
    {
        using var expected = For(name, shape)();
        using var actual = Create(name).Call(shape);
        if (!actual.shape.SequenceEqual(expected.shape) || !actual.bytes.SequenceEqual(expected.bytes))
        {
            throw new InvalidOperationException(
                $"The engine baseline of {name} at ({string.Join(", ", shape)}) does not give the initializer's values.");
        }
    }

    /// <summary>Keras's fans: rank 2 is (in, out); higher ranks multiply both by the receptive field.</summary>
    private static (long FanIn, long FanOut) KerasFans(long[] shape)
    {
        if (shape.Length < 2)
        {
            long n = shape.Length == 0 ? 1 : shape[0];
            return (n, n);
        }
        long receptive = shape[..^2].Aggregate(1L, (a, b) => a * b);
        return (shape[^2] * receptive, shape[^1] * receptive);
    }

    private static Generator NewGenerator()
    {
        var generator = new Generator(0, CPU);
        generator.manual_seed(Seed);
        return generator;
    }

    /// <summary>Keras torch <c>normal</c>: <c>empty(shape).normal_(mean, stddev, generator)</c>.</summary>
    private static Tensor Normal(long[] shape, double mean, double stddev)
    {
        using var generator = NewGenerator();
        return empty(shape).normal_(mean, stddev, generator);
    }

    /// <summary>Keras torch <c>uniform</c> on ±limit: <c>rand</c>, then <c>mul(max - min)</c>, then <c>add(min)</c>.</summary>
    private static Tensor Uniform(long[] shape, double limit) => Uniform(shape, -limit, limit);

    private static Tensor Uniform(long[] shape, double minval, double maxval)
    {
        using var generator = NewGenerator();
        using var r = rand(shape, generator: generator);
        using var scaled = r.mul(maxval - minval);
        return scaled.add(minval);
    }

    /// <summary>Keras torch <c>truncated_normal</c>, one shot: all four candidates of every element at once.</summary>
    private static Tensor TruncatedNormal(long[] shape, double mean, double stddev)
    {
        using var generator = NewGenerator();
        using var x = empty([.. shape, 4]).normal_(0.0, 1.0, generator);
        using var above = x.gt(-2.0);
        using var below = x.lt(2.0);
        using var valid = above.logical_and(below);
        var (values, index) = valid.max(-1, keepdim: true);
        using (values)
        using (index)
        using (var gathered = x.gather(-1, index))
        using (var picked = gathered.squeeze(-1))
        {
            var result = empty(shape);
            result.copy_(picked);
            result.mul_(stddev);
            result.add_(mean);
            return result;
        }
    }

    /// <summary>Keras <c>Orthogonal</c>: normal draw of the tall matrix, reduced QR, column signs, transpose, gain.</summary>
    private static Tensor Orthogonal(long[] shape, double gain)
    {
        using var scope = NewDisposeScope();
        long rows = shape[..^1].Aggregate(1L, (a, b) => a * b);
        long cols = shape[^1];
        var a = Normal([Math.Max(rows, cols), Math.Min(rows, cols)], 0.0, 1.0);
        var (q, r) = linalg.qr(a, linalg.QRMode.Reduced);
        var signed = q.mul(r.diagonal().sign());
        var oriented = rows < cols ? signed.t() : signed;
        return oriented.mul(gain).reshape(shape).contiguous().MoveToOuterDisposeScope();
    }
}
