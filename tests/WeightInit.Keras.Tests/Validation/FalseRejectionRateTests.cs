using WeightInit.Keras.Initializers;
using WeightInit.Keras.Validation;

namespace WeightInit.Keras.Tests.Validation;

/// <summary>
/// Correct draws over 200 seeds: how often does a correct tensor fail? A 64×64 kernel (n = 4096) is used instead of
/// 512×256 to keep the test fast; under the null hypothesis the false-rejection rate is the nominal level whatever n is,
/// and the approximations behind the p-values (normal z for mean and variance, Stephens's KS formula) are already
/// accurate at n = 4096, so the calibration measured here carries over to larger kernels.
/// </summary>
[TestOf(typeof(WeightValidator))]
public class FalseRejectionRateTests
{
    private const int Seeds = 200;
    private const long FirstSeed = 100_000;
    private static readonly long[] Shape = [64, 64];

    /// <summary>A level high enough that its false rejections are frequent enough to count.</summary>
    private const double CountingAlpha = 0.01;

    /// <summary>The uniformity test of the p-values rejects below this (z ≈ 5).</summary>
    private const double UniformityLevel = 1e-6;

    [Test]
    public void CorrectDraws_Over200Seeds_FailAtMostAtTheNominalRateAndHaveUniformPValues()
    {
        var pValues = new Dictionary<string, List<double>> { ["mean"] = [], ["variance"] = [], ["ks"] = [] };
        int tensors = 0, failedAtDefault = 0, failedAtCounting = 0;
        for (long seed = FirstSeed; seed < FirstSeed + Seeds; seed++)
        {
            // Distinct seeds per initializer, so the three draws of one round share no engine stream.
            foreach (var initializer in new Initializer[] { new HeNormal(seed), new GlorotUniform(seed + Seeds), new RandomNormal(seed: seed + 2 * Seeds) })
            {
                var report = WeightValidator.CheckDraw(initializer, Shape);
                tensors++;
                failedAtDefault += report.Passed ? 0 : 1;
                failedAtCounting += FailsAt(report, CountingAlpha) ? 1 : 0;
                foreach (var c in report.Checks.Where(c => pValues.ContainsKey(c.Name)))
                {
                    pValues[c.Name].Add(c.PValue!.Value);
                }
            }
        }
        TestContext.Out.WriteLine($"{tensors} correct tensors (seeds {FirstSeed}..{FirstSeed + 3 * Seeds - 1}, 3 initializers, {string.Join("×", Shape)}): " +
                                  $"{failedAtDefault} failed at α = {ValidationOptions.DefaultAlpha}, {failedAtCounting} at α = {CountingAlpha}");

        // Binomial(600, 1e-6): P(≥ 2 failures) ≈ 1.8e-7.
        Assert.That(failedAtDefault, Is.LessThanOrEqualTo(1));
        // Holm keeps the rate ≤ α: Binomial(600, ≤ 0.01) has mean ≤ 6 and sd ≤ 2.44, so 5 sd above is 18.2.
        Assert.That(failedAtCounting, Is.LessThanOrEqualTo(18));
        foreach (var (name, ps) in pValues)
        {
            // Exact p-values are U(0, 1) under the null: too small (miscalibrated SE) or too large (conservative) both show.
            double[] sorted = [.. ps.Order()];
            double d = KolmogorovSmirnov.Statistic(sorted, p => Math.Clamp(p, 0.0, 1.0));
            double p = KolmogorovSmirnov.PValue(d, sorted.Length);
            TestContext.Out.WriteLine($"{name}: {sorted.Length} p-values, KS D against U(0,1) = {d:F4}, p = {p:G3}; " +
                                      $"fraction below 0.05 = {sorted.Count(x => x < 0.05) / (double)sorted.Length:F3}");
            Assert.That(p, Is.GreaterThan(UniformityLevel), $"{name} p-values are not uniform: D = {d}");
        }
    }

    /// <summary>The verdict at another level: an exact check failed, or Holm's first step (the Bonferroni bound) rejects.</summary>
    private static bool FailsAt(ValidationReport report, double alpha)
    {
        var statistical = report.Checks.Where(c => c.Kind == CheckKind.Statistical).ToList();
        return report.Checks.Any(c => c.Kind == CheckKind.Exact && !c.Passed)
               || statistical.Any(c => c.PValue!.Value <= alpha / statistical.Count);
    }
}
