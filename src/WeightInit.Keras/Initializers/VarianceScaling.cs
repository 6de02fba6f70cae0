using WeightInit.Keras.Random;
using static TorchSharp.torch;

namespace WeightInit.Keras.Initializers;

/// <summary>
/// Keras <c>VarianceScaling</c>: s = scale / max(1, n) with n the fan-in, fan-out or their mean (Keras's
/// <see cref="Fans"/> on the Keras layout); then a truncated normal with stddev √s / 0.87962566103423978, an
/// untruncated normal with stddev √s, or a uniform on ±√(3s).
/// </summary>
public class VarianceScaling : RandomInitializer
{
    /// <summary>The std of a standard normal truncated to [-2, 2], by which truncated draws are divided.</summary>
    public const double TruncationCorrection = 0.87962566103423978;

    /// <summary>The allowed modes.</summary>
    public static readonly IReadOnlyList<string> Modes = ["fan_in", "fan_out", "fan_avg"];

    /// <summary>The allowed distributions (after lowercasing; legacy <c>"normal"</c> becomes <c>"truncated_normal"</c>).</summary>
    public static readonly IReadOnlyList<string> Distributions = ["truncated_normal", "untruncated_normal", "uniform"];

    /// <summary>
    /// Keras defaults: scale 1, mode <c>"fan_in"</c> (case-sensitive), distribution <c>"truncated_normal"</c>
    /// (lowercased; <c>"normal"</c> is taken as <c>"truncated_normal"</c>). Checks run in Keras's order: scale,
    /// mode, distribution, then the seed is fixed.
    /// </summary>
    /// <exception cref="ArgumentException">Scale not a positive finite number, or an unknown mode or distribution.</exception>
    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal", Seed? seed = null,
        IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
        : base(Validate(scale, mode, ref distribution, seed))
    {
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
        InputAxes = inputAxes?.ToArray();
        OutputAxes = outputAxes?.ToArray();
    }

    /// <summary>The scale factor.</summary>
    public double Scale { get; }

    /// <summary><c>fan_in</c>, <c>fan_out</c> or <c>fan_avg</c>.</summary>
    public string Mode { get; }

    /// <summary><c>truncated_normal</c>, <c>untruncated_normal</c> or <c>uniform</c>.</summary>
    public string Distribution { get; }

    /// <summary>Axes whose product is the fan-in (used only with <see cref="OutputAxes"/>).</summary>
    public IReadOnlyList<int>? InputAxes { get; }

    /// <summary>Axes whose product is the fan-out (used only with <see cref="InputAxes"/>).</summary>
    public IReadOnlyList<int>? OutputAxes { get; }

    /// <summary>The variance target s = scale / max(1, n) for a shape, in double as Keras computes it.</summary>
    public double ScaledVariance(ReadOnlySpan<long> shape)
    {
        var (fanIn, fanOut) = Fans.Compute(shape, InputAxes, OutputAxes);
        double n = Mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => (fanIn + fanOut) / 2.0,
        };
        return Scale / Math.Max(1.0, n);
    }

    /// <inheritdoc />
    protected override Tensor Generate(long[] shape, ScalarType dtype)
    {
        double s = ScaledVariance(shape);
        return Distribution switch
        {
            "truncated_normal" => KerasBackendRandom.TruncatedNormal(shape, 0.0, Math.Sqrt(s) / TruncationCorrection, dtype, Seed),
            "untruncated_normal" => KerasBackendRandom.Normal(shape, 0.0, Math.Sqrt(s), dtype, Seed),
            _ => KerasBackendRandom.Uniform(shape, -Math.Sqrt(3.0 * s), Math.Sqrt(3.0 * s), dtype, Seed),
        };
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["seed"] = SeedConfig,
        ["scale"] = Scale,
        ["mode"] = Mode,
        ["distribution"] = Distribution,
        ["input_axes"] = InputAxes,
        ["output_axes"] = OutputAxes,
    };

    private static Seed? Validate(double scale, string mode, ref string distribution, Seed? seed)
    {
        if (!(scale > 0.0) || double.IsInfinity(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale,
                $"Argument `scale` must be a positive finite number; received scale={scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }
        if (!Modes.Contains(mode))
        {
            throw new ArgumentException(
                $"Invalid `mode` argument: '{mode}'. Allowed (case-sensitive): {string.Join(", ", Modes)}.", nameof(mode));
        }
        if (distribution is null)
        {
            throw new ArgumentException(
                $"Invalid `distribution` argument: null. Allowed: {string.Join(", ", Distributions)} (or the legacy 'normal').",
                nameof(distribution));
        }
        string d = distribution.ToLowerInvariant();
        if (d == "normal")
        {
            d = "truncated_normal";
        }
        if (!Distributions.Contains(d))
        {
            throw new ArgumentException(
                $"Invalid `distribution` argument: '{distribution}'. Allowed: {string.Join(", ", Distributions)} (or the legacy 'normal').",
                nameof(distribution));
        }
        distribution = d;
        return seed;
    }
}

/// <summary>Base of the six named VarianceScaling presets, whose config holds only the seed and the axes.</summary>
public abstract class VarianceScalingPreset : VarianceScaling
{
    /// <summary>Creates the preset.</summary>
    protected VarianceScalingPreset(double scale, string mode, string distribution, Seed? seed, IReadOnlyList<int>? inputAxes, IReadOnlyList<int>? outputAxes)
        : base(scale, mode, distribution, seed, inputAxes, outputAxes)
    {
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["seed"] = SeedConfig,
        ["input_axes"] = InputAxes,
        ["output_axes"] = OutputAxes,
    };
}

/// <summary>Keras <c>GlorotUniform</c> (<c>"glorot_uniform"</c>): U(±√(6 / (fan_in + fan_out))). The Dense kernel default.</summary>
public sealed class GlorotUniform(Seed? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    : VarianceScalingPreset(1.0, "fan_avg", "uniform", seed, inputAxes, outputAxes);

/// <summary>Keras <c>GlorotNormal</c> (<c>"glorot_normal"</c>): truncated normal, std √(2 / (fan_in + fan_out)).</summary>
public sealed class GlorotNormal(Seed? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    : VarianceScalingPreset(1.0, "fan_avg", "truncated_normal", seed, inputAxes, outputAxes);

/// <summary>Keras <c>HeNormal</c> (<c>"he_normal"</c>): truncated normal, std √(2 / fan_in).</summary>
public sealed class HeNormal(Seed? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    : VarianceScalingPreset(2.0, "fan_in", "truncated_normal", seed, inputAxes, outputAxes);

/// <summary>Keras <c>HeUniform</c> (<c>"he_uniform"</c>): U(±√(6 / fan_in)).</summary>
public sealed class HeUniform(Seed? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    : VarianceScalingPreset(2.0, "fan_in", "uniform", seed, inputAxes, outputAxes);

/// <summary>Keras <c>LecunNormal</c> (<c>"lecun_normal"</c>): truncated normal, std √(1 / fan_in).</summary>
public sealed class LecunNormal(Seed? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    : VarianceScalingPreset(1.0, "fan_in", "truncated_normal", seed, inputAxes, outputAxes);

/// <summary>Keras <c>LecunUniform</c> (<c>"lecun_uniform"</c>): U(±√(3 / fan_in)).</summary>
public sealed class LecunUniform(Seed? seed = null, IReadOnlyList<int>? inputAxes = null, IReadOnlyList<int>? outputAxes = null)
    : VarianceScalingPreset(1.0, "fan_in", "uniform", seed, inputAxes, outputAxes);
