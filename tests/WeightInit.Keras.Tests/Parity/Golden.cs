using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Tests.Parity;

/// <summary>One tensor of keras-torch-golden.json: how Python Keras 3.16 on torch (CPU) filled it.</summary>
internal sealed record GoldenTensor(
    string Initializer,
    JsonElement Config,
    long[] Shape,
    string DType,
    BigInteger Seed,
    long Count,
    string Sha256Le,
    string Tolerance,
    double[]? Values,
    double[]? First,
    double[]? Last,
    double? Sum)
{
    /// <summary>The absolute tolerance, or null for bit-exact.</summary>
    public double? AbsoluteTolerance => Tolerance == "bit-exact"
        ? null
        : double.Parse(Tolerance.Split(' ')[0], CultureInfo.InvariantCulture);

    public string Label =>
        $"{Initializer}({string.Join(", ", Config.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetRawText()}"))}) " +
        $"shape=({string.Join(",", Shape)}) {DType} seed={Seed}";

    public override string ToString() => Label;
}

/// <summary>Reads the golden file copied next to the tests and checks tensors against it.</summary>
internal static class Golden
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Parity", "keras-torch-golden.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    /// <summary>A config with every value left at its Keras default.</summary>
    public static JsonElement EmptyConfig { get; } = JsonDocument.Parse("{}").RootElement;

    public static IEnumerable<GoldenTensor> Cases => Root.GetProperty("cases").EnumerateArray().Select(Parse);

    public static GoldenTensor Parse(JsonElement e) => new(
        e.GetProperty("initializer").GetString()!,
        e.GetProperty("config"),
        [.. e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())],
        e.GetProperty("dtype").GetString()!,
        BigInteger.Parse(e.GetProperty("seed").GetRawText(), CultureInfo.InvariantCulture),
        e.GetProperty("count").GetInt64(),
        e.GetProperty("sha256_le").GetString()!,
        e.GetProperty("tolerance").GetString()!,
        Doubles(e, "values"),
        Doubles(e, "first"),
        Doubles(e, "last"),
        e.TryGetProperty("sum", out var sum) ? sum.GetDouble() : null);

    /// <summary>The initializer a case names, built from its config, with the given seed for random ones.</summary>
    public static Initializer Create(string name, JsonElement config, Seed seed)
    {
        double Get(string key, double fallback) => ConfigValue(config, key, fallback);
        string GetString(string key, string fallback) => config.TryGetProperty(key, out var v) ? v.GetString()! : fallback;
        return name switch
        {
            "random_normal" => new RandomNormal(Get("mean", 0.0), Get("stddev", 0.05), seed),
            "truncated_normal" => new TruncatedNormal(Get("mean", 0.0), Get("stddev", 0.05), seed),
            "random_uniform" => new RandomUniform(Get("minval", -0.05), Get("maxval", 0.05), seed),
            "variance_scaling" => new VarianceScaling(Get("scale", 1.0), GetString("mode", "fan_in"),
                GetString("distribution", "truncated_normal"), seed),
            "glorot_uniform" => new GlorotUniform(seed),
            "glorot_normal" => new GlorotNormal(seed),
            "he_normal" => new HeNormal(seed),
            "he_uniform" => new HeUniform(seed),
            "lecun_normal" => new LecunNormal(seed),
            "lecun_uniform" => new LecunUniform(seed),
            "orthogonal" => new Orthogonal(Get("gain", 1.0), seed),
            "identity" => new Identity(Get("gain", 1.0)),
            "zeros" => new Zeros(),
            "constant" => new Constant(Get("value", 0.0)),
            _ => throw new ArgumentException($"The golden file names an initializer the tests do not know: '{name}'.", nameof(name)),
        };
    }

    /// <summary>A number from a case's config, or the Keras default when the config leaves it out.</summary>
    public static double ConfigValue(JsonElement config, string key, double fallback) =>
        config.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;

    /// <summary>Samples a case with its own seed.</summary>
    public static Tensor Sample(GoldenTensor c) =>
        Create(c.Initializer, c.Config, Seed.Of(c.Seed)).Call(c.Shape, DTypes.Parse(c.DType));

    /// <summary>SHA-256 of the tensor's raw bytes in C order (this machine is little-endian, as the golden file).</summary>
    public static string Sha256(Tensor t)
    {
        using var contiguous = t.contiguous();
        return Convert.ToHexStringLower(SHA256.HashData(contiguous.bytes));
    }

    /// <summary>Every element widened to double (exact for float16, bfloat16, float32 and float64).</summary>
    public static double[] Widen(Tensor t)
    {
        using var wide = t.to_type(ScalarType.Float64).contiguous();
        return wide.data<double>().ToArray();
    }

    /// <summary>
    /// Asserts shape, dtype, values (exactly, or within the case's absolute tolerance), the partial sum and, for
    /// bit-exact cases, the SHA-256 of the raw bytes.
    /// </summary>
    public static void AssertMatches(Tensor actual, GoldenTensor c)
    {
        double[] values = Widen(actual);
        double tolerance = c.AbsoluteTolerance ?? 0.0;
        Assert.Multiple(() =>
        {
            Assert.That(actual.shape, Is.EqualTo(c.Shape), c.Label);
            Assert.That(DTypes.Name(actual.dtype), Is.EqualTo(c.DType), c.Label);
            Assert.That(values, Has.Length.EqualTo(c.Count), c.Label);
        });
        if (c.Values is not null)
        {
            double deviation = values.Zip(c.Values).Max(p => Math.Abs(p.First - p.Second));
            TestContext.Out.WriteLine($"{c.Label}: max |C# - Python| = {deviation.ToString("R", CultureInfo.InvariantCulture)}");
            Assert.That(values, Is.EqualTo(c.Values).Within(tolerance), c.Label);
        }
        if (c.First is not null)
        {
            Assert.That(values[..c.First.Length], Is.EqualTo(c.First).Within(tolerance), c.Label);
        }
        if (c.Last is not null)
        {
            Assert.That(values[^c.Last.Length..], Is.EqualTo(c.Last).Within(tolerance), c.Label);
        }
        if (c.Sum is { } sum)
        {
            // The file's sum may have been accumulated in the tensor's dtype, in another order; a float32 sum of n
            // terms is off by at most n·2^-24·Σ|x| (the classic recursive-summation bound), so that is the allowance.
            double bound = values.Length * Math.Pow(2, -24) * values.Sum(Math.Abs) + values.Length * tolerance;
            Assert.That(values.Sum(), Is.EqualTo(sum).Within(bound), c.Label);
        }
        if (c.AbsoluteTolerance is null)
        {
            Assert.That(Sha256(actual), Is.EqualTo(c.Sha256Le), $"{c.Label}: raw bytes differ (e.g. -0.0 against 0.0)");
        }
    }

    private static double[]? Doubles(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) ? [.. a.EnumerateArray().Select(v => v.GetDouble())] : null;
}
