using WeightInit.Keras.Initializers;

namespace WeightInit.Cli.Commands;

/// <summary>Summary statistics of one weight tensor, accumulated in double.</summary>
internal sealed record WeightStats(long Count, double Mean, double Std, double Min, double Max, double ExcessKurtosis)
{
    public static WeightStats Of(ReadOnlySpan<float> values)
    {
        long n = values.Length;
        if (n == 0)
        {
            return new WeightStats(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double mean = sum / n, m2 = 0, m4 = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            m2 += d * d;
            m4 += d * d * d * d;
        }
        m2 /= n;
        m4 /= n;
        double kurtosis = m2 > 0 ? m4 / (m2 * m2) - 3.0 : double.NaN;
        return new WeightStats(n, mean, Math.Sqrt(m2), min, max, kurtosis);
    }
}

/// <summary>Which built-in initializer a kernel's statistics fit best, and how well.</summary>
/// <param name="Initializer">The closest built-in, by Keras name.</param>
/// <param name="Family">The distribution family read from the excess kurtosis: uniform, truncated normal or normal.</param>
/// <param name="StdRatio">Observed std divided by the candidate's expected std for this shape.</param>
/// <param name="Consistent">True when the std ratio and the kurtosis are both within 5 standard errors of the candidate's.</param>
internal sealed record KernelFitResult(string Initializer, string Family, double StdRatio, bool Consistent);

/// <summary>
/// A simple fit of a kernel to the built-in initializers: the excess kurtosis picks the family (uniform −1.2, normal
/// truncated at ±2σ −0.634, normal 0), then the candidate of that family whose expected std for the kernel's shape
/// (Keras fans) is closest in log ratio wins. Consistency uses z = 5 standard errors: std relative SE ≈ ½√((2+κ)/n),
/// kurtosis SE ≈ √(24/n) (the normal-data value, an upper bound for the lighter-tailed families).
/// </summary>
internal static class KernelFit
{
    /// <summary>Standard errors allowed before a fit is called inconsistent (two-sided false alarm ≈ 6e-7).</summary>
    private const double Z = 5.0;

    private const double UniformKurtosis = -1.2;

    /// <summary>Excess kurtosis of a standard normal truncated to [−2, 2].</summary>
    private const double TruncatedNormalKurtosis = -0.634;

    private const double NormalKurtosis = 0.0;

    /// <summary>Keras's default stddev (and uniform half-width) of RandomNormal, TruncatedNormal and RandomUniform.</summary>
    private const double KerasDefaultScale = 0.05;

    public static KernelFitResult? Best(ReadOnlySpan<float> values, long[] shape)
    {
        var stats = WeightStats.Of(values);
        if (stats.Count == 0)
        {
            return null;
        }
        if (stats.Min == 0 && stats.Max == 0)
        {
            return new KernelFitResult("zeros", "constant", double.NaN, true);
        }
        if (stats.Min == 1 && stats.Max == 1)
        {
            return new KernelFitResult("ones", "constant", double.NaN, true);
        }
        var (fanIn, fanOut) = Fans.Compute(shape);
        double inStd = Math.Sqrt(1.0 / Math.Max(1.0, fanIn));
        double avgStd = Math.Sqrt(1.0 / Math.Max(1.0, (fanIn + fanOut) / 2.0));
        long rows = shape.Length >= 2 ? shape[..^1].Aggregate(1L, (a, b) => a * b) : 0;
        long cols = shape.Length >= 2 ? shape[^1] : 0;
        var families = new (string Name, double Kurtosis, (string Name, double Std)[] Candidates)[]
        {
            ("uniform", UniformKurtosis,
            [
                ("glorot_uniform", avgStd), ("he_uniform", Math.Sqrt(2) * inStd), ("lecun_uniform", inStd),
                ("random_uniform", KerasDefaultScale / Math.Sqrt(3)),
            ]),
            ("truncated_normal", TruncatedNormalKurtosis,
            [
                ("glorot_normal", avgStd), ("he_normal", Math.Sqrt(2) * inStd), ("lecun_normal", inStd),
                ("truncated_normal", KerasDefaultScale * VarianceScaling.TruncationCorrection),
            ]),
            ("normal", NormalKurtosis,
            [
                ("random_normal", KerasDefaultScale),
                .. rows > 0 ? new[] { ("orthogonal", Math.Sqrt(1.0 / Math.Max(rows, cols))) } : [],
            ]),
        };
        var family = families.MinBy(f => Math.Abs(stats.ExcessKurtosis - f.Kurtosis));
        var best = family.Candidates.MinBy(c => Math.Abs(Math.Log(stats.Std / c.Std)));
        double ratio = stats.Std / best.Std;
        double stdTolerance = Z * 0.5 * Math.Sqrt((2.0 + family.Kurtosis) / stats.Count);
        double kurtosisTolerance = Z * Math.Sqrt(24.0 / stats.Count);
        bool consistent = Math.Abs(ratio - 1.0) <= stdTolerance && Math.Abs(stats.ExcessKurtosis - family.Kurtosis) <= kurtosisTolerance;
        return new KernelFitResult(best.Name, family.Name, ratio, consistent);
    }
}
