namespace WeightInit.Keras.Validation;

/// <summary>
/// The one-sample Kolmogorov–Smirnov test against an exact CDF. MathNet.Numerics 5.0.0 has no KS test nor Kolmogorov
/// distribution, so the p-value is the limiting Kolmogorov survival function Q(λ) with Stephens's finite-n correction
/// λ = (√n + 0.12 + 0.11/√n)·D, a close approximation of the exact null distribution for all but very small n.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>D = sup |Fₙ(x) − F(x)| for <paramref name="sorted"/> (ascending) against <paramref name="cdf"/>.</summary>
    /// <exception cref="ArgumentException">An empty sample.</exception>
    public static double Statistic(ReadOnlySpan<double> sorted, Func<double, double> cdf)
    {
        ArgumentNullException.ThrowIfNull(cdf);
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("The KS statistic needs at least one value.", nameof(sorted));
        }
        double n = sorted.Length;
        double d = 0.0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1) / n - f, f - i / n));
        }
        return d;
    }

    /// <summary>The p-value P(Dₙ ≥ <paramref name="d"/>) for a sample of <paramref name="n"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public static double PValue(double d, long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        return Survival(StephensFactor(n) * d);
    }

    /// <summary>The D above which the test rejects at level <paramref name="alpha"/> for <paramref name="n"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> not in (0, 1), or <paramref name="n"/> not positive.</exception>
    public static double CriticalValue(double alpha, long n)
    {
        if (!(alpha > 0.0 && alpha < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in (0, 1).");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        double lo = 0.2, hi = 10.0;
        for (int i = 0; i < 100; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Survival(mid) > alpha)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi) / StephensFactor(n);
    }

    /// <summary>
    /// Q(λ) = P(K &gt; λ) of the Kolmogorov distribution: 2·Σ (−1)^(k−1)·e^(−2k²λ²) for λ ≥ 1, and
    /// 1 − (√(2π)/λ)·Σ e^(−(2k−1)²π²/(8λ²)) below, where that series converges faster.
    /// </summary>
    public static double Survival(double lambda)
    {
        if (double.IsNaN(lambda))
        {
            return double.NaN;
        }
        if (lambda <= 0.0)
        {
            return 1.0;
        }
        if (lambda < 1.0)
        {
            double sum = 0.0;
            double c = -Math.PI * Math.PI / (8.0 * lambda * lambda);
            for (int k = 1; k <= 20; k++)
            {
                double odd = 2 * k - 1;
                sum += Math.Exp(odd * odd * c);
            }
            return Math.Clamp(1.0 - Math.Sqrt(2.0 * Math.PI) / lambda * sum, 0.0, 1.0);
        }
        double total = 0.0;
        for (int k = 1; k <= 100; k++)
        {
            double term = Math.Exp(-2.0 * k * k * lambda * lambda);
            total += k % 2 == 1 ? term : -term;
            if (term < 1e-300)
            {
                break;
            }
        }
        return Math.Clamp(2.0 * total, 0.0, 1.0);
    }

    private static double StephensFactor(long n)
    {
        double root = Math.Sqrt(n);
        return root + 0.12 + 0.11 / root;
    }
}
