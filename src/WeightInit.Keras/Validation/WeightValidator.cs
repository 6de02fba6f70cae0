using System.Globalization;
using MathNet.Numerics;
using WeightInit.Keras.Initializers;
using WeightInit.Keras.IO;
using WeightInit.Keras.Models;
using static TorchSharp.torch;

namespace WeightInit.Keras.Validation;

/// <summary>
/// Checks that weights follow the distribution their initializer's formulas give.
/// <list type="bullet">
/// <item>Normal, truncated normal, uniform: the mean within z·σ/√n; the sample variance within z·SE with
/// SE = σ²·√(2/(n−1) + κ/n) from the expected excess kurtosis κ; a Kolmogorov–Smirnov test against the exact CDF; and the
/// values outside the bounds (none for the uniform; for the torch truncated normal, a binomial test against its
/// 4.3·10⁻⁶ tail; for the exactly truncated normal of the TensorFlow backend in float32 or float64, none at or beyond
/// ±2σ, judged in the tensor's dtype).</item>
/// <item>Orthogonal: max |QᵀQ − g²I| (or QQᵀ) within a rounding tolerance of the dtype.</item>
/// <item>Zeros, Ones, Constant, Identity, STFT: every value equal to the expected one in the tensor's dtype.</item>
/// </list>
/// The statistical checks of one tensor share the family-wise level <see cref="ValidationOptions.Alpha"/> through Holm's
/// step-down procedure, so a correct tensor fails with probability at most α.
/// </summary>
public static class WeightValidator
{
    /// <summary>
    /// Orthogonality tolerance per unit of m·ε (m = length of the orthonormal vectors, ε = the dtype's machine epsilon):
    /// rounding each stored value moves a Gram entry by at most ε·g² (Cauchy–Schwarz), and Householder QR loses
    /// orthogonality by O(m·ε) in the worst case; float32 draws measured here stay below 0.05·m·ε.
    /// </summary>
    public const double OrthogonalityToleranceFactor = 1.0;

    /// <summary>
    /// Draws <paramref name="initializer"/> at <paramref name="shape"/> with the current backend
    /// (<see cref="Random.KerasBackendRandom.Current"/>) and checks the values against that backend's expectation.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown random initializer, a bad or empty shape, a bad dtype, or bad options.</exception>
    public static ValidationReport CheckDraw(Initializer initializer, ReadOnlySpan<long> shape, ScalarType? dtype = null, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        RequireValues(shape, nameof(shape));
        var expected = ExpectedDistribution.For(initializer, shape);
        using var values = initializer.Call(shape, dtype);
        return Check(values, expected, options);
    }

    /// <summary>
    /// Checks <paramref name="values"/> against what <paramref name="expected"/> gives at the tensor's shape (Keras
    /// layout), or with explicit <paramref name="fans"/> (VarianceScaling initializers only). A truncated normal is
    /// expected as <see cref="Random.KerasBackendRandom.Current"/> draws it; for values from another backend, pass
    /// <see cref="ExpectedDistribution.For"/>'s result with that backend to <see cref="Check(Tensor, ExpectedDistribution, ValidationOptions?)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">See <see cref="ExpectedDistribution.For"/>; an empty tensor; or bad options.</exception>
    public static ValidationReport Check(Tensor values, Initializer expected, (long FanIn, long FanOut)? fans = null, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        RequireValues(values.shape, nameof(values));
        return Check(values, ExpectedDistribution.For(expected, values.shape, fans), options);
    }

    /// <summary>Reads a <c>.npy</c> file and checks it against <paramref name="expected"/> (fans from the array's shape unless given).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a .npy array this library reads.</exception>
    public static ValidationReport CheckFile(string path, Initializer expected, (long FanIn, long FanOut)? fans = null, ValidationOptions? options = null)
    {
        using var values = Npy.Read(path);
        return Check(values, expected, fans, options);
    }

    /// <summary>
    /// Checks every Dense layer of <paramref name="model"/>: the kernel against its <see cref="Dense.KernelInitializer"/>
    /// and the bias against its <see cref="Dense.BiasInitializer"/>. Meant for a model just built, before training. The
    /// level α is split evenly over the weights (Bonferroni), so a correct model fails with probability at most α.
    /// </summary>
    /// <exception cref="ArgumentException">A layer initializer with no known distribution, or bad options.</exception>
    public static IReadOnlyList<WeightCheck> CheckModel(Sequential model, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= ValidationOptions.Default;
        options.Validate();
        var weights = new List<(Dense Layer, string Name, Tensor Value, Initializer Initializer)>();
        foreach (var dense in model.Layers.OfType<Dense>())
        {
            if (dense.Kernel is { } kernel)
            {
                weights.Add((dense, "kernel", kernel, dense.KernelInitializer));
            }
            if (dense.Bias is { } bias)
            {
                weights.Add((dense, "bias", bias, dense.BiasInitializer));
            }
        }
        var perWeight = options with { Alpha = options.Alpha / Math.Max(1, weights.Count) };
        return [.. weights.Select(w => new WeightCheck(w.Layer.Name, w.Name, w.Initializer.ClassName, Check(w.Value, w.Initializer, null, perWeight)))];
    }

    /// <summary>Checks <paramref name="values"/> against <paramref name="expected"/>.</summary>
    /// <exception cref="ArgumentException">
    /// An empty tensor, a non-floating tensor for a random (independent continuous or orthogonal) expectation, a size that
    /// does not fit an orthogonal or reference expectation, an expectation of a kind no check is defined for, or bad options.
    /// </exception>
    public static ValidationReport Check(Tensor values, ExpectedDistribution expected, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(expected);
        RequireValues(values.shape, nameof(values));
        if (expected is OrthogonalExpectation or { IsIndependentContinuous: true } && !DTypes.IsFloating(values.dtype))
        {
            string what = expected.Source.Length > 0 ? expected.Source : expected.Family.ToString();
            throw new ArgumentException(
                $"Checking against a random initializer ({what}) needs a floating-point tensor ({DTypes.FloatingNames}); " +
                $"received dtype={DTypes.Name(values.dtype)}.", nameof(values));
        }
        options ??= ValidationOptions.Default;
        options.Validate();
        using var scope = NewDisposeScope();
        var checks = new List<CheckResult>();
        MeasuredStatistics measured;
        switch (expected)
        {
            case OrthogonalExpectation o:
                measured = TensorStatistics.Measure(values, chunkSize: options.ChunkSize);
                checks.Add(Orthogonality(values, o));
                break;
            case ConstantExpectation c:
                double value = RoundToDType(c.Value, values.dtype);
                measured = TensorStatistics.Measure(values, value, value, options.ChunkSize);
                checks.Add(ConstantEquality(measured, value));
                break;
            case ReferenceExpectation r:
                measured = TensorStatistics.Measure(values, chunkSize: options.ChunkSize);
                checks.Add(ReferenceEquality(values, r));
                break;
            case { IsIndependentContinuous: true }:
                var range = AllowedRange(expected, values.dtype);
                measured = TensorStatistics.Measure(values, range.Lower, range.Upper, options.ChunkSize);
                if (measured.Count > 0)
                {
                    AddRandomChecks(checks, values, expected, measured, range.Open, options);
                }
                break;
            default:
                throw new ArgumentException(
                    $"No checks are defined for a {expected.GetType().Name} that is neither independent and continuous, orthogonal, constant nor a reference.",
                    nameof(expected));
        }
        if (measured.NonFiniteCount > 0)
        {
            checks.Add(new CheckResult("finite", CheckKind.Exact, measured.NonFiniteCount, 0, measured.NonFiniteCount, null, 0, false,
                $"{measured.NonFiniteCount} of {measured.Count + measured.NonFiniteCount} values are NaN or infinite"));
        }
        return new ValidationReport(expected, measured, values.shape, DTypes.Name(values.dtype), Holm(checks, options.Alpha), options.Alpha);
    }

    private static void AddRandomChecks(List<CheckResult> checks, Tensor values, ExpectedDistribution expected, MeasuredStatistics m, bool open,
        ValidationOptions options)
    {
        long n = m.Count;
        double sigma = expected.StdDev;
        double meanSe = sigma / Math.Sqrt(n);
        double meanZ = (m.Mean - expected.Mean) / meanSe;
        checks.Add(Statistical("mean", meanZ, expected.Mean, m.Mean, TwoSided(meanZ),
            $"mean {F(m.Mean)} vs {F(expected.Mean)} ({F((m.Mean - expected.Mean) / sigma)}σ; SE {F(meanSe)}, z = {Z(meanZ)})"));
        if (n >= 2)
        {
            // Var(s²) = σ⁴·(2/(n−1) + κ/n) for i.i.d. values with excess kurtosis κ.
            double variance = expected.Variance;
            double varianceSe = variance * Math.Sqrt(2.0 / (n - 1) + expected.ExcessKurtosis / n);
            double varianceZ = (m.Variance - variance) / varianceSe;
            checks.Add(Statistical("variance", varianceZ, variance, m.Variance, TwoSided(varianceZ),
                $"variance {F(m.Variance)} vs {F(variance)} ({Percent(m.Variance / variance - 1.0)}; std ratio {m.StdDev / sigma:F4}; SE {Percent(varianceSe / variance, signed: false)}, z = {Z(varianceZ)})"));
        }
        double[] sample = SortedKsSample(values, options.KsMaxSamples);
        double d = KolmogorovSmirnov.Statistic(sample, expected.Cdf);
        double ksP = KolmogorovSmirnov.PValue(d, sample.Length);
        string sampled = sample.Length < n ? $" (an evenly strided sample of the {n})" : "";
        checks.Add(Statistical("ks", d, 0.0, d, ksP,
            $"KS D = {F(d)} over {sample.Length} values{sampled} against the {expected.Family} CDF"));
        if (double.IsFinite(expected.LowerBound) && double.IsFinite(expected.UpperBound))
        {
            string bounds = $"[{F(expected.LowerBound)}, {F(expected.UpperBound)}]";
            double q = expected.OutsideProbability;
            if (q > 0.0)
            {
                // The count outside is Binomial(n, q); P(X ≥ k) = I_q(k, n − k + 1).
                double p = m.OutsideCount == 0 ? 1.0 : SpecialFunctions.BetaRegularized(m.OutsideCount, n - m.OutsideCount + 1, q);
                checks.Add(Statistical("range", m.OutsideCount, q * n, m.OutsideCount, p,
                    $"{m.OutsideCount} of {n} values outside {bounds}; the torch tail expects {F(q * n)}"));
            }
            else if (open)
            {
                string extremes = m.OutsideCount > 0 ? $" (min {F(m.Min)}, max {F(m.Max)})" : "";
                checks.Add(new CheckResult("range", CheckKind.Exact, m.OutsideCount, 0, m.OutsideCount, null, 0, m.OutsideCount == 0,
                    $"{m.OutsideCount} of {n} values at or beyond ±2σ, outside ({F(expected.LowerBound)}, {F(expected.UpperBound)}){extremes}"));
            }
            else
            {
                double worst = Math.Max(expected.LowerBound - m.Min, m.Max - expected.UpperBound);
                checks.Add(new CheckResult("range", CheckKind.Exact, m.OutsideCount, 0, m.OutsideCount, null, 0, m.OutsideCount == 0,
                    $"{m.OutsideCount} of {n} values outside {bounds}" + (m.OutsideCount > 0 ? $", up to {F(worst)} beyond" : "")));
            }
        }
    }

    private static CheckResult Orthogonality(Tensor values, OrthogonalExpectation o)
    {
        if (values.numel() != o.Rows * o.Cols)
        {
            throw new ArgumentException(
                $"The tensor has {values.numel()} values but the orthogonal expectation is {o.Rows}×{o.Cols}.", nameof(values));
        }
        var q = values.detach().reshape(o.Rows, o.Cols).to_type(ScalarType.Float64);
        var gram = o.Rows >= o.Cols ? q.t().mm(q) : q.mm(q.t());
        double g2 = o.Gain * o.Gain;
        var target = eye(gram.shape[0], dtype: ScalarType.Float64).mul(g2);
        double error = gram.sub(target).abs().max().item<double>();
        double tolerance = OrthogonalityToleranceFactor * o.VectorLength * Epsilon(values.dtype) * g2;
        string product = o.Rows >= o.Cols ? "QᵀQ" : "QQᵀ";
        bool passed = error <= tolerance;
        return new CheckResult("orthogonality", CheckKind.Exact, error, 0.0, error, null, tolerance, passed,
            $"max |{product} − g²I| = {F(error)} (g² = {F(g2)}); tolerance {F(tolerance)}" + (passed ? "" : $", exceeded {F(error / tolerance)}×"));
    }

    private static CheckResult ConstantEquality(MeasuredStatistics m, double value)
    {
        long total = m.Count + m.NonFiniteCount;
        long wrong = m.OutsideCount + m.NonFiniteCount;
        double worst = m.Count == 0 ? 0.0 : Math.Max(Math.Abs(m.Min - value), Math.Abs(m.Max - value));
        return new CheckResult("exact", CheckKind.Exact, worst, value, m.Count > 0 ? m.Mean : double.NaN, null, 0.0, wrong == 0,
            wrong == 0 ? $"all {total} values equal {F(value)}" : $"{wrong} of {total} values differ from {F(value)}, by up to {F(worst)}");
    }

    private static CheckResult ReferenceEquality(Tensor values, ReferenceExpectation r)
    {
        if (!values.shape.SequenceEqual(r.Shape))
        {
            throw new ArgumentException(
                $"The tensor's shape {ExpectedDistribution.FormatShape(values.shape)} differs from the reference shape {ExpectedDistribution.FormatShape([.. r.Shape])}.",
                nameof(values));
        }
        var expected = r.Values(values.dtype).to_type(ScalarType.Float64);
        var actual = values.detach().to_type(ScalarType.Float64);
        long total = values.numel();
        long wrong = total == 0 ? 0 : actual.ne(expected).sum().item<long>();
        double worst = total == 0 ? 0.0 : actual.sub(expected).abs().max().item<double>();
        return new CheckResult("exact", CheckKind.Exact, worst, double.NaN, double.NaN, null, 0.0, wrong == 0,
            wrong == 0 ? $"all {total} values equal {r.Initializer.ClassName}'s" : $"{wrong} of {total} values differ from {r.Initializer.ClassName}'s, by up to {F(worst)}");
    }

    /// <summary>Holm's step-down: the i-th smallest of k p-values is judged at α/(k − i); the first acceptance stops rejecting.</summary>
    private static List<CheckResult> Holm(List<CheckResult> checks, double alpha)
    {
        var statistical = checks.Where(c => c.Kind == CheckKind.Statistical).OrderBy(c => c.PValue!.Value).ToList();
        var judged = new Dictionary<CheckResult, CheckResult>(ReferenceEqualityComparer.Instance);
        bool rejecting = true;
        for (int i = 0; i < statistical.Count; i++)
        {
            var c = statistical[i];
            double level = alpha / (statistical.Count - i);
            rejecting = rejecting && c.PValue!.Value <= level;
            string verdict = rejecting ? $"p {P(c.PValue!.Value)} ≤ {level:G3}" : $"p {P(c.PValue!.Value)}";
            judged[c] = c with { Threshold = level, Passed = !rejecting, Detail = $"{c.Detail}, {verdict}" };
        }
        return [.. checks.Select(c => judged.TryGetValue(c, out var j) ? j : c)];
    }

    private static CheckResult Statistical(string name, double statistic, double expected, double observed, double p, string detail) =>
        new(name, CheckKind.Statistical, statistic, expected, observed, p, double.NaN, true, detail);

    private static double TwoSided(double z) => double.IsFinite(z) ? SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2.0)) : 0.0;

    /// <summary>The finite values (every k-th when there are more than <paramref name="max"/>), sorted.</summary>
    private static double[] SortedKsSample(Tensor values, int max)
    {
        using var scope = NewDisposeScope();
        var flat = values.detach().reshape(-1);
        long n = flat.numel();
        long step = (n + max - 1) / max;
        var picked = flat.slice(0, 0, n, step).cpu().to_type(ScalarType.Float64);
        double[] sample = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(picked.contiguous().bytes).ToArray();
        if (!Array.TrueForAll(sample, double.IsFinite))
        {
            sample = Array.FindAll(sample, double.IsFinite);
        }
        Array.Sort(sample);
        return sample;
    }

    /// <summary>A tensor with no values would pass every check vacuously, so it is an error.</summary>
    private static void RequireValues(ReadOnlySpan<long> shape, string paramName)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }
        if (count == 0)
        {
            throw new ArgumentException(
                $"The tensor of shape ({string.Join(", ", shape.ToArray())}) has no values to check.", paramName);
        }
    }

    /// <summary>Machine epsilon of a dtype (0 for integer dtypes).</summary>
    internal static double Epsilon(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 => Math.Pow(2, -52),
        ScalarType.Float32 => Math.Pow(2, -23),
        ScalarType.Float16 => Math.Pow(2, -10),
        ScalarType.BFloat16 => Math.Pow(2, -7),
        _ => 0.0,
    };

    /// <summary>
    /// The closed range, in double, that every correct value lies in. An exactly truncated normal in float32 or float64
    /// (<see cref="TruncatedNormalExpectation.TorchTail"/> false, as Keras's TensorFlow and JAX backends draw it) is
    /// z·σ + μ with |z| below 2, σ and μ rounded to the dtype and each operation rounded in the dtype: z·σ stays below
    /// 2σ, so the values lie within μ ± (the largest dtype value below 2σ), rounded once more by the sum, and a value at
    /// ±2σ fails (<c>Open</c>). Other expectations (and float16 and bfloat16, where TensorFlow rounds z itself and
    /// can reach 2) get their bounds widened by <see cref="Slack"/>.
    /// </summary>
    private static (double Lower, double Upper, bool Open) AllowedRange(ExpectedDistribution expected, ScalarType dtype)
    {
        if (expected is TruncatedNormalExpectation { TorchTail: false } t)
        {
            if (dtype == ScalarType.Float32)
            {
                float mean = (float)t.Location;
                float reach = MathF.BitDecrement(2f * (float)t.Scale);
                return ((float)(mean - reach), (float)(mean + reach), true);
            }
            if (dtype == ScalarType.Float64)
            {
                double reach = Math.BitDecrement(2.0 * t.Scale);
                return (t.Location - reach, t.Location + reach, true);
            }
        }
        double slack = Slack(expected, dtype);
        return (expected.LowerBound - slack, expected.UpperBound + slack, false);
    }

    /// <summary>How far a correct value may pass a bound through rounding to the dtype: two units in the last place of the larger bound.</summary>
    private static double Slack(ExpectedDistribution expected, ScalarType dtype)
    {
        double scale = Math.Max(Math.Abs(expected.LowerBound), Math.Abs(expected.UpperBound));
        return double.IsFinite(scale) ? 2.0 * Epsilon(dtype) * scale : 0.0;
    }

    private static double RoundToDType(double value, ScalarType dtype)
    {
        using var t = tensor(value, ScalarType.Float64);
        using var cast = t.to_type(dtype);
        using var back = cast.to_type(ScalarType.Float64);
        return back.item<double>();
    }

    private static string F(double v) => ExpectedDistribution.F(v);

    private static string Z(double z) => z.ToString("F2", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 1e-300 ? "< 1e-300" : "= " + p.ToString("G3", CultureInfo.InvariantCulture);

    private static string Percent(double fraction, bool signed = true) =>
        (signed && fraction >= 0 ? "+" : "") + (100.0 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
