using System.Globalization;

namespace WeightInit.Keras.Validation;

/// <summary>How a check decides.</summary>
public enum CheckKind
{
    /// <summary>A hypothesis test with a p-value, judged at a share of the report's significance level (Holm).</summary>
    Statistical,

    /// <summary>A deterministic comparison against a tolerance (0 for exact equality); it spends none of the significance level.</summary>
    Exact,
}

/// <summary>One check of a tensor against its expected distribution.</summary>
/// <param name="Name">
/// <c>mean</c>, <c>variance</c>, <c>ks</c> (Kolmogorov–Smirnov), <c>range</c> (values outside the bounds),
/// <c>orthogonality</c> or <c>exact</c>.
/// </param>
/// <param name="Kind">Statistical (p-value) or exact (tolerance).</param>
/// <param name="Statistic">The test statistic: z for mean and variance, D for KS, the count outside for range, the largest error for exact checks.</param>
/// <param name="Expected">The expected value of the quantity checked (mean, variance, …); NaN when not applicable.</param>
/// <param name="Observed">The measured value of that quantity.</param>
/// <param name="PValue">The p-value of a statistical check; null for exact checks.</param>
/// <param name="Threshold">For statistical checks the level the p-value was judged at; for exact checks the tolerance.</param>
/// <param name="Passed">True when the check accepts.</param>
/// <param name="Detail">A sentence with the figures, e.g. how far the variance is from its target in percent and in standard errors.</param>
public sealed record CheckResult(
    string Name,
    CheckKind Kind,
    double Statistic,
    double Expected,
    double Observed,
    double? PValue,
    double Threshold,
    bool Passed,
    string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {(Passed ? "pass" : "FAIL")}; {Detail}";
}

/// <summary>The outcome of checking one tensor against one expected distribution.</summary>
public sealed class ValidationReport
{
    internal ValidationReport(ExpectedDistribution expected, MeasuredStatistics measured, IReadOnlyList<long> shape,
        string dtype, IReadOnlyList<CheckResult> checks, double alpha)
    {
        Expected = expected;
        Measured = measured;
        Shape = shape;
        DType = dtype;
        Checks = checks;
        Alpha = alpha;
    }

    /// <summary>What the values should look like.</summary>
    public ExpectedDistribution Expected { get; }

    /// <summary>What they look like.</summary>
    public MeasuredStatistics Measured { get; }

    /// <summary>The shape of the tensor checked.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The Keras dtype name of the tensor checked.</summary>
    public string DType { get; }

    /// <summary>Every check, in the order run.</summary>
    public IReadOnlyList<CheckResult> Checks { get; }

    /// <summary>
    /// The family-wise significance level: under the expected distribution, the probability that any statistical check
    /// fails is at most this (Holm's step-down procedure).
    /// </summary>
    public double Alpha { get; }

    /// <summary>True when every check passes.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>The checks that failed.</summary>
    public IEnumerable<CheckResult> Failures => Checks.Where(c => !c.Passed);

    /// <summary>One line: <c>pass</c>, or <c>FAIL</c> with each failed check and by how much.</summary>
    public string Summary => Passed
        ? string.Create(CultureInfo.InvariantCulture, $"pass ({Checks.Count} checks at family-wise α = {Alpha:G3})")
        : "FAIL: " + string.Join("; ", Failures.Select(f => $"{f.Name}: {f.Detail}"));
}

/// <summary>Settings of a check.</summary>
public sealed record ValidationOptions
{
    /// <summary>The default family-wise significance level, 10⁻⁶ (about the two-sided z = 5 of the house style).</summary>
    public const double DefaultAlpha = 1e-6;

    /// <summary>The most values the KS test sorts; larger tensors are tested on an evenly strided subsample of about this many.</summary>
    public const int DefaultKsMaxSamples = 1 << 20;

    /// <summary>
    /// The family-wise significance level <value>(default 10⁻⁶)</value>: the largest probability that a correct tensor
    /// fails any statistical check. Must lie in (0, 1).
    /// </summary>
    public double Alpha { get; init; } = DefaultAlpha;

    /// <summary>The largest sample the KS test sorts <value>(default 2²⁰)</value>.</summary>
    public int KsMaxSamples { get; init; } = DefaultKsMaxSamples;

    /// <summary>Values read per chunk when measuring <value>(default <see cref="TensorStatistics.DefaultChunkSize"/>)</value>.</summary>
    public int ChunkSize { get; init; } = TensorStatistics.DefaultChunkSize;

    /// <summary>The default settings.</summary>
    public static ValidationOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(Alpha > 0.0 && Alpha < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha,
                $"Alpha must lie in (0, 1); received Alpha={Alpha.ToString(CultureInfo.InvariantCulture)}.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(KsMaxSamples, 2, nameof(KsMaxSamples));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ChunkSize, nameof(ChunkSize));
    }
}

/// <summary>The check of one weight of one layer.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Weight"><c>kernel</c> or <c>bias</c>.</param>
/// <param name="Initializer">The initializer the weight was built with.</param>
/// <param name="Report">The check.</param>
public sealed record WeightCheck(string Layer, string Weight, string Initializer, ValidationReport Report);
