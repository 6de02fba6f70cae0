using System.Globalization;
using MathNet.Numerics;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.Random;

namespace WeightInit.Keras.Validation;

/// <summary>The shape of the values an initializer produces.</summary>
public enum DistributionFamily
{
    /// <summary>Independent N(mean, stddev²) values (<c>RandomNormal</c>, <c>untruncated_normal</c>).</summary>
    Normal,

    /// <summary>
    /// Independent normal values truncated at ±2σ (<c>TruncatedNormal</c>, <c>VarianceScaling</c>'s default, the
    /// <c>*Normal</c> presets): exactly on Keras's TensorFlow backend, with a rare value beyond the bounds on its torch
    /// backend (<see cref="TruncatedNormalExpectation.TorchTail"/>).
    /// </summary>
    TruncatedNormal,

    /// <summary>Independent values uniform on [minval, maxval) (<c>RandomUniform</c>, the <c>*Uniform</c> presets).</summary>
    Uniform,

    /// <summary>Every value equal to one constant (<c>Zeros</c>, <c>Ones</c>, <c>Constant</c>).</summary>
    Constant,

    /// <summary>A matrix with orthonormal columns (or rows) times a gain (<c>Orthogonal</c>).</summary>
    Orthogonal,

    /// <summary><c>gain · eye(rows, cols)</c> (<c>Identity</c>), checked value for value against the initializer's output.</summary>
    Identity,

    /// <summary>The STFT kernel (<c>STFT</c>), checked value for value against the initializer's output.</summary>
    Stft,

    /// <summary>Any other initializer without randomness, checked value for value against its output.</summary>
    Deterministic,
}

/// <summary>
/// What the values of one initializer at one shape should look like: family, mean, variance, fourth moment,
/// bounds, and (for the random families) the exact CDF and density. Build one with
/// <see cref="For"/>, or directly through a subclass
/// constructor to check a tensor against a distribution of your own.
/// </summary>
public abstract class ExpectedDistribution
{
    /// <summary>The family.</summary>
    public abstract DistributionFamily Family { get; }

    /// <summary>The expected mean of one value.</summary>
    public abstract double Mean { get; }

    /// <summary>The expected variance of one value.</summary>
    public abstract double Variance { get; }

    /// <summary>The expected standard deviation of one value.</summary>
    public double StdDev => Math.Sqrt(Variance);

    /// <summary>The expected fourth central moment E[(X − mean)⁴], from which the standard error of the sample variance follows.</summary>
    public abstract double FourthCentralMoment { get; }

    /// <summary>The excess kurtosis μ₄/σ⁴ − 3 (0 for the normal, −1.2 for the uniform); NaN when the variance is 0.</summary>
    public double ExcessKurtosis => Variance > 0 ? FourthCentralMoment / (Variance * Variance) - 3.0 : double.NaN;

    /// <summary>The lower bound of the values (inclusive); −∞ when unbounded. For the truncated normal: mean − 2σ.</summary>
    public virtual double LowerBound => double.NegativeInfinity;

    /// <summary>
    /// The upper bound of the values (inclusive for the check, except for the exactly truncated normal, whose values
    /// stay below it); +∞ when unbounded. For the truncated normal: mean + 2σ.
    /// </summary>
    public virtual double UpperBound => double.PositiveInfinity;

    /// <summary>
    /// The probability that one value lies outside [<see cref="LowerBound"/>, <see cref="UpperBound"/>]: 0 except for
    /// the torch truncated normal (≈ 4.3·10⁻⁶).
    /// </summary>
    public virtual double OutsideProbability => 0.0;

    /// <summary>True when values are independent draws with an exact <see cref="Cdf"/>, so the moment and KS tests apply.</summary>
    public virtual bool IsIndependentContinuous => false;

    /// <summary>Where this expectation came from (initializer, shape and fans), for reports; empty when built directly.</summary>
    public string Source { get; init; } = "";

    /// <summary>The fans the expectation used, when it came from a fan-based initializer.</summary>
    public (long FanIn, long FanOut)? Fans { get; init; }

    /// <summary>P(X ≤ x).</summary>
    /// <exception cref="NotSupportedException">The family has no CDF here (constant, identity, STFT).</exception>
    public virtual double Cdf(double x) =>
        throw new NotSupportedException($"The {Family} family has no CDF; its values are checked exactly.");

    /// <summary>The density at x, for plots; NaN where the family has none (constant, identity, STFT).</summary>
    public virtual double Density(double x) => double.NaN;

    /// <summary>A one-line description with the parameters, e.g. <c>normal(mean=0, stddev=0.05)</c>.</summary>
    public abstract string Describe();

    /// <inheritdoc />
    public override string ToString() => Describe();

    /// <summary>
    /// The expected distribution of <paramref name="initializer"/>'s values at <paramref name="shape"/> (Keras layout),
    /// from the formulas and Keras's fan rules: VarianceScaling's s = scale / max(1, n) with n = fan_in, fan_out or
    /// their mean; a truncated normal of stddev √s / 0.8796… (variance ≈ s), an untruncated normal of stddev √s, or a
    /// uniform on ±√(3s). <c>TruncatedNormal(stddev=σ)</c> keeps σ, so its variance is about (0.8796·σ)².
    /// </summary>
    /// <remarks>
    /// A truncated normal depends on the backend that drew it: Keras's torch backend leaves a rare value beyond ±2σ
    /// (probability ≈ 4.3·10⁻⁶ per value, see <see cref="TruncatedNormalExpectation"/>), its TensorFlow backend none. The
    /// other families are the same on both backends.
    /// </remarks>
    /// <param name="initializer">The initializer the values should come from.</param>
    /// <param name="shape">The weight shape in Keras layout, e.g. a Dense kernel <c>(input_dim, units)</c>.</param>
    /// <param name="fans">
    /// Fan-in and fan-out to use instead of the ones the shape gives (for VarianceScaling initializers only), e.g. for
    /// weights stored in another layout.
    /// </param>
    /// <param name="backend">
    /// The backend whose draws the values are: <see cref="RandomBackend.PyTorch"/> expects the torch tail of the
    /// truncated normal, <see cref="RandomBackend.TensorFlow"/> exact truncation. Null (the default) takes
    /// <see cref="KerasBackendRandom.Current"/>, the backend the initializers draw with here and now.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="initializer"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// Fans given for an initializer that does not use them, a negative fan, Orthogonal at rank below 2, or a random
    /// initializer this library does not know.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="backend"/> names no backend.</exception>
    public static ExpectedDistribution For(Initializer initializer, ReadOnlySpan<long> shape, (long FanIn, long FanOut)? fans = null,
        RandomBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        bool torchTail = KerasBackendRandom.Validate(backend ?? KerasBackendRandom.Current, nameof(backend)) == RandomBackend.PyTorch;
        string source = $"{initializer.ClassName} on {FormatShape(shape)}";
        if (fans is not null && initializer is not VarianceScaling)
        {
            throw new ArgumentException(
                $"Explicit fans apply only to VarianceScaling initializers (he_*, glorot_*, lecun_*, variance_scaling); received them for {initializer.ClassName}.",
                nameof(fans));
        }
        switch (initializer)
        {
            case Zeros:
                return new ConstantExpectation(0.0) { Source = source };
            case Ones:
                return new ConstantExpectation(1.0) { Source = source };
            case RandomNormal n:
                return new NormalExpectation(n.Mean, n.StdDev) { Source = source };
            case TruncatedNormal t:
                return new TruncatedNormalExpectation(t.Mean, t.StdDev, torchTail) { Source = source };
            case RandomUniform u:
                return new UniformExpectation(u.MinVal, u.MaxVal) { Source = source };
            case VarianceScaling vs:
                return ForVarianceScaling(vs, shape, fans, torchTail, source);
            case Orthogonal o:
                return ForOrthogonal(o, shape, source);
            case RandomInitializer:
                throw new ArgumentException(
                    $"No expected distribution is known for the random initializer {initializer.ClassName}; known: RandomNormal, TruncatedNormal, RandomUniform, VarianceScaling and its presets, Orthogonal.",
                    nameof(initializer));
        }
        return ForDeterministic(initializer, shape, source);
    }

    private static ExpectedDistribution ForVarianceScaling(VarianceScaling vs, ReadOnlySpan<long> shape, (long FanIn, long FanOut)? fans, bool torchTail,
        string source)
    {
        var (fanIn, fanOut) = fans ?? Initializers.Fans.Compute(shape, vs.InputAxes, vs.OutputAxes);
        if (fanIn < 0 || fanOut < 0)
        {
            throw new ArgumentException($"Fans must be non-negative; received fan_in={fanIn}, fan_out={fanOut}.", nameof(fans));
        }
        double n = vs.Mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => (fanIn + fanOut) / 2.0,
        };
        double s = vs.Scale / Math.Max(1.0, n);
        string from = string.Create(CultureInfo.InvariantCulture,
            $"{source}, fan_in {fanIn}, fan_out {fanOut}{(fans is null ? "" : " (given)")}, {vs.Mode}, scale {vs.Scale}");
        return vs.Distribution switch
        {
            "truncated_normal" => new TruncatedNormalExpectation(0.0, Math.Sqrt(s) / VarianceScaling.TruncationCorrection, torchTail) { Source = from, Fans = (fanIn, fanOut) },
            "untruncated_normal" => new NormalExpectation(0.0, Math.Sqrt(s)) { Source = from, Fans = (fanIn, fanOut) },
            _ => new UniformExpectation(-Math.Sqrt(3.0 * s), Math.Sqrt(3.0 * s)) { Source = from, Fans = (fanIn, fanOut) },
        };
    }

    private static OrthogonalExpectation ForOrthogonal(Orthogonal o, ReadOnlySpan<long> shape, string source)
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException(
                $"Orthogonal needs a shape of rank 2 or more; received shape={FormatShape(shape)} of rank {shape.Length}.", nameof(shape));
        }
        long rows = 1;
        for (int i = 0; i < shape.Length - 1; i++)
        {
            rows *= shape[i];
        }
        return new OrthogonalExpectation(rows, shape[^1], o.Gain) { Source = source };
    }

    private static ExpectedDistribution ForDeterministic(Initializer initializer, ReadOnlySpan<long> shape, string source)
    {
        // Constant's config is {"value": v}; a scalar value makes it a constant family.
        if (initializer.ClassName == "Constant"
            && initializer.GetConfig().TryGetValue("value", out object? v)
            && v is IConvertible c and not string)
        {
            return new ConstantExpectation(c.ToDouble(CultureInfo.InvariantCulture)) { Source = source };
        }
        var family = initializer.ClassName switch
        {
            "Identity" => DistributionFamily.Identity,
            "STFT" => DistributionFamily.Stft,
            _ => DistributionFamily.Deterministic,
        };
        return new ReferenceExpectation(initializer, shape, family) { Source = source };
    }

    /// <summary>Formats a shape as Keras prints it: <c>(512, 256)</c>, <c>(5,)</c>, <c>()</c>.</summary>
    public static string FormatShape(ReadOnlySpan<long> shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape.ToArray())})";

    /// <summary>Formats a number compactly with invariant culture.</summary>
    internal static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}

/// <summary>N(mean, stddev²): Keras <c>RandomNormal</c> and <c>VarianceScaling(distribution="untruncated_normal")</c>.</summary>
public sealed class NormalExpectation : ExpectedDistribution
{
    /// <summary>A normal with the given mean and standard deviation.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite mean, or a stddev that is not positive and finite.</exception>
    public NormalExpectation(double mean, double stddev)
    {
        Checks.Finite(mean, nameof(mean));
        Checks.Positive(stddev, nameof(stddev));
        Location = mean;
        Scale = stddev;
    }

    /// <summary>The mean μ.</summary>
    public double Location { get; }

    /// <summary>The standard deviation σ.</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public override DistributionFamily Family => DistributionFamily.Normal;

    /// <inheritdoc />
    public override double Mean => Location;

    /// <inheritdoc />
    public override double Variance => Scale * Scale;

    /// <inheritdoc />
    public override double FourthCentralMoment => 3.0 * Variance * Variance;

    /// <inheritdoc />
    public override bool IsIndependentContinuous => true;

    /// <inheritdoc />
    public override double Cdf(double x) => 0.5 * SpecialFunctions.Erfc(-(x - Location) / (Scale * Math.Sqrt(2.0)));

    /// <inheritdoc />
    public override double Density(double x) => StandardNormal.Density((x - Location) / Scale) / Scale;

    /// <inheritdoc />
    public override string Describe() => $"normal(mean={F(Location)}, stddev={F(Scale)})";
}

/// <summary>
/// Keras's torch-backend truncated normal: for each value four N(0, 1) candidates are drawn and the first inside the
/// open interval (−2, 2) is kept; when none is (probability p⁴ with p = P(|Z| ≥ 2) ≈ 0.0455, so ≈ 4.3·10⁻⁶), candidate 0
/// is kept, which lies beyond ±2. The result is scaled by stddev and shifted by mean. So the standardized density is
/// φ(z)·(1 − p⁴)/(1 − p) inside (−2, 2) and φ(z)·p³ outside; its std is ≈ 0.87963.
/// Without the torch tail it is the exact truncated normal of Keras's TensorFlow backend: every value strictly inside
/// (mean − 2σ, mean + 2σ).
/// </summary>
public sealed class TruncatedNormalExpectation : ExpectedDistribution
{
    /// <summary>The bound, in standard deviations of the untruncated normal.</summary>
    public const double Bound = 2.0;

    /// <summary>Number of candidates the torch backend draws per value.</summary>
    public const int Candidates = 4;

    private static readonly double P = SpecialFunctions.Erfc(Bound / Math.Sqrt(2.0));
    private static readonly double PhiAtBound = StandardNormal.Density(Bound);

    private readonly double _inside;
    private readonly double _outside;
    private readonly double _m2;
    private readonly double _m4;

    /// <summary>
    /// A normal of <paramref name="mean"/> and <paramref name="stddev"/> (before truncation) truncated at ±2·stddev.
    /// <paramref name="torchTail"/> true (the default) keeps the torch backend's rare value beyond the bounds; false
    /// gives the exact truncated normal (as the JAX and TensorFlow backends draw it).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite mean, or a stddev that is not positive and finite.</exception>
    public TruncatedNormalExpectation(double mean, double stddev, bool torchTail = true)
    {
        Checks.Finite(mean, nameof(mean));
        Checks.Positive(stddev, nameof(stddev));
        Location = mean;
        Scale = stddev;
        TorchTail = torchTail;
        double q = torchTail ? Math.Pow(P, Candidates) : 0.0;
        _inside = (1.0 - q) / (1.0 - P);
        _outside = torchTail ? Math.Pow(P, Candidates - 1) : 0.0;
        // ∫ z²φ and ∫ z⁴φ over (−2, 2); the tails hold the rest of the normal's 1 and 3.
        double inner2 = 1.0 - P - 2.0 * Bound * PhiAtBound;
        double inner4 = 3.0 * (1.0 - P) - 2.0 * (Bound * Bound * Bound + 3.0 * Bound) * PhiAtBound;
        _m2 = _inside * inner2 + _outside * (1.0 - inner2);
        _m4 = _inside * inner4 + _outside * (3.0 - inner4);
    }

    /// <summary>The mean μ.</summary>
    public double Location { get; }

    /// <summary>The standard deviation σ of the normal before truncation.</summary>
    public double Scale { get; }

    /// <summary>True when the torch backend's rare out-of-range value is part of the distribution.</summary>
    public bool TorchTail { get; }

    /// <inheritdoc />
    public override DistributionFamily Family => DistributionFamily.TruncatedNormal;

    /// <inheritdoc />
    public override double Mean => Location;

    /// <inheritdoc />
    public override double Variance => _m2 * Scale * Scale;

    /// <inheritdoc />
    public override double FourthCentralMoment => _m4 * Math.Pow(Scale, 4);

    /// <inheritdoc />
    public override double LowerBound => Location - Bound * Scale;

    /// <inheritdoc />
    public override double UpperBound => Location + Bound * Scale;

    /// <inheritdoc />
    public override double OutsideProbability => TorchTail ? Math.Pow(P, Candidates) : 0.0;

    /// <inheritdoc />
    public override bool IsIndependentContinuous => true;

    /// <inheritdoc />
    public override double Cdf(double x)
    {
        double z = (x - Location) / Scale;
        double lowerTail = P / 2.0;
        if (z <= -Bound)
        {
            return _outside * StandardNormal.Cdf(z);
        }
        if (z < Bound)
        {
            return _outside * lowerTail + _inside * (StandardNormal.Cdf(z) - lowerTail);
        }
        return _outside * lowerTail + _inside * (1.0 - P) + _outside * (StandardNormal.Cdf(z) - (1.0 - lowerTail));
    }

    /// <inheritdoc />
    public override double Density(double x)
    {
        double z = (x - Location) / Scale;
        return StandardNormal.Density(z) * (Math.Abs(z) < Bound ? _inside : _outside) / Scale;
    }

    /// <inheritdoc />
    public override string Describe() =>
        $"truncated normal(mean={F(Location)}, stddev={F(Scale)} before truncation at ±2σ, std {F(StdDev)}{(TorchTail ? ", torch tail" : "")})";
}

/// <summary>Uniform on [minval, maxval): Keras <c>RandomUniform</c> and the <c>*Uniform</c> presets.</summary>
public sealed class UniformExpectation : ExpectedDistribution
{
    /// <summary>A uniform on [<paramref name="minval"/>, <paramref name="maxval"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound that is not finite, or maxval not above minval.</exception>
    public UniformExpectation(double minval, double maxval)
    {
        Checks.Finite(minval, nameof(minval));
        Checks.Finite(maxval, nameof(maxval));
        if (!(maxval > minval))
        {
            throw new ArgumentOutOfRangeException(nameof(maxval), maxval,
                $"maxval must be greater than minval; received minval={F(minval)}, maxval={F(maxval)}.");
        }
        MinVal = minval;
        MaxVal = maxval;
    }

    /// <summary>The lower bound (inclusive).</summary>
    public double MinVal { get; }

    /// <summary>The upper bound (exclusive in exact arithmetic; float rounding can reach it).</summary>
    public double MaxVal { get; }

    /// <inheritdoc />
    public override DistributionFamily Family => DistributionFamily.Uniform;

    /// <inheritdoc />
    public override double Mean => (MinVal + MaxVal) / 2.0;

    /// <inheritdoc />
    public override double Variance => (MaxVal - MinVal) * (MaxVal - MinVal) / 12.0;

    /// <inheritdoc />
    public override double FourthCentralMoment => Math.Pow(MaxVal - MinVal, 4) / 80.0;

    /// <inheritdoc />
    public override double LowerBound => MinVal;

    /// <inheritdoc />
    public override double UpperBound => MaxVal;

    /// <inheritdoc />
    public override bool IsIndependentContinuous => true;

    /// <inheritdoc />
    public override double Cdf(double x) => Math.Clamp((x - MinVal) / (MaxVal - MinVal), 0.0, 1.0);

    /// <inheritdoc />
    public override double Density(double x) => x >= MinVal && x <= MaxVal ? 1.0 / (MaxVal - MinVal) : 0.0;

    /// <inheritdoc />
    public override string Describe() => $"uniform[{F(MinVal)}, {F(MaxVal)})";
}

/// <summary>Every value equals <see cref="Value"/> (rounded to the tensor's dtype): <c>Zeros</c>, <c>Ones</c>, <c>Constant</c>.</summary>
public sealed class ConstantExpectation : ExpectedDistribution
{
    /// <summary>A constant.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN.</exception>
    public ConstantExpectation(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A constant expectation needs a number; received NaN.");
        }
        Value = value;
    }

    /// <summary>The constant.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override DistributionFamily Family => DistributionFamily.Constant;

    /// <inheritdoc />
    public override double Mean => Value;

    /// <inheritdoc />
    public override double Variance => 0.0;

    /// <inheritdoc />
    public override double FourthCentralMoment => 0.0;

    /// <inheritdoc />
    public override double LowerBound => Value;

    /// <inheritdoc />
    public override double UpperBound => Value;

    /// <inheritdoc />
    public override string Describe() => $"constant {F(Value)}";
}

/// <summary>
/// Keras <c>Orthogonal</c>: reshaped to (rows = ∏ all dims but the last, cols = last dim), the matrix has orthonormal
/// columns (rows ≥ cols) or rows (rows &lt; cols), times the gain g. One value is g·u₁ for u uniform on the unit
/// sphere of dimension m = max(rows, cols): mean 0, variance g²/m, excess kurtosis −6/(m + 2), density ∝ (1 − (x/g)²)^((m−3)/2).
/// Values are not independent, so they are checked through ‖QᵀQ − g²I‖ (or QQᵀ), not through moments.
/// </summary>
public sealed class OrthogonalExpectation : ExpectedDistribution
{
    /// <summary>An orthogonal (rows, cols) matrix times <paramref name="gain"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension below 1, or a gain that is not finite.</exception>
    public OrthogonalExpectation(long rows, long cols, double gain = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        Checks.Finite(gain, nameof(gain));
        Rows = rows;
        Cols = cols;
        Gain = gain;
    }

    /// <summary>∏ of all dims but the last.</summary>
    public long Rows { get; }

    /// <summary>The last dim.</summary>
    public long Cols { get; }

    /// <summary>The gain g.</summary>
    public double Gain { get; }

    /// <summary>max(rows, cols): the length of each orthonormal vector.</summary>
    public long VectorLength => Math.Max(Rows, Cols);

    /// <inheritdoc />
    public override DistributionFamily Family => DistributionFamily.Orthogonal;

    /// <inheritdoc />
    public override double Mean => 0.0;

    /// <inheritdoc />
    public override double Variance => Gain * Gain / VectorLength;

    /// <inheritdoc />
    public override double FourthCentralMoment => 3.0 * Math.Pow(Gain, 4) / (VectorLength * (VectorLength + 2.0));

    /// <inheritdoc />
    public override double LowerBound => -Math.Abs(Gain);

    /// <inheritdoc />
    public override double UpperBound => Math.Abs(Gain);

    /// <inheritdoc />
    public override double Cdf(double x)
    {
        double g = Math.Abs(Gain);
        if (g == 0.0 || VectorLength < 2)
        {
            return base.Cdf(x);
        }
        double u = Math.Clamp(x / g, -1.0, 1.0);
        double half = 0.5 * SpecialFunctions.BetaRegularized(0.5, (VectorLength - 1) / 2.0, u * u);
        return u >= 0 ? 0.5 + half : 0.5 - half;
    }

    /// <inheritdoc />
    public override double Density(double x)
    {
        double g = Math.Abs(Gain);
        if (g == 0.0 || VectorLength < 2 || Math.Abs(x) >= g)
        {
            return g == 0.0 || VectorLength < 2 ? double.NaN : 0.0;
        }
        double m = VectorLength;
        double logC = SpecialFunctions.GammaLn(m / 2.0) - SpecialFunctions.GammaLn((m - 1.0) / 2.0) - 0.5 * Math.Log(Math.PI);
        double u = x / g;
        return Math.Exp(logC + (m - 3.0) / 2.0 * Math.Log(1.0 - u * u)) / g;
    }

    /// <inheritdoc />
    public override string Describe() => $"orthogonal {Rows}×{Cols}, gain {F(Gain)} (element std {F(StdDev)})";
}

/// <summary>
/// An initializer without randomness (Identity, STFT, …) whose values are compared one by one with what the
/// initializer itself produces at the same shape and dtype.
/// </summary>
public sealed class ReferenceExpectation : ExpectedDistribution
{
    private readonly long[] _shape;
    private readonly double _mean;
    private readonly double _variance;
    private readonly double _fourth;

    /// <summary>The values <paramref name="initializer"/> gives at <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The initializer is random, or rejects the shape.</exception>
    public ReferenceExpectation(Initializer initializer, ReadOnlySpan<long> shape, DistributionFamily family = DistributionFamily.Deterministic)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        if (initializer is RandomInitializer)
        {
            throw new ArgumentException($"A reference expectation needs an initializer without randomness; received {initializer.ClassName}.", nameof(initializer));
        }
        Initializer = initializer;
        _shape = shape.ToArray();
        FamilyValue = family;
        using var values = initializer.Call(shape);
        var stats = TensorStatistics.Measure(values);
        _mean = stats.Count > 0 ? stats.Mean : 0.0;
        _variance = stats.Count > 1 ? stats.Variance * (stats.Count - 1) / stats.Count : 0.0;
        _fourth = stats.Count > 0 ? (stats.ExcessKurtosis + 3.0) * _variance * _variance : 0.0;
        if (!double.IsFinite(_fourth))
        {
            _fourth = 0.0;
        }
    }

    private DistributionFamily FamilyValue { get; }

    /// <summary>The initializer that produces the expected values.</summary>
    public Initializer Initializer { get; }

    /// <summary>The shape the values are produced at.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <inheritdoc />
    public override DistributionFamily Family => FamilyValue;

    /// <inheritdoc />
    public override double Mean => _mean;

    /// <inheritdoc />
    public override double Variance => _variance;

    /// <inheritdoc />
    public override double FourthCentralMoment => _fourth;

    /// <summary>The expected values, in <paramref name="dtype"/>; the caller disposes the tensor.</summary>
    public TorchSharp.torch.Tensor Values(TorchSharp.torch.ScalarType dtype) => Initializer.Call(_shape, dtype);

    /// <inheritdoc />
    public override string Describe() => $"exactly the values of {Initializer.ClassName} at {FormatShape(_shape)}";
}

/// <summary>The standard normal's density and CDF.</summary>
internal static class StandardNormal
{
    private static readonly double InverseSqrtTwoPi = 1.0 / Math.Sqrt(2.0 * Math.PI);

    public static double Density(double z) => InverseSqrtTwoPi * Math.Exp(-0.5 * z * z);

    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2.0));
}

/// <summary>Argument guards shared by the expectations.</summary>
internal static class Checks
{
    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number; received {name}={value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    public static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0.0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite; received {name}={value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
