using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Base of the seeded initializers. An int seed gives the same values on every call; a
/// <see cref="SeedGenerator"/> gives new values on every call; no seed takes one draw from
/// <see cref="KerasRandom"/> at construction and then behaves as that int seed (as Keras 3 does).
/// </summary>
public abstract class RandomInitializer : Initializer
{
    /// <summary>Fixes the seed as Keras's <c>RandomInitializer.__init__</c> does.</summary>
    protected RandomInitializer(Seed? seed)
    {
        InitialSeed = seed;
        Seed = seed ?? KerasRandom.MakeDefaultSeed();
    }

    /// <summary>
    /// Checks a normal's arguments before the base constructor runs, so a rejected call draws no seed; returns
    /// <paramref name="seed"/>.
    /// </summary>
    private protected static Seed? CheckNormal(double mean, double stddev, Seed? seed)
    {
        RequireFinite(mean, nameof(mean));
        RequireFinite(stddev, nameof(stddev), nonNegative: true);
        return seed;
    }

    /// <summary>Checks a uniform's bounds before the base constructor runs; returns <paramref name="seed"/>.</summary>
    private protected static Seed? CheckUniform(double minval, double maxval, Seed? seed)
    {
        RequireFinite(minval, nameof(minval));
        RequireFinite(maxval, nameof(maxval));
        return seed;
    }

    /// <summary>
    /// Throws unless <paramref name="value"/> is finite (and, when <paramref name="nonNegative"/>, at least 0). Keras does
    /// not check these; here a bad value fails at construction instead of in the engine or as NaN weights.
    /// </summary>
    private static void RequireFinite(double value, string paramName, bool nonNegative = false)
    {
        string rule = nonNegative ? "a finite number >= 0" : "a finite number";
        if (!double.IsFinite(value) || (nonNegative && value < 0))
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"Argument `{paramName}` must be {rule}; received {paramName}={value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>The seed argument as given (null when unseeded); what the config records.</summary>
    public Seed? InitialSeed { get; }

    /// <summary>The seed used for sampling.</summary>
    public Seed Seed { get; }

    /// <summary>The config value of the seed: an int, a SeedGenerator config or null.</summary>
    protected object? SeedConfig => InitialSeed switch
    {
        null => null,
        { Generator: { } g } => g,
        { Value: { } v } => v,
        _ => null,
    };
}

/// <summary>Keras <c>RandomNormal</c> (<c>"random_normal"</c>, <c>"normal"</c>): N(mean, stddev²).</summary>
public sealed class RandomNormal : RandomInitializer
{
    /// <summary>Keras defaults: mean 0, stddev 0.05.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> not finite, or <paramref name="stddev"/> negative or not finite.</exception>
    public RandomNormal(double mean = 0.0, double stddev = 0.05, Seed? seed = null)
        : base(CheckNormal(mean, stddev, seed))
    {
        Mean = mean;
        StdDev = stddev;
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation.</summary>
    public double StdDev { get; }

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype) => KerasBackendRandom.Normal(shape, Mean, StdDev, dtype, Seed);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["seed"] = SeedConfig, ["mean"] = Mean, ["stddev"] = StdDev };
}

/// <summary>
/// Keras <c>TruncatedNormal</c> (<c>"truncated_normal"</c>): normal at ±2·stddev as the torch backend draws it,
/// <b>without</b> variance correction (the real std is about 0.8796·stddev).
/// </summary>
public sealed class TruncatedNormal : RandomInitializer
{
    /// <summary>Keras defaults: mean 0, stddev 0.05.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> not finite, or <paramref name="stddev"/> negative or not finite.</exception>
    public TruncatedNormal(double mean = 0.0, double stddev = 0.05, Seed? seed = null)
        : base(CheckNormal(mean, stddev, seed))
    {
        Mean = mean;
        StdDev = stddev;
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation of the untruncated normal.</summary>
    public double StdDev { get; }

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype) => KerasBackendRandom.TruncatedNormal(shape, Mean, StdDev, dtype, Seed);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["seed"] = SeedConfig, ["mean"] = Mean, ["stddev"] = StdDev };
}

/// <summary>Keras <c>RandomUniform</c> (<c>"random_uniform"</c>, <c>"uniform"</c>): U[minval, maxval).</summary>
public sealed class RandomUniform : RandomInitializer
{
    /// <summary>Keras defaults: minval -0.05, maxval 0.05.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minval"/> or <paramref name="maxval"/> not finite.</exception>
    public RandomUniform(double minval = -0.05, double maxval = 0.05, Seed? seed = null)
        : base(CheckUniform(minval, maxval, seed))
    {
        MinVal = minval;
        MaxVal = maxval;
    }

    /// <summary>The lower bound (inclusive).</summary>
    public double MinVal { get; }

    /// <summary>The upper bound (exclusive).</summary>
    public double MaxVal { get; }

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype) => KerasBackendRandom.Uniform(shape, MinVal, MaxVal, dtype, Seed);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["seed"] = SeedConfig, ["minval"] = MinVal, ["maxval"] = MaxVal };
}
