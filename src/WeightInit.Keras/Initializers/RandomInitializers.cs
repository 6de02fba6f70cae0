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
    public RandomNormal(double mean = 0.0, double stddev = 0.05, Seed? seed = null)
        : base(seed)
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
    public TruncatedNormal(double mean = 0.0, double stddev = 0.05, Seed? seed = null)
        : base(seed)
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
    public RandomUniform(double minval = -0.05, double maxval = 0.05, Seed? seed = null)
        : base(seed)
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
