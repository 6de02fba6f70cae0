using static TorchSharp.torch;

namespace WeightInit.Keras.Validation;

/// <summary>Descriptive statistics of a tensor's values, accumulated in double.</summary>
/// <param name="Count">Number of finite values.</param>
/// <param name="NonFiniteCount">Number of NaN or infinite values (left out of every other figure).</param>
/// <param name="Mean">The sample mean.</param>
/// <param name="Variance">The unbiased sample variance (divided by n − 1); NaN when n &lt; 2.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Skewness">The sample skewness m₃ / m₂^1.5 (central moments divided by n); NaN when the values are all equal.</param>
/// <param name="ExcessKurtosis">The sample excess kurtosis m₄ / m₂² − 3; NaN when the values are all equal.</param>
/// <param name="LowerBound">The lower bound the values were counted against.</param>
/// <param name="UpperBound">The upper bound the values were counted against.</param>
/// <param name="OutsideCount">Number of finite values below <paramref name="LowerBound"/> or above <paramref name="UpperBound"/>.</param>
public sealed record MeasuredStatistics(
    long Count,
    long NonFiniteCount,
    double Mean,
    double Variance,
    double Min,
    double Max,
    double Skewness,
    double ExcessKurtosis,
    double LowerBound,
    double UpperBound,
    long OutsideCount)
{
    /// <summary>The sample standard deviation √Variance.</summary>
    public double StdDev => Math.Sqrt(Variance);

    /// <summary>The fraction of finite values outside the bounds; 0 for an empty tensor.</summary>
    public double OutsideFraction => Count == 0 ? 0.0 : (double)OutsideCount / Count;
}

/// <summary>
/// Measures a tensor in chunks: the flattened values are taken <see cref="DefaultChunkSize"/> at a time through a narrow
/// view, converted to double by the engine, reduced there, and the chunks' central moments are merged with the pairwise
/// update formulas (Chan et al.; Pébay). A tensor of 10⁸ values thus needs one double chunk of scratch memory and no
/// managed copy at all.
/// </summary>
public static class TensorStatistics
{
    /// <summary>Values read per chunk (2²⁰, 8 MiB of doubles).</summary>
    public const int DefaultChunkSize = 1 << 20;

    /// <summary>Measures <paramref name="values"/> and counts the values outside [<paramref name="lowerBound"/>, <paramref name="upperBound"/>].</summary>
    /// <param name="values">Any tensor of a real dtype, on any device.</param>
    /// <param name="lowerBound">Inclusive lower bound for <see cref="MeasuredStatistics.OutsideCount"/>.</param>
    /// <param name="upperBound">Inclusive upper bound for <see cref="MeasuredStatistics.OutsideCount"/>.</param>
    /// <param name="chunkSize">Values per chunk.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is not positive, or a bound is NaN.</exception>
    public static MeasuredStatistics Measure(Tensor values, double lowerBound = double.NegativeInfinity,
        double upperBound = double.PositiveInfinity, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        if (double.IsNaN(lowerBound) || double.IsNaN(upperBound))
        {
            throw new ArgumentOutOfRangeException(double.IsNaN(lowerBound) ? nameof(lowerBound) : nameof(upperBound), "Bounds must not be NaN.");
        }
        var total = new Moments();
        long nonFinite = 0;
        long outside = 0;
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        using var flat = values.detach().reshape(-1);
        long count = flat.numel();
        for (long offset = 0; offset < count; offset += chunkSize)
        {
            using var scope = NewDisposeScope();
            var chunk = flat.narrow(0, offset, Math.Min(chunkSize, count - offset)).cpu().to_type(ScalarType.Float64);
            var finiteMask = chunk.isfinite();
            long finite = finiteMask.sum().item<long>();
            nonFinite += chunk.numel() - finite;
            if (finite == 0)
            {
                continue;
            }
            var x = finite == chunk.numel() ? chunk : chunk.masked_select(finiteMask);
            min = Math.Min(min, x.min().item<double>());
            max = Math.Max(max, x.max().item<double>());
            outside += x.lt(lowerBound).logical_or(x.gt(upperBound)).sum().item<long>();
            double mean = x.mean().item<double>();
            var d = x.sub(mean);
            var d2 = d.mul(d);
            total = total.Merge(new Moments(finite, mean, d2.sum().item<double>(), d2.mul(d).sum().item<double>(), d2.mul(d2).sum().item<double>()));
        }
        long n = total.N;
        double variance = n > 1 ? total.M2 / (n - 1) : double.NaN;
        double m2n = n > 0 ? total.M2 / n : double.NaN;
        double skew = m2n > 0 ? total.M3 / n / Math.Pow(m2n, 1.5) : double.NaN;
        double kurt = m2n > 0 ? total.M4 / n / (m2n * m2n) - 3.0 : double.NaN;
        return new MeasuredStatistics(n, nonFinite, n > 0 ? total.Mean : double.NaN, variance,
            n > 0 ? min : double.NaN, n > 0 ? max : double.NaN, skew, kurt, lowerBound, upperBound, outside);
    }

    /// <summary>Count, mean and the sums of 2nd, 3rd and 4th powers of deviations from the mean.</summary>
    private readonly record struct Moments(long N, double Mean, double M2, double M3, double M4)
    {
        public Moments Merge(Moments b)
        {
            if (N == 0)
            {
                return b;
            }
            if (b.N == 0)
            {
                return this;
            }
            double na = N, nb = b.N, n = na + nb;
            double delta = b.Mean - Mean;
            double d2 = delta * delta;
            double mean = Mean + delta * nb / n;
            double m2 = M2 + b.M2 + d2 * na * nb / n;
            double m3 = M3 + b.M3 + d2 * delta * na * nb * (na - nb) / (n * n) + 3.0 * delta * (na * b.M2 - nb * M2) / n;
            double m4 = M4 + b.M4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
                        + 6.0 * d2 * (na * na * b.M2 + nb * nb * M2) / (n * n) + 4.0 * delta * (na * b.M3 - nb * M3) / n;
            return new Moments(N + b.N, mean, m2, m3, m4);
        }
    }
}
